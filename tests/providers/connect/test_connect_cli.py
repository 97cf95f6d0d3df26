"""`oauthlint check --connect-server URL --content GUID` end to end through the CLI."""

from __future__ import annotations

import json

import pytest
from test_connect_live import ADMIN_KEY, C_NONE, sample

from fakes.connect_api import FakeConnect


def test_check_from_connect_with_content_gate(run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no oauthlint.toml: Connect is the only source
    monkeypatch.setenv("CONNECT_API_KEY", ADMIN_KEY)
    with FakeConnect(sample()) as fake:
        result = run_cli("check", "--connect-server", fake.url, "--content", C_NONE, "--format", "json")
        assert fake.requests and all(r.method == "GET" for r in fake.requests), fake.requests
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert ("CN001", f"content {C_NONE}") in {(f["rule"], f["integration"]) for f in findings}
    assert "note: not checked: Connect integration" in result.err
    assert ADMIN_KEY not in result.out + result.err


def test_connect_source_needs_the_api_key(run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONNECT_API_KEY", raising=False)
    result = run_cli("check", "--connect-server", "https://connect.example.com")
    assert result.code == 2 and "CONNECT_API_KEY" in result.err
    assert run_cli("check", "--content", C_NONE).code == 2
