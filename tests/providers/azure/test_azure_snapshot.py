"""Parsing Graph application JSON (and az CLI / manifest spellings) into the typed snapshot."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oauthlint.errors import SnapshotError
from oauthlint.providers.azure.snapshot import parse_application, parse_datetime

APP = "6f1c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
EXAMPLES = Path(__file__).parents[3] / "examples" / "snapshots"


def test_graph_application_object() -> None:
    snap = parse_application(
        {
            "id": "obj",
            "appId": APP,
            "displayName": "Sales",
            "web": {"redirectUris": ["https://a/cb"]},
            "spa": {"redirectUris": ["https://b/cb"]},
            "publicClient": {"redirectUris": ["https://c/cb"]},
            "isFallbackPublicClient": True,
            "passwordCredentials": [
                {
                    "keyId": "k1",
                    "hint": "abc",
                    "secretText": "CANARY-never-kept",
                    "endDateTime": "2026-01-01T00:00:00.1234567Z",
                    "startDateTime": "2025-01-01T00:00:00Z",
                }
            ],
            "keyCredentials": [
                {"keyId": "k2", "usage": "Verify", "endDateTime": "2027-01-01T00:00:00Z", "key": "MIIB"}
            ],
            "requiredResourceAccess": [
                {
                    "resourceAppId": "00000003-0000-0000-C000-000000000000",
                    "resourceAccess": [{"id": "ID1", "type": "Scope"}],
                }
            ],
        },
        tenant_id="t1",
    )
    assert snap.found and snap.scope == "t1" and snap.app_id == APP
    assert snap.all_redirect_uris == (
        ("web", "https://a/cb"),
        ("spa", "https://b/cb"),
        ("publicClient", "https://c/cb"),
    )
    assert snap.is_fallback_public_client is True
    cred = snap.password_credentials[0]
    assert cred.hint == "abc" and cred.end == datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
    assert snap.key_credentials[0].kind == "certificate" and snap.key_credentials[0].hint is None
    assert snap.required_resource_access is not None
    assert snap.required_resource_access[0].resource_app_id == "00000003-0000-0000-c000-000000000000"
    assert snap.required_resource_access[0].scope_ids == {"id1"}
    assert snap.permission_grants is None
    assert "CANARY" not in repr(snap)


def test_filter_answer_empty_means_not_found() -> None:
    snap = parse_application({"value": []}, tenant_id="t", client_id=APP)
    assert not snap.found and snap.app_id == APP


def test_filter_answer_with_one_app_and_extras() -> None:
    snap = parse_application(
        {
            "value": [{"appId": APP}],
            "servicePrincipal": {"id": "sp1", "appId": APP, "appOwnerOrganizationId": "tenant-x"},
            "oauth2PermissionGrants": [],
        }
    )
    assert snap.found and snap.service_principal is not None and snap.scope == "tenant-x"
    assert snap.permission_grants == ()


def test_legacy_manifest_reply_urls() -> None:
    snap = parse_application(
        {
            "appId": APP,
            "allowPublicClient": False,
            "replyUrlsWithType": [
                {"url": "https://a/cb", "type": "Web"},
                {"url": "https://b/cb", "type": "Spa"},
                {"url": "https://c/cb", "type": "InstalledClient"},
            ],
            "passwordCredentials": [{"keyId": "k", "hint": "x", "endDate": "2026-01-01T00:00:00Z"}],
        }
    )
    assert snap.web_redirect_uris == ("https://a/cb",)
    assert snap.spa_redirect_uris == ("https://b/cb",)
    assert snap.public_client_redirect_uris == ("https://c/cb",)
    assert snap.is_fallback_public_client is False
    assert snap.password_credentials[0].end is not None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a JSON object"),
        ({"displayName": "x"}, "no 'appId'"),
        ({"value": [{"appId": "a"}, {"appId": "b"}]}, "holds 2 applications"),
        ({"appId": APP, "web": {"redirectUris": "https://x"}}, "must be a list"),
        ({"appId": APP, "passwordCredentials": [{"keyId": "k", "endDateTime": "soon"}]}, "not an ISO 8601"),
        ({"appId": APP, "isFallbackPublicClient": "yes"}, "true, false or null"),
    ],
)
def test_malformed_snapshots_are_one_line_errors(doc: object, message: str) -> None:
    with pytest.raises(SnapshotError, match=message) as info:
        parse_application(doc, source="app.json")
    assert str(info.value).startswith("app.json")
    assert "\n" not in str(info.value)


def test_parse_datetime_offsets() -> None:
    assert parse_datetime("2026-01-01T01:00:00+01:00", "x") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_datetime(None, "x") is None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("azure-*.json")), ids=lambda p: p.name)
def test_example_snapshots_parse(path: Path) -> None:
    snap = parse_application(json.loads(path.read_text()), source=str(path))
    assert snap.found
