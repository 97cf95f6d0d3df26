"""``--all`` and ``secrets`` against the fake, and the CLI end to end with canary secrets."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fakes.snowflake_fixtures import CANARIES, CLIENT_ID, PASSWORD, SECRET, posit_connect, raw_settings
from fakes.snowflake_server import FakeSnowflake
from oauthlint.errors import ProviderError, UsageError
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.audit import audit_account, audit_live, scan_secrets_live
from oauthlint.providers.snowflake.settings import SnowflakeSettings

CTX = CheckContext(now=datetime(2026, 11, 25, 12, tzinfo=UTC))


def seed_account(fake: FakeSnowflake) -> None:
    fake.add_generated(3)
    fake.add_integration(posit_connect())
    fake.add_integration(posit_connect(name="OFF", client_id="off=", enabled=False))
    fake.add_integration(posit_connect(name="NO_REFRESH", client_id="nr=", issue_refresh_tokens=False))
    fake.add_integration(posit_connect(name="SHORT", client_id="sh=", refresh_token_validity=600))
    fake.add_integration(posit_connect(name="PUBLIC_APP", client_id="pub=", client_type="PUBLIC"))
    fake.add_integration(posit_connect(name="PLAIN_HTTP", client_id="http=", allow_non_tls_redirect=True))
    fake.add_integration(posit_connect(name="OKTA", client_id="ext=", type="EXTERNAL_OAUTH - OKTA"))


def test_audit_account_checks_every_oauth_integration_in_one_plus_n_queries(
    fake: FakeSnowflake, settings: SnowflakeSettings
) -> None:
    seed_account(fake)
    audit = audit_account(settings, "myorg-myaccount", CTX)
    assert len(audit.integrations) == 9 and audit.account == "myorg-myaccount"
    assert audit.queries == 1 + 9 == len(fake.statements)
    assert not any("SYSTEM$" in sql for sql in fake.statements)
    found = sorted((f.code, f.integration) for f in audit.findings)
    assert found == [
        ("SF003", "OFF"),
        ("SF004", "NO_REFRESH"),
        ("SF005", "PUBLIC_APP"),
        ("SF008", "SHORT"),
        ("SF009", "PLAIN_HTTP"),
    ]
    assert {f.scope for f in audit.findings} == {"myorg-myaccount"}
    assert len(audit.credentials) == 2 * 9 and all(c.end is None for c in audit.credentials)


def test_audit_live_uses_the_configured_account_or_the_given_one(fake: FakeSnowflake) -> None:
    seed_account(fake)
    with_account = provider.parse_settings(raw_settings(fake, account="myorg-myaccount"), "t")
    assert len(audit_live(with_account, CTX)) == 5
    without = provider.parse_settings(raw_settings(fake), "t")
    with pytest.raises(UsageError, match="name the account to audit"):
        audit_live(without, CTX)
    assert len(audit_live(without, CTX, accounts=["https://myorg-myaccount.snowflakecomputing.com"])) == 5
    with pytest.raises(UsageError, match=r"--account: account 'myorg\.myaccount' uses the SQL form"):
        audit_live(without, CTX, accounts=["myorg.myaccount"])


def test_audit_failure_is_a_provider_error(fake: FakeSnowflake) -> None:
    settings = provider.parse_settings(raw_settings(fake, password="nope", account="myorg-myaccount"), "t")
    with pytest.raises(ProviderError, match="390100"):
        audit_live(settings, CTX)


def test_scan_credentials_lists_metadata_only(fake: FakeSnowflake, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seed_account(fake)
    settings = provider.parse_settings(raw_settings(fake, account="myorg-myaccount"), "t")
    creds = list(provider.scan_credentials(settings))
    assert creds == list(scan_secrets_live(settings))
    assert {c.owner_name for c in creds} >= {"POSIT_CONNECT", "OFF"}
    assert all(c.provider == "snowflake" and c.end is None and "never expire" in c.detail for c in creds)
    assert not any(canary in repr(creds) + caplog.text for canary in CANARIES)


def write_config(tmp_path: Path, fake: FakeSnowflake, **integration: Any) -> Path:
    entry = {
        "name": "sales-snowflake",
        "provider": "snowflake",
        "client_id": CLIENT_ID,
        "client_secret": "${env:SF_CLIENT_SECRET}",
        "scopes": ["refresh_token"],
        "account_url": "https://myorg-myaccount.snowflakecomputing.com",
        **integration,
    }
    lines = [
        'connect_server = "https://connect.example.com"',
        "[providers.snowflake]",
        'account = "myorg-myaccount"',
        'user = "OAUTHLINT"',
        'password = "${env:SF_PASSWORD}"',
        'host = "127.0.0.1"',
        f"port = {fake.port}",
        'protocol = "http"',
        "login_timeout = 5",
        "[[integrations]]",
        *(f"{k} = {json.dumps(v)}" for k, v in entry.items()),
    ]
    path = tmp_path / "oauthlint.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SF_PASSWORD", PASSWORD)
    monkeypatch.setenv("SF_CLIENT_SECRET", SECRET)


@pytest.mark.usefixtures("env")
def test_cli_check_live_json_has_findings_and_no_secret(
    fake: FakeSnowflake, tmp_path: Path, run_cli: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.add_integration(posit_connect(client_secret="rotated", redirect_uri="https://connect.example.com/cb"))
    result = run_cli("check", "--config", str(write_config(tmp_path, fake)), "--format", "json")
    assert result.code == 1, result.err
    codes = sorted(f["rule"] for f in json.loads(result.out)["findings"])
    assert codes == ["SF002", "SF006"]
    assert not any(canary in result.out + result.err + caplog.text for canary in CANARIES)


@pytest.mark.usefixtures("env")
def test_cli_check_login_failure_is_ol005(
    fake: FakeSnowflake, tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SF_PASSWORD", "wrong")
    result = run_cli("check", "--config", str(write_config(tmp_path, fake)), "--format", "json")
    [finding] = json.loads(result.out)["findings"]
    assert result.code == 1 and finding["rule"] == "OL005" and "390100" in finding["message"]
    assert "Traceback" not in result.err


@pytest.mark.usefixtures("env")
def test_cli_secrets_provider_snowflake(fake: FakeSnowflake, tmp_path: Path, run_cli: Any) -> None:
    seed_account(fake)
    result = run_cli(
        "secrets", "--provider", "snowflake", "--config", str(write_config(tmp_path, fake)), "--format", "json"
    )
    assert result.code in (0, 1), result.err
    assert "POSIT_CONNECT" in result.out
    assert not any(canary in result.out + result.err for canary in CANARIES)


def test_audit_reports_undescribable_integrations_as_ol005_and_audits_the_rest(
    fake: FakeSnowflake, settings: SnowflakeSettings
) -> None:
    seed_account(fake)
    fake.add_integration(
        posit_connect(name="AAA_PRIVATE", client_id="p=", owner="ACCOUNTADMIN", describe_needs_ownership=True)
    )
    audit = audit_account(settings, "myorg-myaccount", CTX)
    assert len(audit.integrations) == 9
    [failure] = audit.failures
    assert failure.code == "OL005" and failure.integration == "AAA_PRIVATE"
    assert "insufficient privileges (003001)" in failure.message
    assert len([f for f in audit.findings if f.code.startswith("SF")]) == 5


@pytest.mark.usefixtures("env")
def test_cli_snowflake_all_audits_the_account(fake: FakeSnowflake, tmp_path: Path, run_cli: Any) -> None:
    seed_account(fake)
    config = str(write_config(tmp_path, fake))
    result = run_cli("snowflake", "--all", "--config", config, "--format", "json")
    assert result.code == 1, result.err
    found = sorted((f["rule"], f["integration"]) for f in json.loads(result.out)["findings"])
    assert ("SF003", "OFF") in found and ("SF009", "PLAIN_HTTP") in found and ("SF005", "PUBLIC_APP") in found
    assert not any(sql.upper().startswith(("ALTER", "CREATE", "DROP")) for sql in fake.statements)
    only_warnings = run_cli("snowflake", "--all", "--config", config, "--select", "SF008,SF009", "--fail-on", "error")
    assert only_warnings.code == 0 and "SF009" in only_warnings.out


def test_cli_snowflake_all_needs_provider_settings(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("snowflake", "--all")
    assert result.code == 2 and "--all needs [providers.snowflake]" in result.err


@pytest.mark.usefixtures("env")
def test_cli_snowflake_all_login_failure_is_ol005(
    fake: FakeSnowflake, tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_account(fake)
    monkeypatch.setenv("SF_PASSWORD", "canary-wrong-password-1")
    result = run_cli("snowflake", "--all", "--config", str(write_config(tmp_path, fake)), "--format", "json")
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert {f["rule"] for f in findings} == {"OL005"} and "390100" in findings[0]["message"]
    assert "canary-wrong-password-1" not in result.out + result.err


def test_secrets_listing_does_not_silently_drop_undescribable_integrations(
    fake: FakeSnowflake, settings: SnowflakeSettings
) -> None:
    """An integration the role may list but not DESCRIBE has credentials too: the listing yields the others,
    then fails (OL005 / exit 2 in the CLI) naming it, instead of an inventory that quietly lacks it."""
    seed_account(fake)
    fake.add_integration(
        posit_connect(name="AAA_PRIVATE", client_id="p=", owner="ACCOUNTADMIN", describe_needs_ownership=True)
    )
    with_account = provider.parse_settings(raw_settings(fake, account="myorg-myaccount"), "t")
    listed = []
    with pytest.raises(ProviderError, match="AAA_PRIVATE") as err:
        listed.extend(scan_secrets_live(with_account))
    assert len(listed) == 2 * 9 and "insufficient privileges" in err.value.reason


def test_fake_reprs_hide_canaries() -> None:
    """A failing assertion prints the fake's objects; their secrets must not come along."""
    from fakes.snowflake_server import FakeUser

    shown = repr(posit_connect()) + repr(FakeUser("U", "R", password=PASSWORD, token=CANARIES[1]))
    assert not any(canary in shown for canary in CANARIES)
