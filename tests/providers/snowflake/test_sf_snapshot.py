"""Parsing DESCRIBE SECURITY INTEGRATION exports into the typed snapshot; secrets never kept."""

from __future__ import annotations

import json

import pytest

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration, Secret
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.snapshot import (
    Lookup,
    SecretOutcome,
    compare_secret,
    parse_bool,
    parse_list,
    parse_secrets_cell,
)

CANARY = "sf-canary-secret-snapshot-91c2"


def row(prop: str, value: str | None, kind: str = "String", default: str = "") -> dict[str, str | None]:
    return {"property": prop, "property_type": kind, "property_value": value, "property_default": default}


def integration(**options: str) -> Integration:
    return Integration(
        name="sf",
        provider="snowflake",
        client_id="CID=",
        client_secret=Secret(CANARY),
        connect_server="https://connect.example.com",
        options=options or {"account": "myorg-myaccount"},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[ACCOUNTADMIN, SECURITYADMIN]", ("ACCOUNTADMIN", "SECURITYADMIN")),
        ("ACCOUNTADMIN,SECURITYADMIN", ("ACCOUNTADMIN", "SECURITYADMIN")),
        ('["A","B"]', ("A", "B")),
        ("[]", ()),
        ("", ()),
        (None, ()),
        ("A", ("A",)),
    ],
)
def test_parse_list_both_forms(text: str | None, expected: tuple[str, ...]) -> None:
    assert parse_list(text) == expected


def test_parse_bool() -> None:
    assert parse_bool("true") is True and parse_bool("TRUE") is True and parse_bool("false") is False
    assert parse_bool(None) is None and parse_bool("maybe") is None


def test_rows_tolerate_unknown_missing_and_upper_case_columns() -> None:
    rows = [
        {"PROPERTY": "enabled", "PROPERTY_TYPE": "Boolean", "PROPERTY_VALUE": "true", "PROPERTY_DEFAULT": "false"},
        row("OAUTH_REFRESH_TOKEN_VALIDITY", "86400", "Integer"),
        row("OAUTH_SINGLE_USE_REFRESH_TOKENS_REQUIRED", "false", "Boolean"),
        row("BLOCKED_ROLES_LIST", "[ACCOUNTADMIN, SECURITYADMIN]", "List"),
        row("COMMENT", None),
    ]
    snap = provider.parse_snapshot(rows, integration(), "x.json")
    si = snap.integration
    assert si is not None and snap.lookup is Lookup.FOUND
    assert si.enabled is True and si.refresh_token_validity == 86400
    assert si.blocked_roles == ("ACCOUNTADMIN", "SECURITYADMIN")
    assert si.client_type is None and si.issue_refresh_tokens is None and si.redirect_uri is None
    assert si.properties["OAUTH_SINGLE_USE_REFRESH_TOKENS_REQUIRED"] == "false"
    assert snap.scope == "myorg-myaccount"


def test_wrapped_export_takes_name_account_and_secrets() -> None:
    data = {
        "name": "POSIT_CONNECT",
        "account": "XY12345.us-east-2.aws",
        "describe": [row("OAUTH_CLIENT_ID", "CID=")],
        "secrets": {"OAUTH_CLIENT_ID": "CID=", "OAUTH_CLIENT_SECRET": "other", "OAUTH_CLIENT_SECRET_2": CANARY},
    }
    snap = provider.parse_snapshot(data, integration(account=""), "x.json")
    assert snap.integration is not None and snap.integration.name == "POSIT_CONNECT"
    assert snap.scope == "xy12345.us-east-2.aws"
    assert snap.secret.outcome is SecretOutcome.SECONDARY
    assert CANARY not in repr(snap)


def test_integration_name_option_names_a_bare_export() -> None:
    snap = provider.parse_snapshot(
        [row("ENABLED", "true")], integration(account="myorg-a", integration_name="posit"), "x"
    )
    assert snap.integration is not None and snap.integration.name == "POSIT"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"rows_missing": []}, "expected the rows of DESCRIBE SECURITY INTEGRATION"),
        ("nope", "as a JSON list"),
        ([], "rows are empty"),
        ([1], "row 0 is not an object"),
        ([{"property_value": "x"}], 'row 0 has no "property" name'),
        ({"describe": [row("ENABLED", "true")], "secrets": f"{CANARY} not json"}, '"secrets" is not a JSON object'),
        ({"describe": [row("ENABLED", "true")], "secrets": [CANARY]}, '"secrets" is not a JSON object'),
    ],
)
def test_malformed_exports_are_one_line_errors_without_secrets(data: object, expected: str) -> None:
    with pytest.raises(SnapshotError) as info:
        provider.parse_snapshot(data, integration(), "bad.json")
    message = str(info.value)
    assert message.startswith("bad.json: ") and expected in message and "\n" not in message
    assert CANARY not in message


def test_compare_secret_outcomes() -> None:
    secrets = parse_secrets_cell(json.dumps({"oauth_client_secret": "a", "OAUTH_CLIENT_SECRET_2": "b"}), "x")
    assert compare_secret(Secret("a"), secrets).outcome is SecretOutcome.PRIMARY
    assert compare_secret(Secret("b"), secrets).outcome is SecretOutcome.SECONDARY
    assert compare_secret(Secret("c"), secrets).outcome is SecretOutcome.MISMATCH
    assert compare_secret(None, secrets).outcome is SecretOutcome.NOT_COMPARED
    assert compare_secret(Secret("a"), None).outcome is SecretOutcome.NOT_COMPARED
    only_primary = compare_secret(Secret("x"), {"oauth_client_secret": "a", "oauth_client_secret_2": None})
    assert only_primary.outcome is SecretOutcome.MISMATCH and only_primary.has_secondary is False


@pytest.mark.parametrize("secrets", [{}, {"oauth_client_id": "abc="}, {"client_secret": "a", "result": "x"}])
def test_secrets_json_without_a_secret_is_unavailable_not_a_mismatch(secrets: dict[str, str]) -> None:
    """A SYSTEM$SHOW_OAUTH_CLIENT_SECRETS answer of an unexpected shape proves nothing about the configured
    secret: SF006 must not claim a mismatch (an error) on it."""
    comparison = compare_secret(Secret("a"), secrets)
    assert comparison.outcome is SecretOutcome.UNAVAILABLE
    assert "OAUTH_CLIENT_SECRET" in comparison.detail


def test_secret_rows_pasted_into_the_describe_rows_are_not_kept() -> None:
    """DESCRIBE never shows a secret; an export whose rows carry SYSTEM$SHOW_OAUTH_CLIENT_SECRETS values as
    properties must not keep them in the snapshot (its repr is printed by failing tests and debuggers)."""
    rows = [
        row("OAUTH_CLIENT_ID", "CID="),
        row("OAUTH_CLIENT_SECRET", "sf-canary-pasted-row-1"),
        row("oauth_client_secret_2", "sf-canary-pasted-row-2"),
    ]
    snapshot = provider.parse_snapshot(rows, integration(), "export.json")
    assert "sf-canary-pasted-row" not in repr(snapshot)
    assert snapshot.integration is not None and snapshot.integration.client_id == "CID="
