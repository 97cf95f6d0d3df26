"""[providers.keycloak] parsing and which server an integration uses; plus the list-of-clients snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from oauthlint.errors import ConfigError
from oauthlint.model import Integration, Secret
from oauthlint.providers.keycloak import provider
from oauthlint.providers.keycloak.settings import parse_settings

W = "oauthlint.toml: providers.keycloak"


def integ(**options: Any) -> Integration:
    return Integration(name="i", provider="keycloak", client_id="c", options=options)


def test_one_table() -> None:
    s = parse_settings(
        {"server_url": "https://sso", "realm": "corp", "client_id": "r", "client_secret": Secret("canary-x")}, W
    )
    one = s.for_integration(integ())
    assert one.has_admin_credentials and one.verify is True and one.timeout == 10 and one.audit_realms == ("corp",)
    assert "canary-x" not in repr(s)


def test_ca_bundle_and_verify() -> None:
    assert parse_settings({"ca_bundle": "/etc/ca.pem"}, W).servers[0].verify == "/etc/ca.pem"
    assert parse_settings({"verify": False}, W).servers[0].verify is False


def test_several_servers_pick_by_url_then_realm() -> None:
    s = parse_settings(
        [
            {"server_url": "https://a", "realm": "corp", "client_id": "r", "client_secret": "x"},
            {"server_url": "https://b", "realms": ["partners", "labs"], "username": "u", "password": "p"},
        ],
        W,
    )
    assert s.for_integration(integ(server_url="https://b/")).server_url == "https://b"
    assert s.for_integration(integ(realm="labs")).server_url == "https://b"
    assert s.for_integration(integ()).server_url == "https://a"
    unknown = s.for_integration(integ(server_url="https://c", realm="x"))
    assert unknown.server_url == "https://c" and not unknown.has_admin_credentials  # probe only


def test_no_table_means_probe_only_from_integration_keys() -> None:
    s = parse_settings(None, W).for_integration(integ(server_url="https://sso", realm="corp"))
    assert s.server_url == "https://sso" and s.realm == "corp" and not s.has_admin_credentials


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"server": "https://x"}, "did you mean 'server_url'"),
        ({"server_url": "sso.example.com"}, "server_url: expected an http(s) URL"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"verify": "yes"}, "verify: expected true or false"),
        ({"secret_check": "maybe"}, "secret_check: expected one of auto, admin, probe"),
        ({"realms": "corp"}, "realms: expected a list"),
        ({"username": "u"}, "username and password go together"),
        ({"client_secret": "x"}, "client_secret needs client_id"),
        ({"client_id": "c", "client_secret": "x", "username": "u", "password": "p"}, "not both"),
        ({"include_builtin": "no"}, "include_builtin"),
        ([1], "providers.keycloak[0]: expected a table"),
    ],
)
def test_mistakes_are_one_line_naming_the_key(raw: Any, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(raw, W)
    assert words in str(err.value) and str(err.value).startswith(W) and "\n" not in str(err.value)


def test_list_of_client_representations_snapshot() -> None:
    reps = [{"id": "1", "clientId": "other"}, {"id": "2", "clientId": "c", "enabled": False}]
    snap = provider.parse_snapshot(reps, integ(realm="corp"), "clients.json")
    assert snap.client is not None and snap.client.id == "2" and snap.scope == "corp"
    assert provider.parse_snapshot(reps[:1], integ(), "clients.json").client is None
