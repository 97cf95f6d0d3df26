"""Connect as a source of integrations and the --content gate, against the local fake Connect API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.connect_api import ConnectData, FakeConnect, association, integration, session
from fakes.oidc_issuer import FakeIssuer, IssuerBehaviour
from oauthlint.config import parse_config
from oauthlint.engine import run
from oauthlint.errors import ProviderError, UsageError
from oauthlint.model import AuthMode, AuthType
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.connect.source import (
    api_key_from_env,
    content_findings,
    load_integrations,
    load_source,
)
from oauthlint.providers.oidc.settings import HttpOptions
from oauthlint.registry import registry
from oauthlint.report import RenderOptions, renderer
from oauthlint.rules import catalog
from oauthlint.selection import RuleSelection

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

ADMIN_KEY = "canary-connect-admin-key-ABCDEF123456"
PUBLISHER_KEY = "canary-connect-publisher-key-987654"
SECRET = "canary-client-secret-for-connect-77"
G_AZURE = "0b0e6a8c-1111-4a1a-9c1a-000000000001"
G_SNOW = "0b0e6a8c-1111-4a1a-9c1a-000000000002"
G_KC = "0b0e6a8c-1111-4a1a-9c1a-000000000003"
G_GHOAUTH = "0b0e6a8c-1111-4a1a-9c1a-000000000004"
G_GHNATIVE = "0b0e6a8c-1111-4a1a-9c1a-000000000005"
G_OIDC = "0b0e6a8c-1111-4a1a-9c1a-000000000006"
G_SA = "0b0e6a8c-1111-4a1a-9c1a-000000000007"
G_VISITOR = "0b0e6a8c-1111-4a1a-9c1a-000000000008"
G_AWS = "0b0e6a8c-1111-4a1a-9c1a-000000000009"
C_OK = "3f1c2e4a-2222-4b2b-8d2d-000000000001"
C_NONE = "3f1c2e4a-2222-4b2b-8d2d-000000000002"
C_SA = "3f1c2e4a-2222-4b2b-8d2d-000000000003"


def sample(oidc_base: str = "https://idp.example.com/oauth2/default") -> ConnectData:
    items = [
        integration(G_AZURE, "sales-dashboard", "azure", {"auth_mode": "Confidential", "client_id": "11111111-2222-3333-4444-555555555555", "tenant_id": "contoso.onmicrosoft.com", "scopes": "offline_access 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"}),
        integration(G_SNOW, "snowflake-viewer", "snowflake", {"account_url": "https://myorg-acct.snowflakecomputing.com", "auth_mode": "Confidential", "client_id": "AbCdEf0123456789abcdEFGH=", "scopes": "refresh_token"}),
        integration(G_KC, "keycloak-app", "custom", {"auth_mode": "Confidential", "authorization_uri": "https://sso.example.com/auth/realms/posit/protocol/openid-connect/auth", "token_uri": "https://sso.example.com/auth/realms/posit/protocol/openid-connect/token", "client_id": "rsconnect-oidc", "scopes": "openid offline_access", "token_endpoint_auth_method": "client_secret_basic", "use_pkce": True}),
        integration(G_GHOAUTH, "gh-custom", "custom", {"auth_mode": "Confidential", "authorization_uri": "https://github.com/login/oauth/authorize", "token_uri": "https://github.com/login/oauth/access_token", "client_id": "Ov23liAbCdEfGhIjKlMn", "scopes": "", "token_endpoint_auth_method": "client_secret_post", "use_pkce": True}),
        integration(G_GHNATIVE, "gh-native", "github", {"auth_mode": "Confidential", "client_id": "Ov23liZyXwVuTsRqPoNm"}),
        integration(G_OIDC, "okta-app", "custom", {"auth_mode": "Confidential", "authorization_uri": oidc_base + "/protocol/openid-connect/auth", "token_uri": oidc_base + "/protocol/openid-connect/token", "client_id": "connect-client", "scopes": "openid profile offline_access", "token_endpoint_auth_method": "client_secret_basic", "use_pkce": True}),
        integration(G_SA, "azure-sa", "azure", {"client_id": "66666666-2222-3333-4444-555555555555", "tenant_id": "contoso.onmicrosoft.com", "scopes": "https://graph.microsoft.com/.default"}, auth_type="Service Account"),
        integration(G_VISITOR, "visitor-key", "connect", {"max_role": "Viewer"}, auth_type="Visitor API Key"),
        integration(G_AWS, "aws-viewer", "aws", {"auth_mode": "Confidential", "client_id": "x", "role_arn": "arn:aws:iam::1:role/r"}),
    ]  # fmt: skip
    by_guid = {i["guid"]: i for i in items}
    return ConnectData(
        integrations=items,
        associations={
            C_OK: [association(C_OK, by_guid[G_AZURE]), association(C_OK, by_guid[G_KC])],
            C_NONE: [],
            C_SA: [association(C_SA, by_guid[G_SA])],
        },
        sessions=[
            session("aaaaaaaa-0000-4000-8000-000000000001", G_AZURE, True),
            session("aaaaaaaa-0000-4000-8000-000000000002", G_KC, False),
            session("aaaaaaaa-0000-4000-8000-000000000003", G_KC, False),
            session("aaaaaaaa-0000-4000-8000-000000000004", G_KC, True),
            session("aaaaaaaa-0000-4000-8000-000000000005", G_GHOAUTH, False),  # not used by the gated content
        ],
        api_keys={ADMIN_KEY: "administrator", PUBLISHER_KEY: "publisher"},
    )


@pytest.fixture
def connect() -> Iterator[FakeConnect]:
    with FakeConnect(sample()) as fake:
        yield fake


def config(**extra: Any) -> Any:
    return parse_config(
        {
            "connect_server": "https://connect.example.com",
            "integrations": [
                {"name": "sales-dashboard", "provider": "azure", "client_secret": "${env:S}"},
                {"name": G_KC, "provider": "keycloak", "client_secret": "${env:S}"},
            ],
            **extra,
        },
        label="test",
        environ={"S": SECRET},
    )


FAST = HttpOptions(timeout=5, retries=1, backoff=0.01)


def assert_read_only(fake: FakeConnect) -> None:
    assert fake.requests and all(r.method == "GET" for r in fake.requests)


def test_integrations_are_mapped_to_providers(connect: FakeConnect) -> None:
    source = load_source(connect.url, ADMIN_KEY, config(), http=FAST)
    by_name = {i.name: i for i in source.integrations}
    assert {n: i.provider for n, i in by_name.items()} == {
        "sales-dashboard": "azure",
        "snowflake-viewer": "snowflake",
        "keycloak-app": "keycloak",
        "gh-custom": "github",
        "gh-native": "github",
        "okta-app": "oidc",
        "azure-sa": "azure",
    }
    assert {s.name: s.template for s in source.skipped} == {"visitor-key": "connect", "aws-viewer": "aws"}
    azure = by_name["sales-dashboard"]
    assert azure.scopes == ("offline_access", "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default")
    assert azure.options == {"tenant_id": "contoso.onmicrosoft.com"} and azure.auth_mode is AuthMode.CONFIDENTIAL
    assert azure.client_secret is not None and azure.client_secret.reveal() == SECRET  # matched by name
    assert azure.connect_server == "https://connect.example.com"  # the config's public URL, not the API URL
    kc = by_name["keycloak-app"]
    assert kc.options == {"server_url": "https://sso.example.com/auth", "realm": "posit"}
    assert kc.client_secret is not None  # matched by guid
    assert by_name["snowflake-viewer"].options == {"account_url": "https://myorg-acct.snowflakecomputing.com"}
    assert by_name["gh-custom"].options == {"connect_template": "custom", "host": "github.com"}
    assert by_name["gh-native"].options == {"connect_template": "github"}
    assert by_name["okta-app"].options["token_endpoint_auth_method"] == "client_secret_basic"
    assert by_name["okta-app"].client_secret is None  # Connect never returns secrets
    assert by_name["azure-sa"].auth_type is AuthType.SERVICE_ACCOUNT
    assert source.guids["keycloak-app"] == G_KC
    assert_read_only(connect)
    assert connect.requests[0].path == "/__api__/v1/oauth/integrations" and connect.requests[0].key_ok


def test_publisher_key_can_list(connect: FakeConnect) -> None:
    assert len(load_integrations(connect.url + "/__api__/", PUBLISHER_KEY, http=FAST)) == 7


def test_wrong_key_is_one_line_without_the_key(connect: FakeConnect) -> None:
    with pytest.raises(ProviderError) as err:
        load_integrations(connect.url, "canary-wrong-key-31337", http=FAST)
    text = str(err.value)
    assert "HTTP 401" in text and "CONNECT_API_KEY" in text and "Connect error 3" in text
    assert "canary-wrong-key-31337" not in text and "\n" not in text


def test_content_gate(connect: FakeConnect) -> None:
    integrations = load_integrations(connect.url, ADMIN_KEY, config(), http=FAST)
    findings = content_findings(connect.url, ADMIN_KEY, [C_OK, C_NONE, C_SA, C_OK], integrations, http=FAST)
    got = sorted((f.code, f.integration, f.object_id) for f in findings)
    assert got == [("CN001", f"content {C_NONE}", C_NONE), ("CN002", "keycloak-app", G_KC)]
    cn002 = next(f for f in findings if f.code == "CN002")
    assert "2 of 3 OAuth sessions" in cn002.message and cn002.rule is catalog()["CN002"]
    assert cn002.scope == connect.url.removeprefix("http://")
    paths = [(r.path, r.query) for r in connect.requests if "content" in r.path or "sessions" in r.path]
    assert (("/__api__/v1/oauth/sessions", "all=true")) in paths
    assert sum(1 for p, _ in paths if C_OK in p) == 1  # a repeated GUID is asked once
    assert_read_only(connect)


def test_gate_needs_an_admin_for_sessions(connect: FakeConnect) -> None:
    with pytest.raises(ProviderError, match=r"HTTP 403.*administrator"):
        content_findings(connect.url, PUBLISHER_KEY, [C_OK], http=FAST)


def test_unknown_content_is_a_provider_error(connect: FakeConnect) -> None:
    with pytest.raises(ProviderError, match=r"HTTP 404.*no content item 3f1c2e4a-2222-4b2b-8d2d-0000000000ff"):
        content_findings(connect.url, ADMIN_KEY, ["3f1c2e4a-2222-4b2b-8d2d-0000000000ff"], http=FAST)


def test_malformed_guid_is_a_usage_error(connect: FakeConnect) -> None:
    with pytest.raises(UsageError, match="not a content GUID"):
        content_findings(connect.url, ADMIN_KEY, ["../../v1/users"], http=FAST)
    assert connect.requests == []


def test_old_connect_and_outages(tmp_path: Path) -> None:
    data = sample()
    data.failures["/__api__/v1/oauth/integrations"] = [404]
    with FakeConnect(data) as fake:
        with pytest.raises(ProviderError, match=r"2024\.12"):
            load_integrations(fake.url, ADMIN_KEY, http=FAST)
        data.failures["/__api__/v1/oauth/integrations"] = [503, 502]
        with pytest.raises(ProviderError, match=r"HTTP 502.*Connect is failing"):
            load_integrations(fake.url, ADMIN_KEY, http=FAST)  # 1 retry: two answers, both failing
        data.failures["/__api__/v1/oauth/integrations"] = [503]
        assert len(load_integrations(fake.url, ADMIN_KEY, http=FAST)) == 7  # recovered on the retry
        assert len(fake.requests) == 5


def test_tls_with_ca_bundle_and_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with FakeConnect(sample(), tls_dir=tmp_path) as fake:
        trusted = HttpOptions(timeout=5, retries=0, ca_bundle=str(fake.ca_bundle))
        assert len(load_integrations(fake.url, ADMIN_KEY, http=trusted)) == 7
        with pytest.raises(ProviderError, match="TLS certificate") as err:
            load_integrations(fake.url, ADMIN_KEY, http=HttpOptions(timeout=5, retries=0))
        assert ADMIN_KEY not in str(err.value)


def test_settings_from_config_are_used(tmp_path: Path) -> None:
    with FakeConnect(sample(), tls_dir=tmp_path) as fake:
        cfg = config(providers={"connect": {"ca_bundle": str(fake.ca_bundle), "retries": 0}})
        assert len(load_integrations(fake.url, ADMIN_KEY, cfg)) == 7


def test_api_key_from_env() -> None:
    key = api_key_from_env({"CONNECT_API_KEY": ADMIN_KEY})
    assert key.reveal() == ADMIN_KEY and ADMIN_KEY not in repr(key)
    with pytest.raises(UsageError, match="CONNECT_API_KEY"):
        api_key_from_env({})


def test_end_to_end_check_never_leaks(tmp_path: Path) -> None:
    """Connect lists the integrations; the engine checks them (github offline, oidc live); no canary leaks."""
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=SECRET, realm_path="/oauth2/default")) as issuer:
        data = sample(oidc_base=issuer.issuer)
        with FakeConnect(data) as connect:
            cfg = parse_config(
                {
                    "connect_server": "https://connect.example.com",
                    "providers": {"oidc": {"ca_bundle": str(issuer.ca_bundle), "retries": 0}},
                    "integrations": [{"name": "okta-app", "provider": "oidc", "client_secret": "${env:S}"}],
                },
                label="test",
                environ={"S": "canary-wrong-okta-secret-4242"},
            )
            targets = [
                i for i in load_integrations(connect.url, ADMIN_KEY, cfg, http=FAST) if i.provider in ("github", "oidc")
            ]
            report = run(cfg, selection=RuleSelection.parse([], [], catalog(), "t"), integrations=targets)
            gate = content_findings(connect.url, ADMIN_KEY, [C_NONE], targets, http=FAST)
            assert_read_only(connect)
    codes = sorted((f.integration, f.code) for f in report.findings)
    assert ("gh-custom", "GH001") in codes and ("okta-app", "OI004") in codes
    assert ("gh-native", "GH001") not in codes  # Connect's own GitHub template handles OAuth Apps
    # Connect never returns secrets: without a reference in the config, the core reports OL003 (see report).
    assert ("gh-native", "OL003") in codes and ("okta-app", "OL003") not in codes
    assert [f.code for f in gate] == ["CN001"]
    report.findings.extend(gate)
    options = RenderOptions(fail_on="error", color=False, quiet=False, width=200)
    for fmt in ("json", "text"):
        out = renderer(fmt).findings(report, options)
        for canary in (ADMIN_KEY, SECRET, "canary-wrong-okta-secret-4242"):
            assert canary not in out
    assert json.loads(renderer("json").findings(report, options))["findings"]
