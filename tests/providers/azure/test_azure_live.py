"""The live fetcher end to end: real msal and requests against the local TLS fake of Entra and Graph."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme

from fakes.entra_graph import READ_APPS
from fakes.entra_proxy import ConnectProxy
from fakes.entra_scenario import (
    APP_ID,
    APP_SECRET,
    CANARIES,
    READER_ID,
    READER_SECRET,
    SP_ID,
    TENANT_ID,
    Live,
    app_json,
)
from oauthlint.errors import ProviderError
from oauthlint.model import AuthMode, AuthType, Secret
from oauthlint.providers.azure import provider
from oauthlint.providers.base import CheckContext


def _findings(live: Live, settings: Any = None, **overrides: Any) -> list[Any]:
    integration = live.integration(**overrides)
    snapshot = provider.fetch(integration, settings or live.settings())
    findings = provider.check(integration, snapshot, CheckContext(now=datetime.now(UTC)))
    for f in findings:
        assert not any(c in f.message for c in CANARIES)
    return findings


def _codes(live: Live, settings: Any = None, **overrides: Any) -> list[str]:
    return [f.code for f in _findings(live, settings, **overrides)]


def _error(live: Live, settings: Any = None, **overrides: Any) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        provider.fetch(live.integration(**overrides), settings or live.settings())
    text = str(info.value)
    assert "\n" not in text and not any(c in text for c in CANARIES)
    assert info.value.__cause__ is None or not any(c in str(info.value.__cause__) for c in CANARIES)
    return info.value


def _assert_read_only(live: Live) -> None:
    for r in live.fake.log:
        if r.is_graph and r.method == "POST":
            assert r.path == "/v1.0/$batch" and not r.batched, r  # a JSON batch: its sub-requests are checked below
        elif r.is_graph:
            assert r.method == "GET", r
        else:
            assert (r.method, r.path.endswith("/oauth2/v2.0/token")) in {("POST", True), ("GET", False)}, r
            if r.method == "POST":
                assert r.grant_type == "client_credentials"


# --- the happy path -------------------------------------------------------------------------------------


def test_clean_app_has_no_findings_and_only_reads(live: Live) -> None:
    integration = live.integration()
    snapshot = provider.fetch(integration, live.settings())
    assert snapshot.found and snapshot.app_id == APP_ID and snapshot.scope == TENANT_ID
    assert snapshot.probe is not None and snapshot.probe.ok and not snapshot.probe.skipped
    assert snapshot.server_date is not None and snapshot.observed_at is not None
    assert snapshot.service_principal is not None and snapshot.service_principal.id == SP_ID
    assert snapshot.permission_grants and snapshot.resource_principals
    assert provider.check(integration, snapshot, CheckContext(now=datetime.now(UTC))) == []
    _assert_read_only(live)
    graph_calls = [r for r in live.fake.log if r.is_graph]
    assert all(r.authorized for r in graph_calls)
    assert all("$select" in r.query for r in graph_calls)
    app_call = next(r for r in graph_calls if r.path.startswith("/v1.0/applications("))
    assert "keyCredentials" not in app_call.query["$select"][0]


def test_reader_token_and_resource_principals_are_reused(live: Live) -> None:
    settings = live.settings()
    provider.fetch(live.integration(), settings)
    provider.fetch(live.integration(name="second"), settings)
    reader_tokens = [r for r in live.fake.log if r.method == "POST" and r.client_id == READER_ID]
    probes = [r for r in live.fake.log if r.method == "POST" and r.client_id == APP_ID]
    assert len(reader_tokens) == 1
    assert len(probes) == 2  # a fresh msal app (no token cache) per probe
    assert len(live.fake.requests_to("/servicePrincipals/")) == 1
    assert len(live.fake.requests_to("openid-configuration")) == 1


def test_server_date_feeds_clock_skew(live: Live) -> None:
    live.fake.date_offset = timedelta(minutes=10)
    snapshot = provider.fetch(live.integration(), live.settings())
    assert snapshot.server_date is not None and snapshot.observed_at is not None
    assert snapshot.server_date - snapshot.observed_at > timedelta(minutes=9)


# --- live-only rules -------------------------------------------------------------------------------------


def test_az001_unknown_app(live: Live) -> None:
    findings = _findings(live, client_id="11111111-2222-4333-8444-555555555555")
    assert [f.code for f in findings] == ["AZ001"]
    assert TENANT_ID in findings[0].message and findings[0].scope == TENANT_ID


def test_multi_tenant_app_from_another_tenant_is_not_az001(live: Live) -> None:
    home = "11111111-aaaa-4bbb-8ccc-222222222222"
    live.tenant.apps.clear()
    live.tenant.service_principals[0]["appOwnerOrganizationId"] = home
    error = _error(live)
    assert f"registered in tenant {home}" in error.reason and "Add a [providers.azure] entry" in error.reason
    # Configured by domain name, a service principal owned by this very tenant (GUID) is not "foreign".
    live.tenant.service_principals[0]["appOwnerOrganizationId"] = TENANT_ID
    settings = live.settings(tenant_id="contoso.onmicrosoft.com")
    assert _codes(live, settings, options={"tenant_id": "contoso.onmicrosoft.com"}) == ["AZ001"]


def test_az001_client_id_not_a_guid_needs_no_request(live: Live) -> None:
    assert _codes(live, client_id="sales-dashboard") == ["AZ001"]
    assert not [r for r in live.fake.log if r.is_graph]


def test_az008_wrong_secret(live: Live) -> None:
    # Same first three characters (AZ005 stays silent), but not the value Entra holds: only the probe can tell.
    findings = _findings(live, client_secret=Secret(APP_SECRET[:3] + "-CANARY-wrong-value"))
    assert [f.code for f in findings] == ["AZ008"]
    assert "AADSTS7000215" in findings[0].message and "invalid_client" in findings[0].message


def test_az008_expired_secret(live: Live) -> None:
    live.tenant.clients[APP_ID].secrets[:] = [(APP_SECRET, datetime.now(UTC) - timedelta(days=1))]
    findings = _findings(live)
    assert [f.code for f in findings] == ["AZ008"]
    assert "AADSTS7000222" in findings[0].message


def test_probe_can_be_turned_off(live: Live) -> None:
    settings = live.settings(probe=False)
    assert _codes(live, settings, client_secret=Secret(APP_SECRET[:3] + "-CANARY-wrong-value")) == []
    assert not [r for r in live.fake.log if r.client_id == APP_ID]
    assert all(not t.probe for t in live.settings().with_overrides(probe=False).tenants)
    wrong = Secret(APP_SECRET[:3] + "-CANARY-wrong-value")
    assert _codes(live, client_secret=wrong, options={"tenant_id": TENANT_ID, "probe": False}) == []
    assert not [r for r in live.fake.log if r.client_id == APP_ID]


def test_probe_skipped_for_public_and_secret_ids(live: Live) -> None:
    live.tenant.apps[0]["isFallbackPublicClient"] = True
    assert _codes(live, auth_mode=AuthMode.PUBLIC, client_secret=None) == []
    assert "AZ004" in _codes(live, client_secret=Secret("2b5f7c9e-1a3d-4e6f-8a0b-c1d2e3f4a5b6"))
    assert not [r for r in live.fake.log if r.client_id == APP_ID]


def test_live_consent_az010(live: Live) -> None:
    live.tenant.grants[0]["consentType"] = "Principal"
    assert _codes(live) == ["AZ010"]
    live.tenant.grants.clear()
    assert _codes(live) == ["AZ010"]


def test_service_account_skips_grants(live: Live) -> None:
    codes = _codes(live, auth_type=AuthType.SERVICE_ACCOUNT, scopes=("https://graph.microsoft.com/.default",))
    assert codes == []
    assert not live.fake.requests_to("oauth2PermissionGrants")


def test_live_snapshot_drives_offline_rules(live: Live) -> None:
    app = live.tenant.apps[0]
    app["web"]["redirectUris"] = ["https://connect.example.com/__oauth__/integrations/callback/"]
    app["passwordCredentials"][0]["endDateTime"] = (datetime.now(UTC) + timedelta(days=5)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert sorted(_codes(live)) == ["AZ003", "AZ007"]


def test_certificate_credentials_for_the_reader(live: Live, tmp_path: Path) -> None:
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    leaf = ca.issue_cert("oauthlint-reader", key_type=trustme.KeyType.RSA)
    pem = tmp_path / "reader.pem"
    pem.write_bytes(leaf.private_key_pem.bytes() + leaf.cert_chain_pems[0].bytes())
    live.tenant.clients[READER_ID].certificate_pem = leaf.cert_chain_pems[0].bytes()
    live.tenant.clients[READER_ID].secrets.clear()
    settings = live.settings(client_secret=None, certificate_path=str(pem))
    assert _codes(live, settings) == []
    token_calls = [r for r in live.fake.log if r.client_id == READER_ID]
    assert (
        token_calls
        and "client_assertion" in token_calls[0].form_keys
        and "client_secret" not in token_calls[0].form_keys
    )


# --- failures become one-line ProviderErrors ---------------------------------------------------------------


def test_bad_reader_secret(live: Live) -> None:
    error = _error(live, live.settings(client_secret="CANARY-not-the-reader-secret"))
    assert "AADSTS7000215" in error.reason and "reader credentials" in error.reason


def test_reader_app_unknown(live: Live) -> None:
    error = _error(live, live.settings(client_id="99999999-9999-4999-8999-999999999999"))
    assert "AADSTS700016" in error.reason


def test_unknown_tenant(live: Live) -> None:
    error = _error(live, live.settings(tenant_id="nosuch.onmicrosoft.com"), options={})
    assert "not found" in error.reason and "AADSTS90002" in error.reason


def test_missing_graph_permission(live: Live) -> None:
    live.tenant.clients[READER_ID].roles = set()
    error = _error(live)
    assert "HTTP 403 Authorization_RequestDenied" in error.reason and "Application.Read.All" in error.reason


def test_missing_directory_permission_for_grants_costs_only_the_consent_rule(live: Live) -> None:
    live.tenant.clients[READER_ID].roles = {READ_APPS}
    findings = _findings(live)
    (failure,) = [f for f in findings if f.code == "OL005"]
    assert "AZ010" in failure.message and "HTTP 403" in failure.message and "Directory.Read.All" in failure.message
    assert failure.level.name == "ERROR"
    # the other rules still ran: a wrong redirect URI is still found
    live.tenant.apps[0]["web"]["redirectUris"] = ["https://elsewhere.example.com/cb"]
    assert {"AZ003", "OL005"} <= set(_codes(live))


def test_throttling_honours_retry_after(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=2, headers={"Retry-After": "3"})
    assert _codes(live) == []
    assert live.waits == [3.0, 3.0]
    assert len(live.fake.requests_to("/v1.0/applications(")) == 3


def test_503_then_exponential_backoff(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/servicePrincipals\(appId='[^']*'\)\?", 503, times=2)
    assert _codes(live) == []
    assert len(live.waits) == 2 and 0 < live.waits[0] < live.waits[1]


def test_throttling_past_the_retry_budget(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=10, headers={"Retry-After": "1"})
    error = _error(live)
    assert "HTTP 429" in error.reason and "after 4 attempt(s)" in error.reason


def test_retry_after_beyond_the_deadline_fails_at_once(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=1, headers={"Retry-After": "3600"})
    error = _error(live)
    assert "would pass the 20s deadline" in error.reason
    assert live.waits == []


def test_server_error(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 500, times=1)
    error = _error(live)
    assert "HTTP 500 ServiceUnavailable" in error.reason


def test_malformed_json(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", malformed=True)
    assert "malformed JSON" in _error(live).reason


def test_truncated_body_is_retried(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", truncate=True, times=1)
    assert _codes(live) == []
    live.fake.fail(r"^GET /v1\.0/applications\(", truncate=True, times=10)
    assert "truncated" in _error(live).reason


def test_slow_answer_times_out(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 200, delay=1.5, times=10, body="{}")
    error = _error(live, live.settings(timeout=0.3, max_retries=1))
    assert "did not answer in time" in error.reason


def test_token_endpoint_5xx(live: Live) -> None:
    live.fake.fail(r"^POST /.*/oauth2/v2\.0/token", 503, times=10)
    error = _error(live)
    assert error.operation == "token for Graph" and "HTTP 503" in error.reason


def test_tls_failure_without_the_ca(live: Live) -> None:
    error = _error(live, live.settings(ca_bundle=None))
    assert "TLS verification failed" in error.reason


def test_ca_bundle_wins_over_requests_ca_bundle(live: Live, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # psf/requests#3829: REQUESTS_CA_BUNDLE overrides Session.verify unless verify is passed per request.
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(other))
    assert _codes(live) == []


def test_requests_ca_bundle_is_respected_without_ca_bundle(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(live.fake.ca_path))
    assert _codes(live, live.settings(ca_bundle=None)) == []


def test_deadline(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/", 200, delay=0.6, times=20, body='{"value": []}')
    error = _error(live, live.settings(deadline=0.5, timeout=5, max_retries=0))
    assert "deadline" in error.reason or "did not answer" in error.reason


def test_several_tenants_pick_by_tenant_id(live: Live) -> None:
    other = live.fake.add_tenant(None, "fabrikam.onmicrosoft.com")
    other.add_client(READER_ID, secret="CANARY-other-reader", roles={READ_APPS})
    settings = provider.parse_settings(
        [
            {**live.settings_raw},
            {**live.settings_raw, "tenant_id": other.id, "client_secret": "CANARY-other-reader", "name": "fabrikam"},
        ],
        "test",
    )
    snapshot = provider.fetch(live.integration(options={"tenant_id": "fabrikam"}), settings)
    assert not snapshot.found and snapshot.scope == other.id
    snapshot = provider.fetch(live.integration(), settings)
    assert snapshot.found and snapshot.scope == TENANT_ID


def test_no_secret_in_logs(live: Live, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _codes(live)
    _codes(live, client_secret=Secret(APP_SECRET[:3] + "-CANARY-wrong-value"))
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=2, headers={"Retry-After": "1"})
    _codes(live)
    with pytest.raises(ProviderError):
        provider.fetch(live.integration(), live.settings(client_secret="CANARY-bad-reader"))
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for canary in (*CANARIES, "CANARY-bad-reader", "CANARY-wrong-value", "fake-at-"):
        assert canary not in text


def test_app_json_helper_is_valid(live: Live) -> None:
    assert app_json()["appId"] == APP_ID and READER_SECRET not in str(app_json())


# --- JSON batching (batch = true) ---------------------------------------------------------------------------


def test_batched_fetch_sends_only_get_sub_requests(live: Live) -> None:
    settings = live.settings(batch=True)
    integrations = [live.integration(name=f"i{n}") for n in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        snapshots = list(pool.map(lambda i: provider.fetch(i, settings), integrations))
    assert all(s.found and s.probe is not None and s.probe.ok for s in snapshots)
    assert all(
        provider.check(i, s, CheckContext(now=datetime.now(UTC))) == []
        for i, s in zip(integrations, snapshots, strict=True)
    )
    batches = [r for r in live.fake.log if r.path == "/v1.0/$batch"]
    subs = [r for r in live.fake.log if r.batched]
    assert batches and len(subs) >= 12 * 3 and len(batches) < len(subs)
    assert {r.method for r in subs} == {"GET"}
    assert not [r for r in live.fake.log if r.is_graph and r.method == "GET" and not r.batched]
    _assert_read_only(live)


def test_batched_sub_request_throttling(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=1, headers={"Retry-After": "2"})
    assert _codes(live, live.settings(batch=True)) == []
    assert live.waits == [2.0]
    live.fake.fail(r"^GET /v1\.0/applications\(", 429, times=10, headers={"Retry-After": "1"})
    assert "HTTP 429" in _error(live, live.settings(batch=True, max_retries=2)).reason


def test_batch_post_failure(live: Live) -> None:
    live.fake.fail(r"^POST /v1\.0/\$batch", 503, times=10)
    error = _error(live, live.settings(batch=True, max_retries=1))
    assert "HTTP 503" in error.reason


def test_https_proxy_is_honoured(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = ConnectProxy().start()
    try:
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        assert _codes(live) == []
        port = live.fake.base_url.rsplit(":", 1)[1]
        assert proxy.targets and set(proxy.targets) == {f"127.0.0.1:{port}"}
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        before = len(proxy.targets)
        assert _codes(live, live.settings(timeout=4)) == []
        assert len(proxy.targets) == before
    finally:
        proxy.stop()


def test_fake_client_repr_hides_its_secrets() -> None:
    """A failing assertion prints the fake's objects; their secrets must not come along."""
    from fakes.entra_graph import Client

    assert APP_SECRET not in repr(Client(APP_ID, secrets=[(APP_SECRET, None)]))
