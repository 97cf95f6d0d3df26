"""The real snowflake-connector-python against the local fake: lookups, SF001–SF009 live, failures, secrets."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakes.snowflake_fixtures import (
    CALLBACK,
    CANARIES,
    CLIENT_ID,
    PASSWORD,
    ROLE,
    SECRET,
    SECRET_2,
    TOKEN,
    USER,
    posit_connect,
    raw_settings,
)
from fakes.snowflake_server import FakeSnowflake
from oauthlint.errors import ProviderError
from oauthlint.model import Integration, Secret, Severity
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.fetch import ReadOnlyViolation, Session, open_session
from oauthlint.providers.snowflake.settings import SnowflakeSettings
from oauthlint.providers.snowflake.snapshot import Lookup, SecretOutcome

CTX = CheckContext(now=datetime(2026, 11, 25, 12, tzinfo=UTC))


def consumer(secret: str | None = SECRET, **options: str) -> Integration:
    return Integration(
        name="sales-snowflake",
        provider="snowflake",
        client_id=CLIENT_ID,
        client_secret=Secret(secret, source="test") if secret is not None else None,
        scopes=("refresh_token",),
        connect_server="https://connect.example.com",
        options=options or {"account_url": "https://myorg-myaccount.snowflakecomputing.com"},
    )


def codes(integration: Integration, settings: SnowflakeSettings) -> list[str]:
    snapshot = provider.fetch(integration, settings)
    return [f.code for f in provider.check(integration, snapshot, CTX)]


def assert_no_canary(*texts: str) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text


def test_clean_integration_is_found_among_others_and_passes(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_generated(5)
    fake.add_integration(posit_connect())
    snapshot = provider.fetch(consumer(), settings)
    assert snapshot.lookup is Lookup.FOUND and snapshot.searched == 6
    assert snapshot.integration is not None and snapshot.integration.name == "POSIT_CONNECT"
    assert snapshot.integration.type == "OAUTH - CUSTOM" and snapshot.integration.created_on is not None
    assert snapshot.scope == "myorg-myaccount" and snapshot.secret.outcome is SecretOutcome.PRIMARY
    assert provider.check(consumer(), snapshot, CTX) == []
    assert fake.statements[0] == "SHOW SECURITY INTEGRATIONS"
    assert fake.statements[-1] == "SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('POSIT_CONNECT')"
    assert len(fake.statements) == 1 + 6 + 1
    assert fake.logins[0]["ACCOUNT_NAME"] == "myorg-myaccount" and fake.logins[0]["LOGIN_NAME"] == USER


def test_secondary_secret_matches(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_integration(posit_connect())
    assert provider.fetch(consumer(SECRET_2), settings).secret.outcome is SecretOutcome.SECONDARY


def test_integration_name_describes_only_that_one(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_generated(4)
    fake.add_integration(posit_connect())
    integration = consumer(
        account_url="https://myorg-myaccount.snowflakecomputing.com", integration_name="posit_connect"
    )
    assert codes(integration, settings) == []
    assert [s.split()[0] for s in fake.statements] == ["SHOW", "DESCRIBE", "SELECT"]


def test_misconfigured_integration_gives_the_offline_messages(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    si = fake.add_integration(
        posit_connect(
            enabled=False,
            redirect_uri=CALLBACK + "/",
            client_type="PUBLIC",
            issue_refresh_tokens=True,
            refresh_token_validity=3600,
            allow_non_tls_redirect=True,
            client_secret="rotated-away",
        )
    )
    integration = consumer()
    live = provider.check(integration, provider.fetch(integration, settings), CTX)
    assert sorted(f.code for f in live) == ["SF002", "SF003", "SF005", "SF006", "SF008", "SF009"]
    rows = [
        {"property": p, "property_type": t, "property_value": v, "property_default": d}
        for p, t, v, d in si.describe_rows("myorg-myaccount.snowflakecomputing.com")
    ]
    export = {
        "name": "POSIT_CONNECT",
        "describe": rows,
        "secrets": {"OAUTH_CLIENT_SECRET": "x", "OAUTH_CLIENT_SECRET_2": "y"},
    }
    offline = provider.check(integration, provider.parse_snapshot(export, integration, "export.json"), CTX)
    assert [(f.code, f.message, f.fingerprint) for f in live] == [(f.code, f.message, f.fingerprint) for f in offline]


def test_refresh_tokens_off_is_sf004(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_integration(posit_connect(issue_refresh_tokens=False))
    assert codes(consumer(), settings) == ["SF004"]


def test_unknown_client_id_is_sf001(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_generated(3)
    integration = consumer()
    snapshot = provider.fetch(integration, settings)
    [finding] = provider.check(integration, snapshot, CTX)
    assert finding.code == "SF001" and "looked at 3 OAuth security integrations" in finding.message
    assert not any("SYSTEM$" in s for s in fake.statements)


def test_role_seeing_no_integrations_says_so(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    [finding] = provider.check(consumer(), provider.fetch(consumer(), settings), CTX)
    assert finding.code == "SF001" and "grant it USAGE" in finding.message


def test_without_ownership_sf006_is_info_and_names_the_privilege(
    fake: FakeSnowflake, settings: SnowflakeSettings
) -> None:
    fake.add_integration(posit_connect(owner="ACCOUNTADMIN"))
    findings = provider.check(consumer(), provider.fetch(consumer(), settings), CTX)
    [finding] = findings
    assert finding.code == "SF006" and finding.level is Severity.INFO
    assert "OWNERSHIP of POSIT_CONNECT" in finding.message and ROLE in finding.message


def test_external_oauth_and_other_types_are_not_described(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_integration(posit_connect())
    fake.add_integration(posit_connect(name="OKTA_EXT", type="EXTERNAL_OAUTH - OKTA", client_id="x"))
    fake.add_integration(posit_connect(name="SAML_IDP", type="SAML2", client_id="y"))
    provider.fetch(consumer(), settings)
    assert not any("OKTA_EXT" in s or "SAML_IDP" in s for s in fake.statements)


def test_malformed_account_is_sf007_and_nothing_connects(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    integration = consumer(account="https://myorg-myaccount.snowflakecomputing.com")
    assert codes(integration, settings) == ["SF007"]
    assert fake.logins == [] and fake.requests == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"password": "wrong-password"},
            "log in to account myorg-myaccount as OAUTHLINT failed: incorrect user name or password (390100)",
        ),
        ({"network_policy": True}, "a network policy does not allow this client's IP address (390422)"),
        ({"account": "myorg-otheraccount"}, "403 Forbidden: the account identifier names no account"),
        (
            {"port": 1, "login_timeout": 2},
            r"connection refused \(250001\)|timed out after 2s",
        ),  # retries may outlast it
        ({"login_latency": 3.0, "login_timeout": 1}, "timed out after 1s"),
        ({"token": "expired-token", "password": None}, "the OAuth access token is invalid (390303)"),
    ],
)
def test_failures_are_one_line_provider_errors(
    fake: FakeSnowflake, change: dict[str, object], expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.add_integration(posit_connect())
    fake.network_policy_blocks = bool(change.pop("network_policy", False))
    fake.login_latency = float(change.pop("login_latency", 0.0))  # type: ignore[arg-type]
    options = {"account": str(change.pop("account"))} if "account" in change else {}
    settings = provider.parse_settings(raw_settings(fake, **change), "test")
    with pytest.raises(ProviderError) as info:
        provider.fetch(consumer(**options), settings)
    message = str(info.value)
    assert re.search(expected if "|" in expected else re.escape(expected), message), message
    assert "\n" not in message and "request_id" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert_no_canary(message, caplog.text)
    fake.login_latency = 0.0


def test_provider_error_becomes_ol005_through_the_engine(fake: FakeSnowflake) -> None:
    from oauthlint.config import Config
    from oauthlint.engine import run
    from oauthlint.selection import RuleSelection

    settings = provider.parse_settings(raw_settings(fake, password="wrong-password"), "test")
    config = Config(integrations=(consumer(),), provider_settings={"snowflake": settings})  # type: ignore[call-arg]
    report = run(config, selection=RuleSelection())
    [finding] = [f for f in report.findings if f.code == "OL005"]
    assert "390100" in finding.message
    assert_no_canary(finding.message)


def test_key_pair_login(fake: FakeSnowflake, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "rsa_key.p8"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    fake.add_integration(posit_connect())
    raw = raw_settings(fake, password=None, private_key_file=str(path), private_key_passphrase=PASSWORD)
    assert codes(consumer(), provider.parse_settings(raw, "test")) == []
    assert fake.logins[-1]["AUTHENTICATOR"] == "SNOWFLAKE_JWT"


def test_oauth_token_login(fake: FakeSnowflake) -> None:
    fake.add_integration(posit_connect())
    raw = raw_settings(fake, password=None, user=None, token=TOKEN)
    assert codes(consumer(), provider.parse_settings(raw, "test")) == []
    assert fake.logins[-1]["AUTHENTICATOR"] == "OAUTH"


def test_named_connection_from_connections_toml(fake: FakeSnowflake, tmp_path: Path) -> None:
    toml = tmp_path / "connections.toml"
    toml.write_text(
        f'[audit]\naccount = "myorg-myaccount"\nuser = "{USER}"\npassword = "{PASSWORD}"\n'
        f'host = "127.0.0.1"\nport = {fake.port}\nprotocol = "http"\n'
    )
    toml.chmod(0o600)
    fake.add_integration(posit_connect())
    settings = provider.parse_settings({"connection_name": "audit", "connections_file": str(toml)}, "test")
    assert codes(consumer(), settings) == []
    assert fake.logins[-1]["LOGIN_NAME"] == USER


def test_named_connection_to_another_account_is_refused(fake: FakeSnowflake, tmp_path: Path) -> None:
    toml = tmp_path / "connections.toml"
    toml.write_text(
        f'[audit]\naccount = "myorg-myaccount"\nuser = "{USER}"\npassword = "{PASSWORD}"\n'
        f'host = "127.0.0.1"\nport = {fake.port}\nprotocol = "http"\n'
    )
    toml.chmod(0o600)
    settings = provider.parse_settings({"connection_name": "audit", "connections_file": str(toml)}, "test")
    with pytest.raises(ProviderError, match="but the integration lives in myorg-elsewhere"):
        provider.fetch(consumer(account="myorg-elsewhere"), settings)
    assert fake.statements == []


def test_session_refuses_writes_before_sending(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    account = provider_account()
    with open_session(settings, account) as session:
        assert isinstance(session, Session)
        for sql in (
            "ALTER SECURITY INTEGRATION POSIT_CONNECT SET ENABLED = TRUE",
            "ALTER SECURITY INTEGRATION POSIT_CONNECT REFRESH OAUTH_CLIENT_SECRET",
            "SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.USERS",
            "CREATE ROLE X",
            "show integrations; drop integration x",
        ):
            with pytest.raises(ReadOnlyViolation):
                session.run(sql)
    assert fake.statements == []


def provider_account():  # type: ignore[no-untyped-def]
    from oauthlint.providers.snowflake.account import parse_account

    return parse_account("myorg-myaccount")


def test_secrets_never_appear_in_logs_output_or_snapshot(
    fake: FakeSnowflake,
    settings: SnowflakeSettings,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.add_integration(posit_connect(client_secret="another-value"))
    snapshot = provider.fetch(consumer(), settings)
    findings = provider.check(consumer(), snapshot, CTX)
    assert [f.code for f in findings] == ["SF006"]
    out = capsys.readouterr()
    assert_no_canary(caplog.text, out.out, out.err, repr(snapshot), repr(settings), *(repr(f) for f in findings))
    assert "another-value" not in caplog.text + repr(snapshot)


def test_query_timeout_is_a_provider_error(fake: FakeSnowflake) -> None:
    fake.add_integration(posit_connect())
    fake.latency = 2.0
    settings = provider.parse_settings(raw_settings(fake, query_timeout=1), "test")
    with pytest.raises(ProviderError, match=r"SHOW SECURITY INTEGRATIONS failed: timed out after 1s \(000014\)"):
        provider.fetch(consumer(), settings)


def test_undescribable_integration_does_not_hide_the_match(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    fake.add_integration(
        posit_connect(name="AAA_PRIVATE", client_id="p=", owner="ACCOUNTADMIN", describe_needs_ownership=True)
    )
    fake.add_integration(posit_connect())
    assert codes(consumer(), settings) == []


def test_not_found_with_undescribable_integrations_is_not_sf001(
    fake: FakeSnowflake, settings: SnowflakeSettings
) -> None:
    fake.add_integration(
        posit_connect(name="AAA_PRIVATE", client_id="p=", owner="ACCOUNTADMIN", describe_needs_ownership=True)
    )
    with pytest.raises(ProviderError) as info:
        provider.fetch(consumer(), settings)
    assert str(info.value) == (
        "snowflake: DESCRIBE SECURITY INTEGRATION AAA_PRIVATE failed: insufficient privileges (003001)"
    )


def test_no_client_id_and_no_name_is_sf001_without_connecting(fake: FakeSnowflake, settings: SnowflakeSettings) -> None:
    integration = Integration(name="x", provider="snowflake", options={"account": "myorg-myaccount"})
    [finding] = provider.check(integration, provider.fetch(integration, settings), CTX)
    assert finding.code == "SF001" and "No client_id is configured" in finding.message
    assert fake.requests == []


@pytest.mark.parametrize(
    ("entry", "connection", "expected"),
    [
        (
            '[audit]\naccount = "myorg-myaccount"\n',
            "audit",
            "user: Missing required parameter 'user' (and 1 more) (000007)",
        ),
        ('[audit]\naccount = "myorg-myaccount"\n', "nope", "Connection 'nope' not found in config files (000007)"),
    ],
)
def test_bad_named_connection_is_one_line(
    fake: FakeSnowflake, tmp_path: Path, entry: str, connection: str, expected: str
) -> None:
    toml = tmp_path / "connections.toml"
    toml.write_text(entry + f'host = "127.0.0.1"\nport = {fake.port}\nprotocol = "http"\n')
    toml.chmod(0o600)
    settings = provider.parse_settings({"connection_name": connection, "connections_file": str(toml)}, "test")
    with pytest.raises(ProviderError) as info:
        provider.fetch(consumer(), settings)
    assert str(info.value) == (
        f"snowflake: log in to account myorg-myaccount with connection {connection!r} failed: "
        f"the connector rejected the connection settings: {expected}"
    )


def test_lookups_in_one_account_share_one_index(fake: FakeSnowflake) -> None:
    from oauthlint.config import Config
    from oauthlint.engine import run
    from oauthlint.selection import RuleSelection

    fake.add_generated(10)
    fake.add_integration(posit_connect())
    fake.add_integration(posit_connect(name="OTHER", client_id="other=", enabled=False))
    settings = provider.parse_settings(raw_settings(fake), "test")
    first = consumer()
    second = Integration(**{**first.__dict__, "name": "other", "client_id": "other=", "client_secret": None})
    third = Integration(**{**first.__dict__, "name": "third", "client_id": "missing="})
    config = Config(integrations=(first, second, third), provider_settings={"snowflake": settings})  # type: ignore[call-arg]
    report = run(config, selection=RuleSelection())
    assert sorted((f.integration, f.code) for f in report.findings) == [
        ("other", "OL003"),
        ("other", "SF003"),
        ("third", "SF001"),
    ]
    shows = [s for s in fake.statements if s.startswith("SHOW")]
    describes = [s for s in fake.statements if s.startswith("DESCRIBE")]
    assert len(shows) == 1 and len(describes) == 12
    assert len([s for s in fake.statements if "SYSTEM$" in s]) == 1
