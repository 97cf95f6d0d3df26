"""Test helpers shared by several test modules: a canary secret and a provider plug-in that is not built in.

(A module of its own: ``conftest`` is a name several test directories use.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Credential, Finding, Integration, Rule, Severity
from oauthlint.providers.base import BaseProvider, CheckContext, emits

CANARY = "canary-Sup3rS3cret-7f1c2e"


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
