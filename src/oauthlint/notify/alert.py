"""What an alert says: the findings (or due credentials) that make the run fail, as plain metadata.

Pure: no I/O. Built only from finding fields (rule, integration, resource, message) and credential metadata
(owner, kind, id, end date), never from a Secret; every text also passes :func:`scrub_known_secrets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oauthlint.model import Severity, scrub_known_secrets

if TYPE_CHECKING:
    from oauthlint.engine import Report
    from oauthlint.inventory import Inventory

MAX_ITEMS = 25
"""Items listed in one message; the rest are counted ("… and 12 more"). Slack allows 50 blocks per message."""


@dataclass(frozen=True)
class Item:
    level: Severity
    title: str
    """``AZ003 azure-redirect-uri-mismatch`` or ``credential expired``."""
    subject: str
    """The integration, or the app/client that owns the credential."""
    text: str
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alert:
    title: str
    summary: str
    items: tuple[Item, ...]

    def counts(self) -> dict[Severity, int]:
        return {level: sum(1 for i in self.items if i.level is level) for level in Severity}

    @property
    def shown(self) -> tuple[Item, ...]:
        return self.items[:MAX_ITEMS]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - MAX_ITEMS)

    def for_owner(self, owner: str) -> Alert | None:
        """Only the items this owner is named on (routing a secrets alert to the people who can rotate)."""
        mine = tuple(i for i in self.items if owner in i.owners)
        if not mine:
            return None
        return Alert(self.title, f"{len(mine)} of them list you ({owner}) as an owner.", mine)


def _clean(text: str) -> str:
    return scrub_known_secrets(text).strip()


def from_report(report: Report, fail_on: str) -> Alert | None:
    """The findings at or above ``fail_on``; None when there are none (or fail_on is ``never``)."""
    if fail_on == "never":
        return None
    threshold = Severity.parse(fail_on)
    findings = sorted(
        (f for f in report.findings if f.level >= threshold), key=lambda f: (-f.level, f.integration, f.code)
    )
    if not findings:
        return None
    items = tuple(
        Item(
            level=f.level,
            title=f"{f.code} {f.rule.name}",
            subject=f.integration,
            text=_clean(f.message + (f" Fix: {f.rule.remediation}" if f.rule.remediation else "")),
        )
        for f in findings
    )
    errors = sum(1 for f in findings if f.level is Severity.ERROR)
    title = f"oauthlint: {len(findings)} finding{'s' if len(findings) != 1 else ''} at or above {fail_on}"
    summary = (
        f"{len(report.integrations)} integrations checked; {errors} errors, "
        f"{len(findings) - errors} below error; {len(report.suppressed)} suppressed."
    )
    return Alert(title, summary, items)


def from_inventory(inventory: Inventory, fail_on: str) -> Alert | None:
    """What makes ``oauthlint secrets`` exit 1: listing failures, expired credentials and those due in --within."""
    from oauthlint.report.sarif import credential_label, entry_level, expiry_phrase

    if fail_on == "never":
        return None
    items: list[Item] = [
        Item(Severity.ERROR, "credentials could not be listed", failure.split(":", 1)[0], _clean(failure))
        for failure in inventory.failures
    ]
    for entry in inventory.entries:
        level = entry_level(entry, inventory)
        if level is None:
            continue
        c = entry.credential
        title = "credential expired" if level is Severity.ERROR else "credential expiring"
        items.append(
            Item(level, title, c.owner_name, _clean(f"{credential_label(entry)} {expiry_phrase(entry)}."), c.owners)
        )
    if not items:
        return None
    due = len(items) - len(inventory.failures)
    title = f"oauthlint: {due} credential{'s' if due != 1 else ''} expired or due"
    if inventory.failures:
        title += f", {len(inventory.failures)} provider{'s' if len(inventory.failures) != 1 else ''} not listed"
    window = f" within {inventory.within.days} days" if inventory.within is not None else ""
    summary = f"{len(inventory.entries)} credentials listed{window}; {inventory.count('expired')} expired."
    return Alert(title, summary, tuple(items))
