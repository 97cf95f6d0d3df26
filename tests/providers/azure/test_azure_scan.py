"""Tenant-wide credential scan: applications and service principals, streamed page by page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fakes.entra_graph import READ_APPS
from fakes.entra_scenario import APP_OBJECT_ID, CANARIES, READER_ID, TENANT_ID, Live
from oauthlint.errors import ProviderError
from oauthlint.providers.azure import provider

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _list_calls(live: Live, kind: str) -> list[object]:
    return [r for r in live.fake.log if r.is_graph and r.path == f"/v1.0/{kind}"]


@pytest.fixture
def tenant_with_many(live: Live) -> Live:
    live.tenant.synthetic_apps = 25
    live.tenant.service_principals.append(
        {
            "id": "5f5f5f5f-0000-4000-8000-000000000001",
            "appId": "6a6a6a6a-0000-4000-8000-000000000001",
            "displayName": "Payroll SAML",
            "appOwnerOrganizationId": TENANT_ID,
            "passwordCredentials": [],
            "keyCredentials": [
                {
                    "keyId": "7b7b7b7b-0000-4000-8000-000000000001",
                    "displayName": "CN=Payroll SAML signing",
                    "type": "AsymmetricX509Cert",
                    "usage": "Verify",
                    "startDateTime": "2024-01-01T00:00:00Z",
                    "endDateTime": "2027-01-01T00:00:00Z",
                }
            ],
        }
    )
    live.tenant.owners[APP_OBJECT_ID] = [
        {"id": "u1", "displayName": "Ada Lovelace", "mail": "ada@example.com", "userPrincipalName": "ada@example.com"}
    ]
    return live


def test_scan_lists_every_credential_page_by_page(tenant_with_many: Live) -> None:
    live = tenant_with_many
    creds = list(provider.scan_credentials(live.settings(page_size=10)))
    apps = [c for c in creds if c.object_type == "application"]
    sps = [c for c in creds if c.object_type == "servicePrincipal"]
    assert len(apps) == 1 + 25 + 3  # Sales Dashboard, one secret per generated app, a certificate on every tenth
    assert [c.name for c in sps] == ["CN=Payroll SAML signing"]  # Microsoft's own Graph principal is skipped
    assert {c.scope for c in creds} == {TENANT_ID}
    assert {c.kind for c in apps} == {"password", "certificate"}
    assert len(_list_calls(live, "applications")) == 3
    pages = _list_calls(live, "applications")
    assert all(r.query["$top"] == ["10"] and "keyCredentials" in r.query["$select"][0] for r in pages)  # type: ignore[attr-defined]
    assert "$skiptoken" in pages[1].query  # type: ignore[attr-defined]
    assert all(r.method == "GET" for r in live.fake.log if r.is_graph)
    assert not any(c in repr(creds) for c in CANARIES)


def test_scan_streams(tenant_with_many: Live) -> None:
    live = tenant_with_many
    live.tenant.synthetic_apps = 200
    stream = provider.scan_credentials(live.settings(page_size=5))
    first = next(iter(stream))
    assert first.scope == TENANT_ID
    # One page in use, one prefetched, two queued, one being queued: never the 41 pages of the tenant.
    assert len(_list_calls(live, "applications")) <= 6
    stream.close()  # type: ignore[attr-defined]
    assert len(_list_calls(live, "applications")) <= 6


def test_scan_with_owners(tenant_with_many: Live) -> None:
    live = tenant_with_many
    creds = list(provider.scan_credentials(live.settings(page_size=10), owners=True))
    sales = next(c for c in creds if c.owner_name == "Sales Dashboard")
    assert sales.owners == ("Ada Lovelace <ada@example.com>",)
    assert all(r.query.get("$expand") for r in _list_calls(live, "applications"))  # type: ignore[attr-defined]


def test_scan_findings_hygiene(tenant_with_many: Live) -> None:
    live = tenant_with_many
    findings = list(provider.scan_findings(live.settings(page_size=999), now=NOW))
    codes = [f.code for f in findings]
    assert codes.count("AZ013") == 4  # generated apps 0–3 ended before NOW
    assert codes.count("AZ012") == 3 + 1  # certificates of apps 0/10/20 (765 days) and the SAML one (3 years)
    assert all(f.scope == TENANT_ID and f.integration == f"tenant {TENANT_ID}" for f in findings)
    assert len({f.fingerprint for f in findings}) == len(findings)
    saml = next(f for f in findings if "Payroll" in f.resource)
    assert saml.resource.startswith("service principal") and saml.object_id.startswith("sp:")


def test_a_failing_tenant_does_not_hide_the_others(live: Live) -> None:
    other = live.fake.add_tenant(None, "fabrikam.onmicrosoft.com")
    other.add_client(READER_ID, secret="CANARY-other-reader", roles=set())
    settings = provider.parse_settings(
        [
            {**live.settings_raw, "tenant_id": other.id, "client_secret": "CANARY-other-reader", "name": "fabrikam"},
            {**live.settings_raw},
        ],
        "test",
    )
    seen = []
    with pytest.raises(ProviderError) as info:
        for cred in provider.scan_credentials(settings):
            seen.append(cred)
    assert [c.owner_name for c in seen] == ["Sales Dashboard"]
    assert "tenant fabrikam" in info.value.reason and "HTTP 403" in info.value.reason
    assert "CANARY" not in str(info.value)


def test_scan_one_tenant_by_name(live: Live) -> None:
    other = live.fake.add_tenant(None)
    other.add_client(READER_ID, secret="CANARY-other-reader", roles={READ_APPS})
    settings = provider.parse_settings(
        [{**live.settings_raw}, {**live.settings_raw, "tenant_id": other.id, "client_secret": "CANARY-other-reader"}],
        "test",
    )
    assert len(list(provider.scan_credentials(settings, tenant=TENANT_ID))) == 1
    with pytest.raises(ProviderError, match=r"no \[providers\.azure\] tenant named 'nope'"):
        list(provider.scan_credentials(settings, tenant="nope"))


def test_scan_fails_cleanly_on_throttling(live: Live) -> None:
    live.fake.fail(r"^GET /v1\.0/applications\?", 429, times=10, headers={"Retry-After": "2"})
    with pytest.raises(ProviderError) as info:
        list(provider.scan_credentials(live.settings()))
    assert "HTTP 429" in info.value.reason and live.waits == [2.0, 2.0, 2.0]
