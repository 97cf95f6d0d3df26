"""Connection arguments per login method and error descriptions (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oauthlint.model import Secret
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.account import parse_account
from oauthlint.providers.snowflake.fetch import connect_kwargs, describe_error, is_read_only, quote_identifier

ACCOUNT = parse_account("myorg-my_account")
CANARY = "sf-canary-units-6e0f"


def kwargs(**raw: object) -> dict[str, object]:
    [conn] = provider.parse_settings(raw, "t").connections
    return connect_kwargs(conn, ACCOUNT)


def test_password() -> None:
    kw = kwargs(user="U", password=CANARY, role="AUDITOR")
    assert kw == {
        "login_timeout": 30,
        "account": "myorg-my_account",
        "host": "myorg-my-account.snowflakecomputing.com",
        "user": "U",
        "password": CANARY,
        "role": "AUDITOR",
    }


def test_key_pair(tmp_path: Path) -> None:
    kw = kwargs(user="U", private_key_file=str(tmp_path / "k.p8"), private_key_passphrase=Secret(CANARY))
    assert kw["authenticator"] == "SNOWFLAKE_JWT" and kw["private_key_file_pwd"] == CANARY


def test_oauth_token_and_external_browser() -> None:
    assert kwargs(token=CANARY)["authenticator"] == "oauth"
    kw = kwargs(user="U", authenticator="externalbrowser")
    assert kw["authenticator"] == "externalbrowser" and "password" not in kw


def test_named_connection_with_overrides() -> None:
    kw = kwargs(connection_name="audit", connections_file="/etc/sf.toml", port=8080, protocol="http")
    assert kw == {
        "login_timeout": 30,
        "connection_name": "audit",
        "connections_file_path": "/etc/sf.toml",
        "port": 8080,
        "protocol": "http",
    }


class FakeError(Exception):
    def __init__(self, errno: int, msg: str, sqlstate: str | None = None) -> None:
        super().__init__(msg)
        self.errno, self.msg, self.sqlstate = errno, msg, sqlstate


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            FakeError(390100, "Failed to login: Login error: Incorrect username or password"),
            "incorrect user name or password (390100)",
        ),
        (
            FakeError(251007, "account: Invalid character ':' in account identifier 'https://x'. Account ..."),
            "account: Invalid character ':' in account identifier (251007)",
        ),
        (
            FakeError(
                250001, "Failed to login: HTTP request failed after retries: dns error: failed to lookup address"
            ),
            "does not resolve (250001)",
        ),
        (FakeError(250001, "Failed to login: invalid peer certificate: UnknownIssuer"), "TLS failure"),
        (
            FakeError(
                2003, "SQL compilation error: Integration 'X' does not exist or not authorized. (request_id=abc)"
            ),
            "object does not exist or not authorized (002003)",
        ),
        (
            FakeError(99, f"weird failure with {CANARY} (request_id=abc, sfqid=def)"),
            "weird failure with <redacted> (000099)",
        ),
    ],
)
def test_describe_error(exc: Exception, expected: str) -> None:
    text = describe_error(exc, (Secret(CANARY),))
    assert text == expected or expected in text
    assert CANARY not in text and "request_id" not in text


def test_read_only_guard_and_quoting() -> None:
    assert is_read_only("SHOW SECURITY INTEGRATIONS") and is_read_only("describe security integration X;")
    assert is_read_only("SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('X')")
    for sql in (
        "ALTER SECURITY INTEGRATION X SET ENABLED = TRUE",
        "SELECT 1",
        "SHOW INTEGRATIONS; DROP INTEGRATION X",
        "SHOWX",
    ):
        assert not is_read_only(sql)
    assert quote_identifier("POSIT_CONNECT") == "POSIT_CONNECT"
    assert quote_identifier('my "odd" name') == '"my ""odd"" name"'


def test_read_only_guard_refuses_system_functions_that_act() -> None:
    """SELECT SYSTEM$… is not read-only in general (SYSTEM$ABORT_SESSION, SYSTEM$CANCEL_ALL_QUERIES,
    SYSTEM$GENERATE_SCIM_ACCESS_TOKEN mint or kill): only the one function oauthlint needs passes."""
    for sql in (
        "SELECT SYSTEM$ABORT_SESSION(1234)",
        "SELECT SYSTEM$CANCEL_ALL_QUERIES(1234)",
        "SELECT SYSTEM$GENERATE_SCIM_ACCESS_TOKEN('OKTA_PROVISIONING')",
        "select system$show_oauth_client_secrets_x('X')",
    ):
        assert not is_read_only(sql), sql
    assert is_read_only("select system$show_oauth_client_secrets('POSIT_CONNECT')")
