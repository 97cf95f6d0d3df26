"""Account-wide views: the credential listing for ``oauthlint secrets`` and ``--all`` audits.

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
from typing import Any

from oauthlint.errors import UsageError
from oauthlint.model import Credential, Finding, Integration
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake.account import Account, AccountError, resolve
from oauthlint.providers.snowflake.checks import AUDIT_CHECKS
from oauthlint.providers.snowflake.snapshot import SecurityIntegration, SnowflakeSnapshot

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


def audit_account(settings: Any, account: str | Account, context: CheckContext) -> AccountAudit:
    """Live ``--all``: SHOW SECURITY INTEGRATIONS, DESCRIBE every OAuth one (in parallel), check them.

    ``settings`` is what ``provider.parse_settings`` returned; ``account`` an identifier or account URL.
    Raises UsageError for a malformed account (SF007's message) and ProviderError when Snowflake cannot
    be queried (the caller reports OL005). Never reads client secrets.
    """
    from oauthlint.providers.snowflake.fetch import open_session

    resolved = account if isinstance(account, Account) else parse_account_or_url(account)
    with open_session(settings, resolved) as session:
        shows = session.show_oauth_integrations()
        integrations = tuple(session.describe_all(shows))
        queries = session.queries
    findings = audit_integrations(integrations, resolved, context)
    creds = tuple(c for si in integrations for c in integration_credentials(si, resolved.scope, si.name))
    return AccountAudit(resolved.scope, integrations, tuple(findings), creds, queries)


def parse_account_or_url(text: str) -> Account:
    """``myorg-myaccount`` or ``https://myorg-myaccount.snowflakecomputing.com``; UsageError otherwise."""
    key = "account_url" if "://" in text else "account"
    try:
        return resolve({key: text})
    except AccountError as exc:
        raise UsageError(f"--account: {exc}") from None
