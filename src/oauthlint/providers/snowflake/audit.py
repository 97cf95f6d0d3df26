"""Account-wide views: the credential listing for ``oauthlint secrets`` and ``--all`` audits.

Public functions for the CLI:

- :func:`audit_live` (``oauthlint snowflake --all [--account A]``): findings SF003/SF004/SF005/SF008/SF009
  for every OAuth security integration of each account; :func:`audit_account` returns the details for
  one account (integrations, findings, credentials, query count).
- :func:`scan_secrets_live` (``oauthlint secrets --provider snowflake``; also ``provider.scan_credentials``):
  every OAuth integration's credentials, metadata only.
- :func:`audit_integrations` / :func:`integration_credentials` (pure) for tests and offline use.

Both live functions raise UsageError (no account to audit, malformed ``--account``) or ProviderError
(report it as OL005); they never read client secrets.

What Snowflake exposes about credential age, honestly:

- OAuth client secrets (OAUTH_CLIENT_SECRET, OAUTH_CLIENT_SECRET_2) have **no** creation, rotation or
  expiry date anywhere (not in DESCRIBE, not in SYSTEM$SHOW_OAUTH_CLIENT_SECRETS' JSON). They never
  expire; rotation is manual (``ALTER SECURITY INTEGRATION … REFRESH OAUTH_CLIENT_SECRET``). The only
  age bound is the integration's ``created_on`` (SHOW), and only when the secret was never rotated.
- Refresh tokens Snowflake issues live OAUTH_REFRESH_TOKEN_VALIDITY seconds (default 7776000 = 90
  days); they are per user and cannot be listed. Access tokens live about 10 minutes.
- RSA client keys (OAUTH_CLIENT_RSA_PUBLIC_KEY(_2)) show only a fingerprint, no date.

So every credential this module yields has ``end=None`` and says why in ``detail``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oauthlint.errors import ProviderError, UsageError
from oauthlint.model import Credential, Finding, Integration
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake.account import Account, AccountError, resolve
from oauthlint.providers.snowflake.checks import AUDIT_CHECKS
from oauthlint.providers.snowflake.snapshot import SecurityIntegration, SnowflakeSnapshot
from oauthlint.rules import OL005

PROVIDER = "snowflake"
NO_DATES = "Snowflake records no creation, rotation or expiry date for OAuth client secrets; they never expire"


def _validity(si: SecurityIntegration) -> str:
    if si.issue_refresh_tokens is False:
        return "refresh tokens are not issued (OAUTH_ISSUE_REFRESH_TOKENS = FALSE)"
    if si.refresh_token_validity is None:
        return "refresh-token validity unknown"
    days = si.refresh_token_validity / 86_400
    shown = f"{days:g} days" if days >= 1 else f"{si.refresh_token_validity} seconds"
    return f"refresh tokens it issues stay valid {shown} (OAUTH_REFRESH_TOKEN_VALIDITY = {si.refresh_token_validity})"


def integration_credentials(si: SecurityIntegration, scope: str, integration: str = "") -> Iterator[Credential]:
    """The credentials of one security integration, metadata only."""
    created = f"; the integration was created {si.created_on:%Y-%m-%d}" if si.created_on else ""
    detail = f"{NO_DATES}{created}; {_validity(si)}"
    common = {
        "provider": PROVIDER,
        "scope": scope,
        "owner_name": si.name,
        "owner_id": si.client_id or si.name,
        "object_type": "security integration",
        "integration": integration,
    }
    for kind, name in (("client secret", "OAUTH_CLIENT_SECRET"), ("secondary client secret", "OAUTH_CLIENT_SECRET_2")):
        yield Credential(kind=kind, name=name, credential_id=f"{si.object_id}/{name}", detail=detail, **common)
    for name, fingerprint in (
        ("OAUTH_CLIENT_RSA_PUBLIC_KEY", si.rsa_public_key_fp),
        ("OAUTH_CLIENT_RSA_PUBLIC_KEY_2", si.rsa_public_key_2_fp),
    ):
        if fingerprint:
            yield Credential(
                kind="RSA public key",
                name=name,
                credential_id=fingerprint,
                detail="Snowflake shows only the key's fingerprint, no date; rotate key pairs on your own schedule",
                **common,
            )


def credentials(integration: Integration, snapshot: SnowflakeSnapshot) -> Iterator[Credential]:
    """``Provider.credentials``: the matched integration's credentials (none when it was not found)."""
    if snapshot.integration is None:
        return iter(())
    return integration_credentials(snapshot.integration, snapshot.scope, integration.name)


# -- ``oauthlint snowflake --all`` ----------------------------------------------------------------------


@dataclass(frozen=True)
class AccountAudit:
    """Everything ``--all`` learned about one account."""

    account: str
    """The account in normal form (the findings' scope)."""
    integrations: tuple[SecurityIntegration, ...]
    findings: tuple[Finding, ...]
    credentials: tuple[Credential, ...]
    queries: int
    """SQL statements sent: 1 (SHOW) + one DESCRIBE per OAuth integration."""
    failures: tuple[Finding, ...] = ()
    """OL005 findings for integrations that could not be described (the others are still audited)."""


def consumer_for(si: SecurityIntegration, account: Account) -> Integration:
    """A stand-in Connect integration for rules that need none: a confidential viewer named after ``si``."""
    return Integration(
        name=si.name,
        provider=PROVIDER,
        client_id=si.client_id,
        options={"account": account.identifier},
        source=f"security integration {si.name} (--all)",
    )


def audit_integrations(
    integrations: Iterable[SecurityIntegration], account: Account, context: CheckContext
) -> list[Finding]:
    """Pure: the account-wide rules (SF003, SF004, SF005, SF008, SF009) over every integration."""
    findings: list[Finding] = []
    for si in integrations:
        consumer = consumer_for(si, account)
        snapshot = SnowflakeSnapshot(account.scope, si)
        for check in AUDIT_CHECKS:
            findings.extend(check(consumer, snapshot, context))
    return findings


def audit_account(settings: Any, account: str | Account | None, context: CheckContext) -> AccountAudit:
    """Live ``--all`` for one account: SHOW SECURITY INTEGRATIONS, DESCRIBE every OAuth one (in parallel).

    ``settings`` is what ``provider.parse_settings`` returned (or one ConnectionSettings); ``account`` an
    identifier, an account URL, or None for the connection's own account. Raises UsageError for a
    malformed account (SF007's message) and ProviderError when Snowflake cannot be queried (report it
    as OL005). Never reads client secrets: 1 + N queries for N OAuth integrations.
    """
    from oauthlint.providers.snowflake.fetch import open_session

    resolved = account if isinstance(account, Account) or account is None else parse_account_or_url(account)
    with open_session(settings, resolved) as session:
        shows = session.show_oauth_integrations()
        described, failed = session.describe_all(shows)
        queries = session.queries
        where = session.account
    integrations = tuple(described)
    findings = audit_integrations(integrations, where, context)
    creds = tuple(c for si in integrations for c in integration_credentials(si, where.scope, si.name))
    failures = tuple(_failure(exc, where) for exc in failed)
    return AccountAudit(where.scope, integrations, tuple(findings) + failures, creds, queries, failures)


def _failure(exc: ProviderError, account: Account) -> Finding:
    name = exc.operation.removeprefix("DESCRIBE SECURITY INTEGRATION ").strip()
    return Finding(
        OL005,
        integration=name,
        provider=PROVIDER,
        message=f"snowflake: {exc.operation} failed: {exc.reason}; this integration was not audited.",
        resource=f"security integration {name!r} in account {account.scope}",
        scope=account.scope,
        object_id=name,
    )


def audit_targets(settings: Any, accounts: Iterable[str] | None = None) -> list[tuple[Any, Account | None]]:
    """(connection settings, account) pairs: the given accounts, else every configured connection."""
    wanted = [parse_account_or_url(text) for text in accounts or ()]
    if wanted:
        return [(settings, account) for account in wanted]
    connections = getattr(settings, "connections", ())
    if not connections:
        raise UsageError("snowflake --all: configure [providers.snowflake] (how oauthlint logs in) or pass --account")
    targets: list[tuple[Any, Account | None]] = []
    for conn in connections:
        if conn.account is None and not conn.connection_name:
            raise UsageError(f"{conn.where}: name the account to audit (account = ...) or pass --account")
        targets.append((conn, resolve({"account": conn.account}) if conn.account else None))
    return targets


def audit_live(settings: Any, context: CheckContext, accounts: Iterable[str] | None = None) -> list[Finding]:
    """``oauthlint snowflake --all``: findings for every OAuth integration of every account (ProviderError on failure)."""
    findings: list[Finding] = []
    for conn, account in audit_targets(settings, accounts):
        findings.extend(audit_account(conn, account, context).findings)
    return findings


def scan_secrets_live(settings: Any, accounts: Iterable[str] | None = None) -> Iterator[Credential]:
    """``oauthlint secrets --provider snowflake``: every OAuth integration's credentials, metadata only.

    Integrations that could not be described are not skipped silently: after the others are listed, one
    ProviderError names them."""
    context = CheckContext(now=datetime.now(UTC))
    missed: list[str] = []
    for conn, account in audit_targets(settings, accounts):
        audit = audit_account(conn, account, context)
        yield from audit.credentials
        missed.extend(
            f"{f.object_id} in account {f.scope}: {f.message.removeprefix('snowflake: ')}" for f in audit.failures
        )
    if missed:
        raise ProviderError(PROVIDER, "list OAuth integration credentials", " ".join(missed))


def parse_account_or_url(text: str) -> Account:
    """``myorg-myaccount`` or ``https://myorg-myaccount.snowflakecomputing.com``; UsageError otherwise."""
    key = "account_url" if "://" in text else "account"
    try:
        return resolve({key: text})
    except AccountError as exc:
        raise UsageError(f"--account: {exc}") from None
