"""Pure checks on hand-built snapshots: the cases fixtures cannot express (live lookups, info severity)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oauthlint.model import AuthType, Integration, Secret, Severity
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.audit import credentials
from oauthlint.providers.snowflake.checks import redirect_difference
from oauthlint.providers.snowflake.snapshot import (
    Lookup,
    SecretComparison,
    SecretOutcome,
    SnowflakeSnapshot,
    integration_from_properties,
)

CB = "https://connect.example.com/__oauth__/integrations/callback"
CTX = CheckContext(now=datetime(2026, 11, 25, 12, tzinfo=UTC))


def integ(**kw: object) -> Integration:
    base: dict[str, object] = {
        "name": "sf",
        "provider": "snowflake",
        "client_id": "CID=",
        "client_secret": Secret("sf-canary-checks-55aa"),
        "scopes": ("refresh_token",),
        "connect_server": "https://connect.example.com",
        "options": {"account": "myorg-myaccount"},
    }
    base.update(kw)
    return Integration(**base)  # type: ignore[arg-type]


def snap(**props: str) -> SnowflakeSnapshot:
    """A DESCRIBE result with the given rows; the identity rows every real DESCRIBE has are filled in."""
    props.setdefault("OAUTH_CLIENT_ID", "CID=")
    props.setdefault("OAUTH_REDIRECT_URI", CB)
    return SnowflakeSnapshot("myorg-myaccount", integration_from_properties("POSIT_CONNECT", props))


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        (CB, None),
        (CB + "/", "trailing slash"),
        (CB + " ", "whitespace"),
        (CB.replace("https:", "http:"), "uses http:// where Connect sends https://"),
        (CB.replace("connect.example.com", "CONNECT.example.com"), "host differs in case"),
        (CB.replace("example.com", "example.com:443"), "default port explicitly"),
        (CB.replace("example.com", "example.com:8443"), "port differs (8443 vs 443)"),
        (CB.replace("callback", "Callback"), "path differs in case"),
        (CB + "?x=1", "query or fragment"),
        ("https://other.example.com/__oauth__/integrations/callback", "another host"),
        ("https://connect.example.com/callback", "the path is '/callback'"),
    ],
)
def test_redirect_difference_names_near_misses(registered: str, expected: str | None) -> None:
    why = redirect_difference(registered, CB)
    if expected is None:
        assert why is None
    else:
        assert why is not None and expected in why


def codes(integration: Integration, snapshot: SnowflakeSnapshot) -> list[str]:
    return [f.code for f in provider.check(integration, snapshot, CTX)]


def test_not_found_live_lookup_is_sf001_with_count() -> None:
    snapshot = SnowflakeSnapshot("myorg-myaccount", None, lookup=Lookup.NOT_FOUND, searched=3)
    findings = provider.check(integ(), snapshot, CTX)
    assert [f.code for f in findings] == ["SF001"]
    assert "looked at 3 OAuth security integrations" in findings[0].message
    assert findings[0].scope == "myorg-myaccount" and findings[0].object_id == "CID="


def test_skipped_lookup_reports_only_sf007() -> None:
    snapshot = SnowflakeSnapshot("", None, lookup=Lookup.SKIPPED)
    assert codes(integ(options={"account": "https://x.snowflakecomputing.com"}), snapshot) == ["SF007"]


def test_unavailable_secrets_is_an_info_sf006() -> None:
    s = snap()
    s = SnowflakeSnapshot(
        s.scope, s.integration, secret=SecretComparison(SecretOutcome.UNAVAILABLE, "it needs OWNERSHIP")
    )
    [finding] = provider.check(integ(), s, CTX)
    assert (finding.code, finding.level) == ("SF006", Severity.INFO)
    assert "OWNERSHIP" in finding.message


def test_clean_integration_passes_everything() -> None:
    s = snap(
        ENABLED="true",
        OAUTH_REDIRECT_URI=CB,
        OAUTH_CLIENT_TYPE="CONFIDENTIAL",
        OAUTH_ISSUE_REFRESH_TOKENS="true",
        OAUTH_REFRESH_TOKEN_VALIDITY="7776000",
        OAUTH_ALLOW_NON_TLS_REDIRECT_URI="false",
    )
    assert codes(integ(), s) == []


def test_service_account_skips_login_rules() -> None:
    s = snap(
        OAUTH_REDIRECT_URI="https://elsewhere/", OAUTH_ISSUE_REFRESH_TOKENS="false", OAUTH_REFRESH_TOKEN_VALIDITY="60"
    )
    assert codes(integ(auth_type=AuthType.SERVICE_ACCOUNT), s) == []


def test_findings_are_distinct_per_integration_and_stable() -> None:
    s = snap(ENABLED="false")
    [a] = provider.check(integ(), s, CTX)
    [b] = provider.check(integ(), s, CTX)
    assert a.fingerprint == b.fingerprint
    assert a.resource == "security integration 'POSIT_CONNECT' in account myorg-myaccount"
    assert a.message.startswith("POSIT_CONNECT has ENABLED = FALSE")


def test_credentials_are_honest_about_missing_dates() -> None:
    s = snap(OAUTH_REFRESH_TOKEN_VALIDITY="7776000", OAUTH_CLIENT_RSA_PUBLIC_KEY_FP="SHA256:abc=")
    creds = list(credentials(integ(), s))
    assert [c.kind for c in creds] == ["client secret", "secondary client secret", "RSA public key"]
    assert all(c.end is None and c.start is None for c in creds)
    assert "never expire" in creds[0].detail and "90 days" in creds[0].detail
    assert list(provider.credentials(integ(), SnowflakeSnapshot("x", None, lookup=Lookup.NOT_FOUND))) == []


def test_offline_scopes_and_keys() -> None:
    assert provider.offline_scopes == ("refresh_token",)
    assert set(provider.integration_keys) == {"account", "account_url", "integration_name"}
