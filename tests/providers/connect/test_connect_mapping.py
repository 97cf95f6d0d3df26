"""Pure parts of the Connect source: template → provider mapping, the CN001/CN002 decisions, import cost."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from fakes.connect_api import association, integration, session
from oauthlint.config import parse_integration
from oauthlint.errors import ConfigError, UsageError
from oauthlint.model import AuthMode, Integration, Severity
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.connect import provider
from oauthlint.providers.connect.gate import check_content, check_sessions
from oauthlint.providers.connect.mapping import Skipped, map_integrations, provider_for, to_integration
from oauthlint.registry import registry
from oauthlint.rules import catalog

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

G = "0b0e6a8c-1111-4a1a-9c1a-0000000000aa"


def one(item: dict[str, Any], configured: dict[str, Integration] | None = None) -> Integration | Skipped:
    return to_integration(
        item, connect_server="https://c.example.com", server_label="connect x", configured=configured or {}
    )


@pytest.mark.parametrize(
    ("template", "auth_uri", "expected"),
    [
        ("azure", "", "azure"),
        ("azure-openai", "", "azure"),
        ("sharepoint", "", "azure"),
        ("msgraph", "", "azure"),
        ("snowflake", "", "snowflake"),
        ("github", "", "github"),
        ("custom", "http://keycloak:8080/realms/demo/protocol/openid-connect/auth", "keycloak"),  # S5 fixture
        ("custom", "https://github.com/login/oauth/authorize", "github"),  # S4 custom GitHub App
        ("custom", "https://ghe.example.com/login/oauth/authorize", "github"),
        ("custom", "https://acme.okta.com/oauth2/default/v1/authorize", "oidc"),
        ("custom", "https://kc.example.com/realms/demo/protocol/saml", "oidc"),
        ("custom", "", "oidc"),
        ("aws", "", None),
        ("databricks", "", None),
    ],
)
def test_provider_for(template: str, auth_uri: str, expected: str | None) -> None:
    assert provider_for(template, {"authorization_uri": auth_uri}) == expected


def test_public_viewer_and_list_scopes() -> None:
    item = integration(
        G, "pub", "azure", {"auth_mode": "Public", "client_id": "c", "scopes": ["offline_access x/.default"]}
    )
    mapped = one(item)
    assert isinstance(mapped, Integration)
    assert mapped.auth_mode is AuthMode.PUBLIC and mapped.scopes == ("offline_access", "x/.default")
    assert mapped.source == f"connect x: oauth integration {G} (azure)"


def test_visitor_api_key_and_unknown_templates_are_skipped() -> None:
    visitor = one(integration(G, "v", "connect", {"max_role": "Viewer"}, auth_type="Visitor API Key"))
    assert isinstance(visitor, Skipped) and "Visitor API Key" in visitor.reason
    assert isinstance(one(integration(G, "b", "bigquery", {"client_id": "x.apps.googleusercontent.com"})), Skipped)


def test_config_entry_overrides_provider_and_adds_keys() -> None:
    local = parse_integration(
        {"name": "kc-as-oidc", "provider": "oidc", "issuer": "https://kc.example.com/realms/demo"}, where="t"
    )
    item = integration(G, "kc-as-oidc", "custom", {"authorization_uri": "https://kc.example.com/realms/demo/protocol/openid-connect/auth", "token_uri": "https://kc.example.com/realms/demo/protocol/openid-connect/token", "use_pkce": False})  # fmt: skip
    mapped = one(item, {"kc-as-oidc": local})
    assert isinstance(mapped, Integration) and mapped.provider == "oidc"
    assert mapped.options["issuer"] == "https://kc.example.com/realms/demo" and mapped.options["use_pkce"] is False


def test_duplicate_names_get_the_guid() -> None:
    a = integration("aaaaaaaa-0000-4000-8000-000000000001", "same", "github", {"client_id": "Iv23liKagsdSr7lkx7M5"})
    b = integration("bbbbbbbb-0000-4000-8000-000000000002", "same", "github", {"client_id": "Iv23liKagsdSr7lkx7M6"})
    source = map_integrations([a, b, "junk"], connect_server="https://c", server_label="connect x")
    assert [i.name for i in source.integrations] == ["same", "same [bbbbbbbb]"]


def test_cn001_and_cn002_decisions() -> None:
    item = integration(G, "kc", "custom", {})
    sa = integration("cccccccc-0000-4000-8000-000000000003", "sa", "custom", {}, auth_type="Service Account")
    assert [f.code for f in check_content("c.example.com", "content-1", [])] == ["CN001"]
    assert list(check_content("c.example.com", "content-1", [association("content-1", item)])) == []
    assoc = [association("c1", item), association("c1", sa)]
    ok = [session("s1", G, True)]
    assert list(check_sessions("c", assoc, ok)) == []
    assert list(check_sessions("c", assoc, [session("s2", "cccccccc-0000-4000-8000-000000000003", False)])) == []
    missing_field = [{"guid": "s3", "oauth_integration_guid": G}]  # no has_refresh_token: nothing concluded
    assert list(check_sessions("c", assoc, missing_field)) == []
    findings = list(check_sessions("c", assoc, [*ok, session("s4", G, False)], {G: "renamed"}))
    assert [(f.code, f.integration, f.object_id) for f in findings] == [("CN002", "renamed", G)]
    assert "1 of 2" in findings[0].message


def test_catalog_contract() -> None:
    rules = catalog()
    assert (rules["CN001"].name, rules["CN001"].severity) == ("connect-content-unassociated", Severity.ERROR)
    assert (rules["CN002"].name, rules["CN002"].severity) == ("connect-no-refresh-token-sessions", Severity.WARNING)


def test_connect_is_not_a_provider_for_integrations() -> None:
    integration_ = parse_integration({"name": "x", "provider": "connect"}, where="t")
    with pytest.raises(UsageError, match="--connect-server"):
        provider.fetch(integration_, None)
    assert provider.parse_settings({"timeout": 3}, "w").timeout == 3
    with pytest.raises(ConfigError):
        provider.parse_settings({"probe": True}, "w")


def test_importing_the_providers_imports_no_http_library() -> None:
    code = (
        "import sys, oauthlint.providers.github, oauthlint.providers.oidc, oauthlint.providers.connect, "
        "oauthlint.providers.connect.source, oauthlint.providers.connect.mapping, oauthlint.providers.connect.gate; "
        "print(sorted(m for m in ('requests', 'msal', 'keycloak', 'snowflake.connector') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
