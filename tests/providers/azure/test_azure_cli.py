"""End to end through the CLI: oauthlint.toml with [providers.azure] pointing at the local fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes.entra_scenario import APP_ID, APP_SECRET, CANARIES, READER_SECRET, TENANT_ID, Live
from oauthlint.cli import app


def _config(live: Live, tmp_path: Path, *, integration_secret: str = APP_SECRET, extra: str = "") -> Path:
    (tmp_path / "reader.secret").write_text(READER_SECRET)
    (tmp_path / "sales.secret").write_text(integration_secret)
    path = tmp_path / "oauthlint.toml"
    path.write_text(
        f"""
connect_server = "https://connect.example.com"

[providers.azure]
tenant_id = "{TENANT_ID}"
client_id = "{live.settings_raw["client_id"]}"
client_secret = "${{file:reader.secret}}"
authority_host = "{live.fake.base_url}"
graph_endpoint = "{live.fake.base_url}"
ca_bundle = "{live.fake.ca_path}"
timeout = 5
max_retries = 1
{extra}

[[integrations]]
name = "sales-dashboard"
provider = "azure"
tenant_id = "{TENANT_ID}"
client_id = "{APP_ID}"
client_secret = "${{file:sales.secret}}"
scopes = ["openid", "profile", "offline_access", "https://graph.microsoft.com/User.Read"]
"""
    )
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    for canary in CANARIES:
        assert canary not in output
    return result.exit_code, output


def test_check_clean(live: Live, tmp_path: Path) -> None:
    code, output = _run("check", "--config", str(_config(live, tmp_path)), "--format", "json")
    assert code == 0, output
    assert json.loads(output)["findings"] == []


def test_check_probe_rejects_secret(live: Live, tmp_path: Path) -> None:
    path = _config(live, tmp_path, integration_secret=APP_SECRET[:3] + "-CANARY-wrong")
    code, output = _run("check", "--config", str(path), "--format", "json")
    assert code == 1
    findings = json.loads(output)["findings"]
    assert [f["rule"] for f in findings] == ["AZ008"] and "CANARY-wrong" not in output


def test_provider_failure_is_ol005(live: Live, tmp_path: Path) -> None:
    live.tenant.clients[live.settings_raw["client_id"]].roles = set()
    code, output = _run("check", "--config", str(_config(live, tmp_path)), "--format", "json")
    assert code == 1
    findings = json.loads(output)["findings"]
    assert [f["rule"] for f in findings] == ["OL005"]
    assert "HTTP 403" in findings[0]["message"] and "Application.Read.All" in findings[0]["message"]


def test_secrets_scan(live: Live, tmp_path: Path) -> None:
    live.tenant.synthetic_apps = 3
    code, output = _run("secrets", "--config", str(_config(live, tmp_path)), "--provider", "azure", "--format", "json")
    assert code in (0, 1), output
    assert "Sales Dashboard" in output and "Generated app 2" in output


@pytest.mark.parametrize("fmt", ["text"])
def test_check_text_output(live: Live, tmp_path: Path, fmt: str) -> None:
    code, output = _run("check", "--config", str(_config(live, tmp_path)), "--format", fmt)
    assert code == 0, output


def test_no_probe_skips_the_token_request(live: Live, tmp_path: Path) -> None:
    path = _config(live, tmp_path, integration_secret=APP_SECRET[:3] + "-CANARY-wrong")
    code, output = _run("check", "--config", str(path), "--format", "json", "--no-probe")
    assert code == 0, output
    assert json.loads(output)["findings"] == []


def test_azure_all_audits_tenant_hygiene(live: Live, tmp_path: Path) -> None:
    live.tenant.synthetic_apps = 3
    code, output = _run("azure", "--all", "--config", str(_config(live, tmp_path)), "--format", "json")
    assert code in (0, 1), output
    data = json.loads(output)
    assert all(f["rule"] in {"AZ012", "AZ013"} for f in data["findings"]), data["findings"]


def test_secrets_tenant_filter(live: Live, tmp_path: Path, run_cli) -> None:
    path = str(_config(live, tmp_path))
    code, output = _run("secrets", "--config", path, "--provider", "azure", "--tenant", TENANT_ID, "--format", "json")
    assert code in (0, 1) and "Sales Dashboard" in output
    without_provider = run_cli("secrets", "--config", path, "--tenant", TENANT_ID)
    assert without_provider.code == 2 and "--tenant needs --provider azure" in without_provider.err
