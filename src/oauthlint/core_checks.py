"""The provider-independent rules OL001–OL004 and OL006: pure functions of the integration (and snapshot)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from oauthlint.model import CALLBACK_PATH, AuthMode, Finding, Integration, Rule, Severity
from oauthlint.rules import OL001, OL002, OL003, OL004, OL006

MAX_CLOCK_SKEW = timedelta(minutes=2)
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def check_integration(integration: Integration, offline_scopes: Sequence[str]) -> Iterator[Finding]:
    """Rules decided by the consumer-side configuration alone; they run even when the provider is down."""
    yield from check_offline_scope(integration, offline_scopes)
    yield from check_secret_presence(integration)
    yield from check_callback_url(integration)


def check_offline_scope(integration: Integration, offline_scopes: Sequence[str]) -> Iterator[Finding]:
    if not integration.needs_login or not offline_scopes:
        return
    if any(scope in integration.scopes for scope in offline_scopes):
        return
    wanted = " or ".join(f"`{scope}`" for scope in offline_scopes)
    near = [s for s in integration.scopes if s.lower() in {o.lower() for o in offline_scopes}]
    if near:
        detail = f"scope {near[0]!r} differs in case from {wanted}; scopes are case-sensitive"
    elif integration.scopes:
        detail = f"scopes are {' '.join(integration.scopes)!r}, without {wanted}"
    else:
        detail = f"no scopes are configured, so nothing asks for {wanted}"
    yield _finding(OL001, integration, f"Viewer integration requests no refresh token: {detail}.")


def check_secret_presence(integration: Integration) -> Iterator[Finding]:
    has_secret = integration.client_secret is not None
    if integration.auth_mode is AuthMode.PUBLIC and has_secret:
        yield _finding(
            OL002,
            integration,
            f"Public integration carries a client secret (from {integration.client_secret.source}); "  # type: ignore[union-attr]
            "Connect refuses client_secret on public integrations.",
        )
    elif integration.auth_mode is AuthMode.CONFIDENTIAL and not has_secret and integration.secret_unknown:
        yield Finding(
            rule=OL003,
            integration=integration.name,
            provider=integration.provider,
            message=(
                "Connect does not return client secrets, so the secret could not be checked; add an "
                f'[[integrations]] entry named {integration.name!r} with client_secret = "${{env:…}}" to check it.'
            ),
            resource=f"integration '{integration.name}'",
            severity=Severity.INFO,
        )
    elif integration.auth_mode is AuthMode.CONFIDENTIAL and not has_secret:
        yield _finding(OL003, integration, "Confidential integration has no client secret configured.")


def check_callback_url(integration: Integration) -> Iterator[Finding]:
    if not integration.needs_login:
        return
    problem = callback_problem(integration.connect_server)
    if problem:
        yield _finding(OL004, integration, problem)


def callback_problem(connect_server: str | None) -> str | None:
    """Why ``connect_server`` cannot yield a valid callback URL, or None when it can."""
    if not connect_server:
        return "No connect_server is configured, so the redirect URI (<connect_server>/__oauth__/integrations/callback) is unknown."
    try:
        parts = urlsplit(connect_server)
        port = parts.port
    except ValueError as exc:
        return f"connect_server {connect_server!r} is not a valid URL ({exc})."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"connect_server {connect_server!r} is not an absolute http(s) URL; write it as https://host[/path]."
    if parts.username or parts.password:
        return "connect_server contains user information (user:password@); providers reject such redirect URIs."
    if parts.query or parts.fragment or connect_server.endswith(("?", "#")):
        return f"connect_server {connect_server!r} has a query or fragment; redirect URIs cannot carry one."
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return (
            f"connect_server {connect_server!r} uses plain http; providers only accept http redirect URIs for "
            "localhost. Use the https URL users reach Connect at (behind a TLS-terminating proxy, that is the proxy's)."
        )
    if parts.path.rstrip("/").endswith(CALLBACK_PATH):
        return (
            f"connect_server {connect_server!r} already ends with the callback path; give the server's base URL, "
            "oauthlint appends /__oauth__/integrations/callback."
        )
    if port == 0:
        return f"connect_server {connect_server!r} has port 0."
    return None


def check_clock_skew(
    integration: Integration, server_date: datetime | None, observed_at: datetime | None
) -> Iterator[Finding]:
    if server_date is None or observed_at is None:
        return
    skew = observed_at - server_date
    if abs(skew) <= MAX_CLOCK_SKEW:
        return
    direction = "ahead of" if skew > timedelta(0) else "behind"
    seconds = int(abs(skew).total_seconds())
    yield _finding(
        OL006,
        integration,
        f"The local clock is {seconds} s {direction} the {integration.provider} server's Date header "
        f"({server_date.isoformat()}); more than {int(MAX_CLOCK_SKEW.total_seconds())} s breaks token validity.",
    )


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _finding(rule: Rule, integration: Integration, message: str) -> Finding:
    return Finding(
        rule=rule,
        integration=integration.name,
        provider=integration.provider,
        message=message,
        resource=f"integration '{integration.name}'",
    )
