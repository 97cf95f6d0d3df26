"""The credential inventory behind ``oauthlint secrets``: every credential with its expiry, in tiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from oauthlint.model import Credential

TIERS = ("expired", "7d", "30d", "90d", "later", "no-expiry")


@dataclass(frozen=True)
class Entry:
    credential: Credential
    tier: str
    days_left: int | None


@dataclass
class Inventory:
    entries: list[Entry] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """One line per provider that could not be listed; a scheduled job must see these."""
    within: timedelta | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def count(self, tier: str) -> int:
        return sum(1 for e in self.entries if e.tier == tier)

    @property
    def due(self) -> list[Entry]:
        """Expired credentials, and those ending inside ``within`` when it is set."""
        return [e for e in self.entries if e.tier == "expired" or (self.within is not None and e.tier != "no-expiry")]


def tier_of(end: datetime | None, now: datetime) -> tuple[str, int | None]:
    if end is None:
        return "no-expiry", None
    left = end - now
    days = int(left.total_seconds() // 86400)
    if left <= timedelta(0):
        return "expired", days
    for tier, limit in (("7d", 7), ("30d", 30), ("90d", 90)):
        if left <= timedelta(days=limit):
            return tier, days
    return "later", days


def build(
    credentials: Iterable[Credential], *, now: datetime, within: timedelta | None = None, failures: Iterable[str] = ()
) -> Inventory:
    """Sort by expiry (soonest first, no-expiry last); with ``within``, keep only what ends before now + within."""
    entries: list[Entry] = []
    for credential in credentials:
        if within is not None and (credential.end is None or credential.end > now + within):
            continue
        tier, days = tier_of(credential.end, now)
        entries.append(Entry(credential, tier, days))
    far_future = datetime.max.replace(tzinfo=UTC)
    entries.sort(key=lambda e: (e.credential.end or far_future, e.credential.owner_name, e.credential.credential_id))
    return Inventory(entries=entries, failures=list(failures), within=within, generated_at=now)


def parse_duration(text: str) -> timedelta:
    """``30d``, ``2w``, ``12h`` or a bare number of days."""
    value = text.strip().lower()
    units = {"d": 1.0, "w": 7.0, "h": 1 / 24}
    unit = value[-1] if value and value[-1] in units else "d"
    number = value[:-1] if value and value[-1] in units else value
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"invalid duration {text!r}; expected e.g. 30d, 2w or 12h") from None
    if amount < 0:
        raise ValueError(f"invalid duration {text!r}; it must not be negative")
    return timedelta(days=amount * units[unit])
