"""Every format through the real CLI, for `check` and `secrets` alike, with the test suite's dummy provider.

The dummy provider (tests/conftest.py) is a third-party plug-in: an offline snapshot with its flag set gives
the warning DM001, a live fetch with behaviour = "provider-error" gives OL005 (and echoes the secret in the
provider's error text, which must be scrubbed everywhere).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from junitparser import JUnitXml
from prometheus_client.parser import text_string_to_metric_families
from test_report_sarif import validate

from oauthlint.report import FORMATS

CANARY = "canary-Sup3rS3cret-7f1c2e"
NOW = "2026-11-25T12:00:00Z"


@pytest.fixture
def project(tmp_path: Path, write_config: Any, dummy_provider: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DUMMY_SECRET", CANARY)
    (tmp_path / "flag.json").write_text(json.dumps({"flag": True}))
    return write_config(
        """\
connect_server = "https://connect.example.com"

[[integrations]]
name = "flagged"
provider = "dummy"
scopes = ["offline_access"]
client_secret = "${env:DUMMY_SECRET}"
snapshot = "flag.json"

[[integrations]]
name = "broken"
provider = "dummy"
scopes = ["offline_access"]
client_secret = "${env:DUMMY_SECRET}"
behaviour = "provider-error"
"""
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_check_and_secrets_produce_every_format(name: str, project: Path, run_cli: Any) -> None:
    check = run_cli("check", "--format", name, "--now", NOW)
    assert check.code == 1, check.err  # OL005 is an error
    assert check.out and CANARY not in check.out + check.err
    secrets = run_cli("secrets", "--format", name, "--within", "30d", "--now", NOW)
    assert secrets.code == 1, secrets.err  # the broken integration could not be listed
    assert secrets.out and CANARY not in secrets.out + secrets.err


def test_check_sarif_through_the_cli(project: Path, run_cli: Any) -> None:
    data = validate(run_cli("check", "--format", "sarif", "--now", NOW).out)
    results = {r["ruleId"]: r for r in data["runs"][0]["results"]}
    assert set(results) == {"DM001", "OL005"}
    location = results["DM001"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "oauthlint.toml"
    assert location["region"]["startLine"] == 4
    assert results["OL005"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 11


def test_secrets_junit_and_prometheus_through_the_cli(project: Path, run_cli: Any, tmp_path: Path) -> None:
    out = run_cli("secrets", "--format", "junit", "--within", "30d", "--now", NOW).out
    (tmp_path / "j.xml").write_text(out)
    xml = JUnitXml.fromfile(str(tmp_path / "j.xml"))
    assert xml.errors == 1  # the listing failure
    metrics = {
        f.name: list(f.samples)
        for f in text_string_to_metric_families(run_cli("secrets", "--format", "prometheus", "--now", NOW).out)
    }
    (sample,) = metrics["oauthlint_secret_expiry_timestamp_seconds"]
    assert sample.labels["provider"] == "dummy" and sample.labels["credential"] == "cred-1"
    assert metrics["oauthlint_last_run_success"][0].value == 0


def test_github_annotations_through_the_cli(project: Path, run_cli: Any) -> None:
    lines = run_cli("check", "--format", "github", "--now", NOW).out.splitlines()
    assert lines[0].startswith("::error file=oauthlint.toml,line=11,title=OL005 provider-check-failed::[broken]")
    assert lines[1].startswith("::warning file=oauthlint.toml,line=4,title=DM001 dummy-flag-set::[flagged]")
