"""E-mail over SMTP: ``smtp://[user@]host[:port]?to=a@example.com,b@example.com&from=oauthlint@example.com``.

``smtp://`` connects in plain text and upgrades with STARTTLS (RFC 3207) before anything else is said; a
server that does not offer STARTTLS is a failed delivery, never a plaintext fallback. ``smtps://`` is implicit
TLS (port 465). The password comes from ``OAUTHLINT_SMTP_PASSWORD``, never from the URL.
Extra query keys: ``owners=1`` also sends each credential owner (an address with ``@``) the items that list
them, for ``secrets`` runs.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from oauthlint.errors import UsageError
from oauthlint.notify.alert import Alert
from oauthlint.notify.http import DeliveryFailed

PASSWORD_ENV = "OAUTHLINT_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a password
QUERY_KEYS = ("to", "from", "owners")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    recipients: tuple[str, ...]
    sender: str
    user: str | None = None
    owners: bool = False

    @property
    def display(self) -> str:
        return f"smtp ({self.host}:{self.port})"


def parse(url: str, environ: Mapping[str, str]) -> SmtpTarget:
    parts = urlsplit(url)
    where = f"--notify {parts.scheme}://{parts.hostname or ''}"
    if parts.password is not None:
        raise UsageError(f"{where}: put the SMTP password in {PASSWORD_ENV}, not in the URL")
    if not parts.hostname:
        raise UsageError(f"{where}: no host; expected smtp://[user@]host[:port]?to=…")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - set(QUERY_KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown query key {unknown[0]!r}; expected {', '.join(QUERY_KEYS)}")
    recipients = tuple(a.strip() for value in query.get("to", []) for a in value.split(",") if a.strip())
    if not recipients or not all("@" in a for a in recipients):
        raise UsageError(f"{where}: to=: give one or more e-mail addresses (to=a@example.com,b@example.com)")
    user = unquote(parts.username) if parts.username else None
    if user and not environ.get(PASSWORD_ENV):
        raise UsageError(f"{where}: user {user!r} needs the password in the environment variable {PASSWORD_ENV}")
    senders = query.get("from", [])
    sender = senders[0] if senders else (user if user and "@" in user else f"oauthlint@{socket.getfqdn()}")
    implicit = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if implicit else 587)
    except ValueError:
        raise UsageError(f"{where}: the port must be a number") from None
    owners = query.get("owners", ["0"])[0].lower() in ("1", "true", "yes")
    return SmtpTarget(parts.hostname, port, implicit, recipients, sender, user, owners)


def message(alert: Alert, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    lines = [alert.summary, ""]
    for item in alert.shown:
        lines.append(f"[{item.level}] {item.title} · {item.subject}")
        lines.append(f"    {item.text}")
        if item.owners:
            lines.append(f"    Owners: {', '.join(item.owners)}")
    if alert.hidden:
        lines.append(f"… and {alert.hidden} more")
    lines += ["", "-- ", "Sent by oauthlint."]
    mail = EmailMessage()
    mail["Subject"] = alert.title
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to an alert
    mail.set_content("\n".join(lines) + "\n")
    return mail


def send(
    target: SmtpTarget,
    mails: list[EmailMessage],
    *,
    timeout: float,
    environ: Mapping[str, str],
    context: ssl.SSLContext | None = None,
) -> None:
    """One connection for all messages of this target. Raises DeliveryFailed with a one-line reason."""
    context = context or ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if target.implicit_tls:
            client = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        with client:
            client.ehlo()
            if not target.implicit_tls:
                if not client.has_extn("starttls"):
                    raise DeliveryFailed("the server does not offer STARTTLS; refusing to send in plain text")
                client.starttls(context=context)
                client.ehlo()
            if target.user:
                client.login(target.user, environ.get(PASSWORD_ENV, ""))
            for mail in mails:
                client.send_message(mail)
    except DeliveryFailed:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryFailed(f"login refused ({exc.smtp_code})") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(f"SMTP {exc.smtp_code}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(f"recipients refused: {', '.join(sorted(exc.recipients))}") from None
    except ssl.SSLError as exc:
        raise DeliveryFailed(f"TLS failed ({exc.reason or type(exc).__name__})") from None
    except (OSError, smtplib.SMTPException) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        first = detail.splitlines()[0] if detail else ""
        raise DeliveryFailed(f"{type(exc).__name__}: {first}" if first else type(exc).__name__) from None
