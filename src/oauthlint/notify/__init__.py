"""Alerts for scheduled runs: ``--notify URL`` (repeatable) to Slack, Microsoft Teams (Workflows) and e-mail.

What is sent is exactly what makes the run exit 1: for ``check`` the findings at or above ``--fail-on``; for
``secrets`` the providers that could not be listed and the credentials expired or due inside ``--within``.
Nothing at or above it: nothing is sent (quiet nights stay quiet); ``--fail-on never`` sends nothing.

Targets, detected from the URL or named with a prefix:

- Slack incoming webhook: ``https://hooks.slack.com/services/…`` or ``slack+https://…``
- Teams Workflows webhook: ``https://….logic.azure.com/…``, ``https://….powerplatform.com/…``,
  ``https://….webhook.office.com/…`` or ``teams+https://…``
- e-mail: ``smtp://[user@]host[:port]?to=…&from=…[&owners=1]`` (STARTTLS) or ``smtps://…`` (implicit TLS)

Webhook URLs carry a token: they must be https (plain http only to a loopback host) and are never printed;
messages name a target as ``slack (hooks.slack.com)``.

Usage (the CLI): validate early with :func:`parse_targets` (raises UsageError, exit 2), run and render the
report, then :func:`notify`. Every target is attempted; if any failed, :class:`NotifyError` lists them in one
line (exit code 3, see :data:`NotifyError.exit_code`).
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oauthlint.errors import OauthlintError, UsageError
from oauthlint.notify.alert import Alert, from_inventory, from_report
from oauthlint.notify.http import DeliveryFailed
from oauthlint.notify.smtp import SmtpTarget

if TYPE_CHECKING:
    from oauthlint.engine import Report
    from oauthlint.inventory import Inventory

__all__ = ["Alert", "NotifyError", "Target", "build_alert", "notify", "parse_targets"]

TEAMS_HOST_SUFFIXES = (".logic.azure.com", ".powerplatform.com", ".webhook.office.com")
DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 3


class NotifyError(OauthlintError):
    """At least one delivery failed. One line naming each failed target (never its URL) and why."""

    exit_code = 3
    """Distinct from 1 (findings) and 2 (usage): a delivery can only fail when there was something to send,
    so 3 means "findings at or above --fail-on, and the alert about them did not arrive"."""


@dataclass(frozen=True)
class Target:
    kind: str
    """``slack``, ``teams`` or ``email``."""
    url: str = field(repr=False)
    """The webhook URL: its path or query is the token, so it is left out of ``repr``."""
    display: str
    smtp: SmtpTarget | None = None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_target(raw: str, environ: Mapping[str, str]) -> Target:
    text = raw.strip()
    scheme = text.split(":", 1)[0].lower()
    if scheme in ("smtp", "smtps"):
        smtp = parse_smtp(text, environ)
        return Target("email", text, smtp.display, smtp)
    kind: str | None = None
    for prefix in ("slack", "teams"):
        if scheme.startswith(prefix + "+"):
            kind, text = prefix, text[len(prefix) + 1 :]
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    shown = f"{parts.scheme}://{host}" if host else "the URL"
    if parts.scheme not in ("https", "http") or not host:
        raise UsageError(f"--notify: expected an https webhook URL or smtp://…, got {shown}")
    if parts.scheme == "http" and not _is_loopback(host):
        raise UsageError(f"--notify {shown}: webhook URLs carry a token; use https")
    if kind is None:
        if host == "hooks.slack.com":
            kind = "slack"
        elif host.endswith(TEAMS_HOST_SUFFIXES):
            kind = "teams"
        else:
            raise UsageError(
                f"--notify {shown}: cannot tell the service from the host; write slack+https://… or teams+https://…"
            )
    return Target(kind, text, f"{kind} ({host})")


def parse_smtp(text: str, environ: Mapping[str, str]) -> SmtpTarget:
    from oauthlint.notify import smtp

    return smtp.parse(text, environ)


def parse_targets(urls: Iterable[str], environ: Mapping[str, str] | None = None) -> list[Target]:
    """Validate every ``--notify`` value before the run starts; a bad one is a one-line UsageError."""
    env = os.environ if environ is None else environ
    return [parse_target(url, env) for url in urls]


def build_alert(subject: Report | Inventory, fail_on: str) -> Alert | None:
    from oauthlint.inventory import Inventory

    if isinstance(subject, Inventory):
        return from_inventory(subject, fail_on)
    return from_report(subject, fail_on)


def notify(
    targets: Sequence[Target | str],
    subject: Report | Inventory,
    fail_on: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    environ: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Send the alert to every target; returns one line per delivery made (``slack (hooks.slack.com): sent``).

    Quiet (returns ``[]``) when nothing is at or above ``fail_on``. Raises :class:`NotifyError` after trying
    every target when any delivery failed.
    """
    env = os.environ if environ is None else environ
    resolved = [t if isinstance(t, Target) else parse_target(t, env) for t in targets]
    alert = build_alert(subject, fail_on)
    if alert is None or not resolved:
        return []
    sent: list[str] = []
    failed: list[str] = []
    for target in resolved:
        try:
            sent.append(_deliver(target, alert, timeout, attempts, env, ssl_context, sleep))
        except DeliveryFailed as exc:
            failed.append(f"{target.display}: {exc}")
    if failed:
        raise NotifyError(f"notify: {len(failed)} of {len(resolved)} deliveries failed: " + "; ".join(failed))
    return sent


def _deliver(
    target: Target,
    alert: Alert,
    timeout: float,
    attempts: int,
    environ: Mapping[str, str],
    context: ssl.SSLContext | None,
    sleep: Callable[[float], None],
) -> str:
    if target.kind == "email":
        from oauthlint.notify import smtp

        assert target.smtp is not None  # noqa: S101 - set by parse_target
        mails = [smtp.message(alert, target.smtp.sender, target.smtp.recipients)]
        if target.smtp.owners:
            owners = sorted({o for item in alert.items for o in item.owners if "@" in o} - set(target.smtp.recipients))
            for owner in owners:
                mine = alert.for_owner(owner)
                if mine is not None:
                    mails.append(smtp.message(mine, target.smtp.sender, (owner,)))
        smtp.send(target.smtp, mails, timeout=timeout, environ=environ, context=context)
        extra = f" (+{len(mails) - 1} to owners)" if len(mails) > 1 else ""
        return f"{target.display}: sent{extra}"
    from oauthlint.notify import http, slack, teams

    payload = slack.payload(alert) if target.kind == "slack" else teams.payload(alert)
    http.post_json(target.url, payload, timeout=timeout, attempts=attempts, sleep=sleep)
    return f"{target.display}: sent"
