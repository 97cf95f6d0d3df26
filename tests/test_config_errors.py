"""Every configuration mistake is one readable line naming the file and the key, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

BASE = """
connect_server = "https://connect.example.com"
[[integrations]]
name = "a"
provider = "dummy"
client_secret = "${env:OAUTHLINT_TEST_SECRET}"
"""

CASES = {
    "toml-syntax": ("connect_server = \n", "TOML syntax error"),
    "unknown-top-key": (
        'conect_server = "https://x"\n',
        "unknown key 'conect_server' (did you mean 'connect_server'?)",
    ),
    "wrong-type": ('expiry_warning_days = "30"\n', "expiry_warning_days: expected an integer"),
    "bool-is-not-int": ("expiry_warning_days = true\n", "expiry_warning_days: expected an integer"),
    "unknown-provider": (
        '[[integrations]]\nname = "x"\nprovider = "azur"\n',
        "unknown provider 'azur' (did you mean 'azure'?)",
    ),
    "unknown-provider-table": ("[providers.snowflak]\n", "unknown provider 'snowflak'"),
    "missing-name": ('[[integrations]]\nprovider = "dummy"\n', "integrations[0]: missing required key 'name'"),
    "unknown-integration-key": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nclient_secrt = "y"\n',
        "unknown key 'client_secrt' (did you mean 'client_secret'?)",
    ),
    "bad-auth-mode": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nauth_mode = "secret"\n',
        "auth_mode: expected one of confidential, public, got 'secret'",
    ),
    "missing-env": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nclient_secret = "${env:OAUTHLINT_NOT_SET_ANYWHERE}"\n',
        "client_secret: environment variable OAUTHLINT_NOT_SET_ANYWHERE is not set",
    ),
    "unreadable-file": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nclient_secret = "${file:no/such/secret.txt}"\n',
        "client_secret: cannot read",
    ),
    "malformed-reference": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nclient_secret = "${ENV:X}"\n',
        "client_secret: malformed reference",
    ),
    "scopes-type": ('[[integrations]]\nname = "x"\nprovider = "dummy"\nscopes = [1, 2]\n', "scopes: expected a list"),
    "duplicate-name": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\n[[integrations]]\nname = "x"\nprovider = "dummy"\n',
        "integrations[1]: name: 'x' is already used",
    ),
    "missing-snapshot": (
        '[[integrations]]\nname = "x"\nprovider = "dummy"\nsnapshot = "gone.json"\n',
        "snapshot: no such file",
    ),
    "unknown-select": ('select = ["AZ999"]\n' + BASE, "unknown rule code or prefix 'AZ999'"),
    "unknown-ignore": ('ignore = ["XX"]\n' + BASE, "unknown rule code or prefix 'XX'"),
    "bad-fail-on": ('fail_on = "critical"\n', "fail_on: expected one of error, warning, info, never"),
    "suppress-unknown-rule": (
        BASE + '[[suppress]]\nrule = "AZ0077"\nintegration = "a"\nreason = "r"\n',
        "rule: unknown rule code 'AZ0077'",
    ),
    "suppress-no-reason": (BASE + '[[suppress]]\nrule = "OL001"\nintegration = "a"\n', "missing required key 'reason'"),
    "suppress-empty-reason": (
        BASE + '[[suppress]]\nrule = "OL001"\nintegration = "a"\nreason = "  "\n',
        "reason: must say why",
    ),
    "suppress-no-target": (
        BASE + '[[suppress]]\nrule = "OL001"\nreason = "r"\n',
        "name an integration or a fingerprint",
    ),
    "suppress-unknown-integration": (
        BASE + '[[suppress]]\nrule = "OL001"\nintegration = "b"\nreason = "r"\n',
        "no integration named 'b'",
    ),
    "suppress-bad-until": (
        BASE + '[[suppress]]\nrule = "OL001"\nintegration = "a"\nreason = "r"\nuntil = "next week"\n',
        "until: expected a date like 2026-12-31",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_mistake_is_one_line_exit_2(
    case: str, run_cli, write_config, dummy_provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLINT_TEST_SECRET", "canary-value-123")
    text, expected = CASES[case]
    path = write_config(text)
    result = run_cli("check", "--config", str(path))
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    assert expected in lines[0], lines[0]
    assert str(path) in lines[0] or "select" in expected or "ignore" in expected


def test_missing_config_file(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "--config", str(tmp_path / "nope.toml"))
    assert result.code == 2
    assert "nope.toml: no such file" in result.err


def test_no_config_in_directory(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.code == 2
    assert "no oauthlint.toml" in result.err


def test_pyproject_tool_table_is_found(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dummy_provider
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.oauthlint]\nconnect_server = "https://c.example.com"\n'
        '[[tool.oauthlint.integrations]]\nname = "p"\nprovider = "dummy"\nauth_mode = "public"\n'
        'scopes = "offline_access"\nsnapshot = "s.json"\n'
    )
    (tmp_path / "s.json").write_text('{"flag": false}')
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--format", "json")
    assert result.code == 0, result.err
    assert '"integrations": 1' in result.out


def test_unknown_flag_and_bad_option_values_exit_2(run_cli) -> None:
    assert run_cli("check", "--bogus").code == 2
    bad_fail_on = run_cli("rules", "--format", "yaml")
    assert bad_fail_on.code == 2 and "expected text, json or markdown" in bad_fail_on.err
    assert run_cli("rules", "ZZ999").code == 2


def test_bad_format_and_fail_on_flags(run_cli, write_config, dummy_provider, tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text("{}")
    path = write_config('[[integrations]]\nname = "x"\nprovider = "dummy"\nauth_mode = "public"\nsnapshot = "s.json"\n')
    fmt = run_cli("check", "--config", str(path), "--format", "yaml")
    assert fmt.code == 2 and "unknown format 'yaml'" in fmt.err
    fail_on = run_cli("check", "--config", str(path), "--fail-on", "fatal")
    assert fail_on.code == 2 and "--fail-on: expected one of" in fail_on.err
    select = run_cli("check", "--config", str(path), "--select", "QQ1")
    assert select.code == 2 and "unknown rule code or prefix 'QQ1'" in select.err


def test_malformed_snapshot_is_a_usage_error(run_cli, write_config, dummy_provider, tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text("{not json")
    path = write_config('[[integrations]]\nname = "x"\nprovider = "dummy"\nauth_mode = "public"\nsnapshot = "s.json"\n')
    result = run_cli("check", "--config", str(path))
    assert result.code == 2
    assert "s.json: not valid JSON (line 1" in result.err
