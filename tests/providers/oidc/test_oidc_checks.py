"""Pure OIDC checks on hand-built snapshots: near misses that must and must not fire."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from oauthlint.errors import ConfigError, SnapshotError
from oauthlint.model import AuthMode, AuthType, Integration
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.base import CheckContext
from oauthlint.providers.oidc import provider
from oauthlint.providers.oidc.checks import insecure, normalise
from oauthlint.providers.oidc.fetch import issuer_candidates
from oauthlint.providers.oidc.settings import parse_settings
from oauthlint.registry import registry

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

CTX = CheckContext(now=datetime(2026, 11, 25, tzinfo=UTC))
ISSUER = "https://idp.example.com/realms/demo"


def doc(**overrides: Any) -> dict[str, Any]:
    base = {
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/protocol/openid-connect/auth",
        "token_endpoint": ISSUER + "/protocol/openid-connect/token",
        "scopes_supported": ["openid", "offline_access"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def codes(data: Any, **options: Any) -> list[str]:
    mode = options.pop("auth_mode", AuthMode.CONFIDENTIAL)
    kind = options.pop("auth_type", AuthType.VIEWER)
    integration = Integration(name="i", provider="oidc", client_id="c", auth_mode=mode, auth_type=kind, options=options)
    snapshot = provider.parse_snapshot(data, integration, "test")
    return [f.code for f in provider.check(integration, snapshot, CTX)]


def test_clean_document_passes() -> None:
    assert codes(doc(), authorization_uri=ISSUER + "/protocol/openid-connect/auth/") == []


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("https://idp.example.com/x", False),
        ("http://localhost:8080/x", False),
        ("http://127.0.0.1/x", False),
        ("http://[::1]:8080/x", False),
        ("http://idp.example.com/x", True),
        ("http://localhost.evil.example/x", True),
        ("ftp://idp.example.com/x", True),
    ],
)
def test_insecure(url: str, bad: bool) -> None:
    assert insecure(url) is bad


def test_normalise_ignores_case_default_port_and_trailing_slash_only() -> None:
    assert normalise("HTTPS://IdP.example.com:443/a/") == normalise("https://idp.example.com/a")
    assert normalise("https://idp.example.com/A") != normalise("https://idp.example.com/a")
    assert normalise("https://idp.example.com:8443/a") != normalise("https://idp.example.com/a")


def test_absent_lists_decide_nothing() -> None:
    assert codes(doc(scopes_supported=None, grant_types_supported=None), token_endpoint_auth_method="x") == []


def test_service_accounts_need_no_refresh_or_login_endpoint() -> None:
    data = doc(scopes_supported=["openid"], grant_types_supported=["client_credentials"])
    assert codes(data, auth_type=AuthType.SERVICE_ACCOUNT, authorization_uri="https://elsewhere.example/auth") == []


def test_public_client_needs_method_none() -> None:
    data = doc(token_endpoint_auth_methods_supported=["client_secret_basic"])
    assert codes(data, auth_mode=AuthMode.PUBLIC) == ["OI006"]
    assert codes(doc(token_endpoint_auth_methods_supported=["none"]), auth_mode=AuthMode.PUBLIC) == []


def test_pkce_off_is_not_checked() -> None:
    data = doc(code_challenge_methods_supported=["plain"])
    assert codes(data) == ["OI007"]
    assert codes(data, use_pkce=False) == []


def test_each_insecure_endpoint_is_its_own_finding() -> None:
    data = doc(token_endpoint="http://idp.example.com/token", userinfo_endpoint="http://idp.example.com/me")
    integration = Integration(name="i", provider="oidc", client_id="c")
    snapshot = provider.parse_snapshot(data, integration, "t")
    ids = {f.object_id for f in provider.check(integration, snapshot, CTX) if f.code == "OI001"}
    assert ids == {"c#token_endpoint", "c#userinfo_endpoint"}


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"no": "issuer"},
        {"issuer": ""},
        {"issuer": "x", "scopes_supported": "openid"},
        {"issuer": "x", "token_endpoint": 3},
    ],
)
def test_snapshot_shape_errors(bad: Any) -> None:
    with pytest.raises(SnapshotError):
        provider.parse_snapshot(bad, Integration(name="i", provider="oidc"), "f.json")


def test_probe_in_snapshot_must_be_well_formed() -> None:
    with pytest.raises(SnapshotError, match="status"):
        provider.parse_snapshot(
            {"discovery": doc(), "probe": {"error": "x"}}, Integration(name="i", provider="oidc"), "f"
        )


def test_issuer_candidates() -> None:
    explicit = Integration(name="i", provider="oidc", options={"issuer": ISSUER + "/"})
    assert issuer_candidates(explicit) == [ISSUER]
    derived = Integration(
        name="i", provider="oidc", options={"authorization_uri": ISSUER + "/protocol/openid-connect/auth"}
    )
    assert issuer_candidates(derived) == [
        ISSUER + "/protocol/openid-connect",
        ISSUER + "/protocol",
        ISSUER,
        "https://idp.example.com/realms",
        "https://idp.example.com",
    ]
    assert issuer_candidates(Integration(name="i", provider="oidc")) == []


def test_settings() -> None:
    assert parse_settings(None, "w").probe is True
    assert parse_settings({"timeout": 3, "retries": 0, "probe": False}, "w").http.timeout == 3.0
    for bad in ({"timeout": 0}, {"retries": 9}, {"probe": "yes"}, {"ca_bundle": "/nonexistent.pem"}, {"typo": 1}, []):
        with pytest.raises(ConfigError):
            parse_settings(bad, "oauthlint.toml: providers.oidc")
