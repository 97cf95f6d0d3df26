"""Shared test helpers: run the CLI in-process, and a small provider plug-in that is not built in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oauthlint.cli import main
from oauthlint.errors import ProviderError
from oauthlint.model import Credential, Finding, Integration, Rule, Severity
from oauthlint.providers.base import BaseProvider, CheckContext, emits
from oauthlint.registry import registry

CANARY = "canary-Sup3rS3cret-7f1c2e"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*args: str) -> CliResult:
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


DM001 = Rule(
    "DM001",
    "dummy-flag-set",
    Severity.WARNING,
    summary="The dummy snapshot has its flag set.",
    prevents="nothing real",
    remediation="Clear the flag.",
    provider="dummy",
)


@dataclass(frozen=True)
class DummySnapshot:
    flag: bool
    scope: str = "dummy-scope"
    server_date: datetime | None = None
    observed_at: datetime | None = None


@emits(DM001)
def check_flag(integration: Integration, snapshot: DummySnapshot, context: CheckContext) -> Iterator[Finding]:
    if snapshot.flag:
        yield Finding(DM001, integration.name, "dummy", "flag is set", scope=snapshot.scope, object_id="x")


class DummyProvider(BaseProvider):
    """A third-party provider, plugged in without touching core code. ``behaviour`` drives live fetches."""

    name = "dummy"
    rules = (DM001,)
    integration_keys = {"behaviour": str}  # noqa: RUF012
    checks = (check_flag,)

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> DummySnapshot:
        return DummySnapshot(flag=bool(data.get("flag")))

    def fetch(self, integration: Integration, settings: Any) -> DummySnapshot:
        behaviour = integration.options.get("behaviour", "ok")
        secret = integration.client_secret.reveal() if integration.client_secret else ""
        if behaviour == "provider-error":
            raise ProviderError("dummy", "GET /thing", f"HTTP 401 (a careless library echoed {secret})")
        if behaviour == "crash":
            raise RuntimeError(f"library bug while sending client_secret={secret}")
        if behaviour == "skew":
            return DummySnapshot(
                flag=False, server_date=datetime(2026, 1, 1, tzinfo=UTC), observed_at=datetime.now(UTC)
            )
        return DummySnapshot(flag=behaviour == "flag")

    def credentials(self, integration: Integration, snapshot: DummySnapshot) -> Iterator[Credential]:
        yield Credential(
            provider="dummy",
            scope=snapshot.scope,
            owner_name=integration.name,
            owner_id="id-1",
            object_type="client",
            kind="client secret",
            name="main",
            credential_id="cred-1",
            end=datetime(2026, 12, 1, tzinfo=UTC),
            integration=integration.name,
        )


@pytest.fixture
def dummy_provider() -> Iterator[DummyProvider]:
    provider = DummyProvider()
    registry().register(provider)
    try:
        yield provider
    finally:
        registry().unregister("dummy")


@pytest.fixture
def write_config(tmp_path: Path) -> Any:
    def write(text: str, name: str = "oauthlint.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def write_snapshot(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path
