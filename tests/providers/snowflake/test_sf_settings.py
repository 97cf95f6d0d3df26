"""[providers.snowflake] validation: one readable ConfigError line, never a secret."""

from __future__ import annotations

import pytest

from oauthlint.errors import ConfigError
from oauthlint.model import Secret
from oauthlint.providers.snowflake import provider

CANARY = "sf-canary-settings-0c1d"


def test_named_connection() -> None:
    s = provider.parse_settings({"connection_name": "audit", "connections_file": "~/c.toml"}, "oauthlint.toml")
    [conn] = s.connections
    assert conn.method == "connection 'audit'" and conn.connections_file is not None


def test_password_literal_becomes_secret_and_never_shows() -> None:
    s = provider.parse_settings({"user": "U", "password": CANARY, "account": "myorg-a"}, "w")
    [conn] = s.connections
    assert isinstance(conn.password, Secret) and conn.method == "password"
    assert CANARY not in repr(s)


def test_secret_objects_pass_through() -> None:
    secret = Secret(CANARY, source="env:X")
    [conn] = provider.parse_settings({"user": "U", "token": secret}, "w").connections
    assert conn.token is secret and conn.method == "OAuth token"


def test_several_accounts_pick_by_scope() -> None:
    s = provider.parse_settings(
        [
            {"account": "myorg-a", "user": "U", "private_key_file": "/k.p8"},
            {"user": "V", "authenticator": "externalbrowser"},
        ],
        "w",
    )
    assert s.for_account("myorg-a").user == "U"  # type: ignore[union-attr]
    assert s.for_account("myorg-b").user == "V"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"user": "U"}, "needs one of password, private_key_file, token"),
        ({"password": CANARY}, "set connection_name"),
        ({"user": "U", "password": CANARY, "private_key_file": "/k"}, "choose one way to log in"),
        ({"user": "U", "password": CANARY, "pasword": "x"}, "unknown key 'pasword'"),
        ({"user": "U", "authenticator": "saml"}, "authenticator: 'saml' is not one of"),
        ({"user": "U", "password": CANARY, "account": "https://a.snowflakecomputing.com"}, "is a URL"),
        ({"user": "U", "password": CANARY, "port": "443"}, "port: expected a positive integer"),
        ({"user": "U", "password": 5}, "password: expected a string"),
        ({"user": "U", "password": CANARY, "private_key_passphrase": "p"}, "only meaningful with private_key_file"),
        ([{"user": "U", "password": "a"}, {"user": "V", "password": "b"}], "at most one may omit 'account'"),
        ("x", "expected a table or a list of tables"),
    ],
)
def test_mistakes_are_one_line(raw: object, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        provider.parse_settings(raw, "oauthlint.toml: providers.snowflake")
    message = str(info.value)
    assert expected in message and "oauthlint.toml" in message and CANARY not in message
