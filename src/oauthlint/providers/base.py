"""The provider plug-in interface.

A provider has two halves: a fetcher (the only I/O: a live API, or a provider-native export file) that
returns a typed snapshot, and pure checks ``(integration, snapshot, context) -> findings``.
Built-ins and third parties register the same way, through the ``oauthlint.providers`` entry points.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from oauthlint.errors import SnapshotError
from oauthlint.model import Credential, Finding, Integration, Rule


@dataclass(frozen=True)
class CheckContext:
    """What pure checks may know besides the integration and the snapshot."""

    now: datetime
    expiry_warning_days: int = 30

    @property
    def warning_horizon(self) -> datetime:
        return self.now + timedelta(days=self.expiry_warning_days)


@runtime_checkable
class Snapshot(Protocol):
    """What every provider snapshot carries besides its provider-specific fields."""

    scope: str
    """Tenant id, realm or account: where the object lives. Part of every finding's fingerprint."""
    server_date: datetime | None
    """The provider's ``Date`` header when fetched live (OL006), else None."""
    observed_at: datetime | None
    """Local clock when ``server_date`` was read."""


Check = Callable[[Integration, Any, CheckContext], Iterable[Finding]]


def emits(*rules: Rule) -> Callable[[Check], Check]:
    """Mark a check function with the rules it can emit (``@emits(AZ003)``); one grep maps a code to it."""

    def mark(fn: Check) -> Check:
        fn.rules = rules  # type: ignore[attr-defined]
        return fn

    return mark


@runtime_checkable
class Provider(Protocol):
    """A provider plug-in. Import its client library inside ``fetch``, never at module import."""

    name: str
    """The value of ``provider =`` in the config, e.g. ``azure``."""
    rules: Sequence[Rule]
    """The catalog entries this provider emits."""
    integration_keys: Mapping[str, type | tuple[type, ...]]
    """Extra keys an ``[[integrations]]`` entry of this provider may carry, with their types."""

    def parse_settings(self, raw: Any, where: str) -> Any:
        """Validate ``[providers.<name>]`` (raise ConfigError naming ``where``); return settings."""
        ...

    def load_snapshot(self, path: Path, integration: Integration) -> Snapshot:
        """Read a provider-native export file (raise SnapshotError)."""
        ...

    def fetch(self, integration: Integration, settings: Any) -> Snapshot:
        """Read the live provider (raise ProviderError). The only network I/O a provider does."""
        ...

    def check(self, integration: Integration, snapshot: Any, context: CheckContext) -> list[Finding]:
        """Run every pure check on the snapshot."""
        ...

    def credentials(self, integration: Integration, snapshot: Any) -> Iterator[Credential]:
        """The expiring credentials visible in the snapshot, for ``oauthlint secrets``."""
        ...


class BaseProvider:
    """Convenience base: ``check`` runs the functions listed in ``checks``, in order."""

    name = ""
    rules: Sequence[Rule] = ()
    integration_keys: Mapping[str, type | tuple[type, ...]] = {}
    checks: Sequence[Check] = ()

    def parse_settings(self, raw: Any, where: str) -> Any:
        return raw

    def load_snapshot(self, path: Path, integration: Integration) -> Any:
        """Read a JSON export and hand it to :meth:`parse_snapshot`."""
        return self.parse_snapshot(read_json(path), integration, source=str(path))

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> Any:
        """Turn provider-native JSON into the typed snapshot (raise SnapshotError naming ``source``)."""
        raise SnapshotError(f"{source}: {self.name} has no offline snapshot format")

    def check(self, integration: Integration, snapshot: Any, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for check in self.checks:
            findings.extend(check(integration, snapshot, context))
        return findings

    def credentials(self, integration: Integration, snapshot: Any) -> Iterator[Credential]:
        return iter(())


def read_json(path: Path) -> Any:
    """Read a snapshot file; every failure is one SnapshotError line naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read snapshot: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
