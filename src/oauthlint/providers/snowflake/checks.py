"""Pure checks of a Snowflake OAuth security integration against Connect's configuration (no I/O).

Each function takes ``(integration, snapshot, context)`` and returns findings; ``@emits`` names its codes.
The same functions run on offline exports and on live fetches, so messages are identical in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

from oauthlint.model import AuthMode, Finding, Integration, Rule, Severity
from oauthlint.providers.base import CheckContext, emits
from oauthlint.providers.snowflake.account import AccountError, resolve
from oauthlint.providers.snowflake.rules import SF001, SF002, SF003, SF004, SF005, SF006, SF007, SF008, SF009
from oauthlint.providers.snowflake.snapshot import (
    Lookup,
    SecretOutcome,
    SecurityIntegration,
    SnowflakeSnapshot,
)
from oauthlint.rules import OL005

PROVIDER = "snowflake"
ONE_DAY = 86_400


def resource(si: SecurityIntegration, scope: str) -> str:
    where = f" in account {scope}" if scope else ""
    return f"security integration {si.name!r}{where}" if si.name else f"the security integration{where}"


def _finding(
    rule: Rule,
    integration: Integration,
    snapshot: SnowflakeSnapshot,
    si: SecurityIntegration,
    message: str,
    severity: Severity | None = None,
) -> Finding:
    return Finding(
        rule,
        integration=integration.name,
        provider=PROVIDER,
        message=message,
        resource=resource(si, snapshot.scope),
        scope=snapshot.scope,
        object_id=si.object_id,
        severity=severity,
    )


def _named(si: SecurityIntegration) -> str:
    return si.name or "the security integration"


def _subject(si: SecurityIntegration) -> str:
    """``_named`` at the start of a sentence."""
    return si.name or "The security integration"


@emits(SF007)
def check_account(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    try:
        resolve(integration.options)
    except AccountError as exc:
        yield Finding(
            SF007,
            integration=integration.name,
            provider=PROVIDER,
            message=f"{exc}.",
            resource=f"integration {integration.name!r}",
            scope=snapshot.scope,
            object_id=integration.client_id or integration.name,
        )


@emits(SF001)
def check_found(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    si = snapshot.integration
    if snapshot.lookup is Lookup.NOT_FOUND or si is None:
        if snapshot.lookup is Lookup.SKIPPED:
            return
        where = f"account {snapshot.scope}" if snapshot.scope else "the account"
        if not integration.client_id:
            yield Finding(
                SF001,
                integration=integration.name,
                provider=PROVIDER,
                message=f"No client_id is configured (nor integration_name), so no security integration in {where} "
                "can match; set client_id to the integration's OAUTH_CLIENT_ID.",
                resource=f"account {snapshot.scope}" if snapshot.scope else "account",
                scope=snapshot.scope,
                object_id="",
            )
            return
        if snapshot.searched:
            looked = f" (looked at {snapshot.searched} OAuth security integrations)"
        else:
            looked = (
                " (the role sees no OAuth security integration at all: SHOW lists only those it has a privilege on;"
                " grant it USAGE or run with the owner role)"
            )
        yield Finding(
            SF001,
            integration=integration.name,
            provider=PROVIDER,
            message=f"No OAuth security integration in {where} has OAUTH_CLIENT_ID {integration.client_id!r}{looked}.",
            resource=f"account {snapshot.scope}" if snapshot.scope else "account",
            scope=snapshot.scope,
            object_id=integration.client_id or "",
        )
        return
    if integration.client_id and si.client_id and si.client_id != integration.client_id:
        hint = " (they differ only in case)" if si.client_id.lower() == integration.client_id.lower() else ""
        yield _finding(
            SF001,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_CLIENT_ID {si.client_id!r}, but Connect's client_id is "
            f"{integration.client_id!r}{hint}; Snowflake rejects an unknown client id.",
        )


def redirect_difference(registered: str, callback: str) -> str | None:
    """None when equal (exact, case-sensitive); else what differs, naming the near miss."""
    if registered == callback:
        return None
    if registered.strip() == callback:
        return "it has leading or trailing whitespace"
    reg, cb = urlsplit(registered.strip()), urlsplit(callback)
    if reg.path.rstrip("/") == cb.path.rstrip("/") and reg.path != cb.path and _same_origin(reg, cb):
        return "it differs only by a trailing slash"
    if reg.scheme.lower() != cb.scheme.lower() and (reg.netloc, reg.path) == (cb.netloc, cb.path):
        return f"it uses {reg.scheme}:// where Connect sends {cb.scheme}://"
    if reg.netloc != cb.netloc and reg.netloc.lower() == cb.netloc.lower():
        return "the host differs in case (Snowflake compares exactly)"
    reg_port, cb_port = _port(reg), _port(cb)
    if (reg.hostname or "").lower() == (cb.hostname or "").lower() and reg.netloc.lower() != cb.netloc.lower():
        if reg_port == cb_port:
            return f"it spells the default port explicitly ({reg.netloc}); Connect sends {cb.netloc}"
        return f"the port differs ({reg_port} vs {cb_port})"
    if reg.path != cb.path and reg.path.lower() == cb.path.lower():
        return "the path differs in case"
    if reg.query or reg.fragment:
        return "it carries a query or fragment"
    if (reg.hostname or "").lower() != (cb.hostname or "").lower():
        return f"it points at another host ({reg.hostname or registered!r})"
    if reg.path != cb.path:
        return f"the path is {reg.path or '/'!r}, not {cb.path!r}"
    return "it is not the same string"


def _same_origin(a: SplitResult, b: SplitResult) -> bool:
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _port(parts: SplitResult) -> int | None:
    try:
        port = parts.port
    except ValueError:
        return None
    if port is None:
        return {"https": 443, "http": 80}.get(parts.scheme.lower())
    return port


@emits(SF002, OL005)
def check_redirect(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    si = snapshot.integration
    callback = integration.callback_url
    if si is None or callback is None or not integration.needs_login:
        return
    registered = si.redirect_uri
    if "OAUTH_REDIRECT_URI" not in si.properties:  # DESCRIBE always has the row: a cut-down export
        yield Finding(
            OL005,
            integration=integration.name,
            provider=PROVIDER,
            message=(
                f"snowflake: SF002 (redirect URI) could not be checked: the DESCRIBE output of {_named(si)} has no "
                "OAUTH_REDIRECT_URI row; export the complete DESCRIBE SECURITY INTEGRATION output."
            ),
            resource=resource(si, snapshot.scope),
            scope=snapshot.scope,
            object_id=f"{si.object_id}/redirect",
        )
        return
    if not registered:
        yield _finding(
            SF002, integration, snapshot, si, f"{_subject(si)} has no OAUTH_REDIRECT_URI; Connect sends {callback!r}."
        )
        return
    why = redirect_difference(registered, callback)
    if why is not None:
        yield _finding(
            SF002,
            integration,
            snapshot,
            si,
            f"OAUTH_REDIRECT_URI of {_named(si)} is {registered!r} but Connect sends {callback!r}: {why}.",
        )


@emits(SF003)
def check_enabled(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    si = snapshot.integration
    if si is not None and si.enabled is False:
        yield _finding(
            SF003, integration, snapshot, si, f"{_subject(si)} has ENABLED = FALSE; every OAuth login fails."
        )


@emits(SF004)
def check_refresh_tokens(
    integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext
) -> Iterator[Finding]:
    si = snapshot.integration
    if si is not None and integration.needs_login and si.issue_refresh_tokens is False:
        yield _finding(
            SF004,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_ISSUE_REFRESH_TOKENS = FALSE, so Connect gets no refresh token even with the "
            "refresh_token scope.",
        )


@emits(SF005)
def check_client_type(
    integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext
) -> Iterator[Finding]:
    si = snapshot.integration
    if si is None or si.client_type is None:
        return
    mode = integration.auth_mode
    if si.client_type == "PUBLIC":
        also = " and the integration is set to public" if mode is AuthMode.PUBLIC else ""
        yield _finding(
            SF005,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_CLIENT_TYPE = 'PUBLIC'{also}; Connect supports only CONFIDENTIAL Snowflake "
            "OAuth clients.",
        )
    elif si.client_type == "CONFIDENTIAL" and mode is AuthMode.PUBLIC:
        yield _finding(
            SF005,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_CLIENT_TYPE = 'CONFIDENTIAL' but the integration's auth_mode is public, so "
            "Connect sends no client secret and the token request fails.",
        )
    elif si.client_type not in ("CONFIDENTIAL", "PUBLIC"):
        yield _finding(
            SF005,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_CLIENT_TYPE = {si.client_type!r}; Connect needs 'CONFIDENTIAL'.",
        )


@emits(SF006)
def check_secret(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    si = snapshot.integration
    if si is None:
        return
    comparison = snapshot.secret
    if comparison.outcome is SecretOutcome.MISMATCH:
        yield _finding(
            SF006,
            integration,
            snapshot,
            si,
            f"The configured client secret matches neither OAUTH_CLIENT_SECRET nor OAUTH_CLIENT_SECRET_2 of "
            f"{_named(si)}.",
        )
    elif comparison.outcome is SecretOutcome.UNAVAILABLE:
        yield _finding(
            SF006,
            integration,
            snapshot,
            si,
            f"Could not compare the client secret with {_named(si)}: {comparison.detail}.",
            severity=Severity.INFO,
        )


def _duration(seconds: int) -> str:
    if seconds % 86_400 == 0 and seconds:
        days = seconds // 86_400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds % 3600 == 0 and seconds:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


@emits(SF008)
def check_refresh_validity(
    integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext
) -> Iterator[Finding]:
    si = snapshot.integration
    validity = si.refresh_token_validity if si is not None else None
    if si is None or validity is None or not integration.needs_login or si.issue_refresh_tokens is False:
        return
    if validity < ONE_DAY:
        yield _finding(
            SF008,
            integration,
            snapshot,
            si,
            f"OAUTH_REFRESH_TOKEN_VALIDITY of {_named(si)} is {validity} ({_duration(validity)}): viewers must log "
            "in again after that; at least 86400 (one day) is expected.",
        )


@emits(SF009)
def check_non_tls(integration: Integration, snapshot: SnowflakeSnapshot, context: CheckContext) -> Iterator[Finding]:
    si = snapshot.integration
    if si is not None and si.allow_non_tls_redirect is True:
        yield _finding(
            SF009,
            integration,
            snapshot,
            si,
            f"{_subject(si)} has OAUTH_ALLOW_NON_TLS_REDIRECT_URI = TRUE: authorization codes may be sent to an "
            "http:// redirect URI.",
        )


CHECKS = (
    check_account,
    check_found,
    check_redirect,
    check_enabled,
    check_refresh_tokens,
    check_client_type,
    check_secret,
    check_refresh_validity,
    check_non_tls,
)

AUDIT_CHECKS = (check_enabled, check_refresh_tokens, check_client_type, check_refresh_validity, check_non_tls)
"""What ``--all`` runs on every OAuth integration: the checks that need no consumer-side configuration."""
