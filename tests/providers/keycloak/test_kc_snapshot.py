"""Parsing Keycloak JSON (admin API client reps, realm exports) into typed, secret-safe snapshots."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration, Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.keycloak import provider
from oauthlint.providers.keycloak.audit import audit_realm, realm_credentials
from oauthlint.providers.keycloak.snapshot import parse_realm, parse_snapshot, rotation_policies

RULES = Path(__file__).parents[2] / "rules"
CANARY = "canary-kc-3f9a1c"
ROTATED = "canary-rotated-91be"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def fixture_snapshot(name: str) -> Any:
    return json.loads((RULES / name).read_text())["snapshot"]


def integ(**kw: Any) -> Integration:
    base: dict[str, Any] = {"name": "i", "provider": "keycloak", "client_id": "connect-sales"}
    base.update(kw)
    return Integration(**base)


def test_client_rep_secrets_are_wrapped_and_attributes_redacted() -> None:
    rep = fixture_snapshot("KC005/passes_current_secret.json")
    rep["attributes"]["client.secret.rotated"] = ROTATED
    rep["attributes"]["client.secret.rotated.expiration.time"] = "1796000000"
    snap = parse_snapshot(rep, integ(options={"realm": "corp"}), "t")
    client = snap.client
    assert client is not None and snap.scope == "corp"
    assert isinstance(client.secret.value, Secret) and client.secret_known
    assert client.rotated_secret is not None and client.rotated_secret.value.matches(ROTATED)
    assert "client.secret.rotated" not in client.attributes
    text = repr(snap) + str(snap)
    assert CANARY not in text and ROTATED not in text


def test_realm_export_picks_client_and_realm_facts() -> None:
    snap = parse_snapshot(fixture_snapshot("KC008/passes_default_client.json"), integ(), "t")
    assert snap.scope == "corp" and snap.client is not None
    assert snap.realm.default_roles == ("offline_access", "uma_authorization")
    assert snap.realm.client_scopes is not None and "offline_access" in snap.realm.client_scopes


def test_masked_export_secret_is_unknown() -> None:
    snap = parse_snapshot(fixture_snapshot("KC005/passes_export_masks_secret.json"), integ(), "t")
    assert snap.client is not None and not snap.client.secret_known


def test_legacy_default_roles_list() -> None:
    data = {"realm": "old", "clients": [], "defaultRoles": ["uma_authorization"]}
    snap = parse_snapshot(data, integ(), "t")
    assert snap.client is None and snap.realm.default_roles == ("uma_authorization",)


def test_list_of_realms_is_searched() -> None:
    a = {"realm": "a", "clients": []}
    b = fixture_snapshot("KC008/passes_default_client.json")
    assert parse_snapshot([a, b], integ(), "t").scope == "corp"
    assert parse_snapshot([a, b], integ(options={"realm": "a"}), "t").client is None
    with pytest.raises(SnapshotError, match="no realm 'zz'"):
        parse_snapshot([a, b], integ(options={"realm": "zz"}), "t")


@pytest.mark.parametrize("data", [{"foo": 1}, 3, [], {"clientId": 5}])
def test_not_keycloak_json_is_one_line_error(data: Any) -> None:
    with pytest.raises(SnapshotError) as err:
        parse_snapshot(data, integ(), "file.json")
    assert "file.json" in str(err.value) and "\n" not in str(err.value)


def test_rotation_policies() -> None:
    profiles = {"profiles": [{"name": "rot", "executors": [{"executor": "secret-rotation", "configuration": {}}]}]}
    policies = {
        "policies": [
            {"name": "p1", "enabled": True, "profiles": ["rot"]},
            {"name": "p2", "enabled": False, "profiles": ["rot"]},
            {"name": "p3", "enabled": True, "profiles": ["other"]},
        ]
    }
    assert rotation_policies(policies, profiles) == ("p1",)


def realm_export() -> dict[str, Any]:
    data = fixture_snapshot("KC008/passes_default_client.json")
    good = data["clients"][0]
    wild = dict(good, id="w", clientId="wild", redirectUris=["*"], secret=CANARY)
    norefresh = dict(good, id="n", clientId="norefresh", attributes={"use.refresh.tokens": "false"})
    expiring = dict(good, id="e", clientId="expiring", attributes={"client.secret.expiration.time": "1796860800"})
    builtin = dict(good, id="b", clientId="account", redirectUris=["*"], publicClient=True)
    bearer = dict(good, id="x", clientId="api", bearerOnly=True, secret=None)
    data["clients"] = [good, wild, norefresh, expiring, builtin, bearer]
    return data


def test_realm_audit_skips_builtins_and_needs_no_consumer_config() -> None:
    realm = parse_realm(realm_export(), "export.json")
    ctx = CheckContext(now=NOW)
    found = {(f.integration, f.code) for f in audit_realm(realm, ctx)}
    assert found == {
        ("corp/wild", "KC004"),
        ("corp/norefresh", "KC008"),
        ("corp/expiring", "KC007"),
        ("corp/api", "KC010"),
    }
    assert ("corp/account", "KC004") in {(f.integration, f.code) for f in audit_realm(realm, ctx, True)}
    for f in audit_realm(realm, ctx, True):
        assert CANARY not in f.message and f.scope == "corp"


def test_secret_scan_lists_confidential_clients_only() -> None:
    creds = list(realm_credentials(parse_realm(realm_export(), "export.json")))
    owners = {c.owner_name for c in creds}
    assert owners == {"connect-sales", "wild", "norefresh", "expiring"}
    expiring = next(c for c in creds if c.owner_name == "expiring")
    assert expiring.end == datetime.fromtimestamp(1796860800, tz=UTC)
    assert all(CANARY not in repr(c) for c in creds)


def test_provider_credentials_include_rotated_secret() -> None:
    rep = fixture_snapshot("KC007/fires_rotated_secret_matches.json")
    snap = provider.parse_snapshot(rep, integ(), "t")
    kinds = [c.kind for c in provider.credentials(integ(), snap)]
    assert kinds == ["client secret", "rotated client secret"]


def test_provider_contract() -> None:
    assert provider.offline_scopes == ("offline_access",)
    assert set(provider.integration_keys) == {"realm", "server_url"}
    assert {r.code for r in provider.rules} == {f"KC{n:03d}" for n in range(1, 11)}


def test_private_keys_in_client_attributes_never_reach_a_repr() -> None:
    """SAML and signed-JWT clients keep their private keys as client attributes (``saml.signing.private.key``,
    ``saml.encryption.private.key``, ``jwt.credential.private.key``), and realm exports carry them."""
    key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-canary-private-key"
    rep = {
        "clientId": "saml-app",
        "protocol": "saml",
        "attributes": {
            "saml.signing.private.key": key,
            "saml.encryption.private.key": key,
            "jwt.credential.private.key": key,
            "saml.signing.certificate": "MIIC-public-certificate",
        },
    }
    realm = parse_realm({"realm": "corp", "clients": [rep]}, "export.json")
    (client,) = realm.clients
    assert client.attributes == {"saml.signing.certificate": "MIIC-public-certificate"}
    assert key not in repr(realm) + str(realm)
