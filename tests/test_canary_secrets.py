"""No secret value reaches any output format, log line or error message, whatever goes wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from oauthlint.model import Secret
from oauthlint.report import FORMATS
from oauthlint_testing import CANARY


@pytest.fixture
def canary_config(write_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dummy_provider) -> Path:
    monkeypatch.setenv("DUMMY_SECRET", CANARY)
    (tmp_path / "secret.txt").write_text(CANARY + "\n")
    (tmp_path / "flag.json").write_text('{"flag": true}')
    body = ""
    for n, behaviour in enumerate(["provider-error", "crash", "flag", "ok"]):
        body += (
            f'[[integrations]]\nname = "i{n}"\nprovider = "dummy"\nbehaviour = "{behaviour}"\n'
            f'client_secret = "{"${env:DUMMY_SECRET}" if n % 2 else "${file:secret.txt}"}"\n'
            'auth_mode = "public"\nscopes = ["openid"]\n'
        )
    body += '[[integrations]]\nname = "offline"\nprovider = "dummy"\nsnapshot = "flag.json"\nclient_secret = "${env:DUMMY_SECRET}"\n'
    return write_config('connect_server = "http://connect.example.com"\n' + body)


def _available_formats() -> list[str]:
    import importlib

    available = []
    for name, module in FORMATS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        available.append(name)
    return available


@pytest.mark.parametrize("fmt", _available_formats())
def test_check_never_prints_the_secret(fmt: str, run_cli, canary_config: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    result = run_cli("check", "--config", str(canary_config), "--format", fmt, "--fail-on", "never")
    assert result.code == 0, result.err
    assert "OL005" in result.out or fmt == "prometheus"
    for text in (result.out, result.err, caplog.text):
        assert CANARY not in text


@pytest.mark.parametrize("fmt", _available_formats())
def test_secrets_never_prints_the_secret(fmt: str, run_cli, canary_config: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    result = run_cli("secrets", "--config", str(canary_config), "--format", fmt)
    assert result.code == 1, result.err  # two integrations could not be listed
    assert result.out and "internal error" not in result.err
    for text in (result.out, result.err, caplog.text):
        assert CANARY not in text


def test_one_off_command_never_prints_the_secret(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEOFF_SECRET", CANARY)
    monkeypatch.chdir(tmp_path)
    result = run_cli(
        "azure",
        "--client-id",
        "00000000-0000-0000-0000-000000000001",
        "--client-secret-env",
        "ONEOFF_SECRET",
        "--connect-server",
        "https://connect.example.com",
        "--auth-mode",
        "public",
        "--format",
        "json",
    )
    assert CANARY not in result.out + result.err


def test_internal_errors_are_scrubbed(run_cli, canary_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import oauthlint.engine as engine

    def explode(*_args, **_kwargs):
        raise ValueError(f"bug holding {CANARY}")

    monkeypatch.setattr(engine, "run", explode)
    result = run_cli("check", "--config", str(canary_config))
    assert result.code == 2
    assert "internal error: ValueError" in result.err and CANARY not in result.err


def test_secret_object_refuses_to_show_itself() -> None:
    secret = Secret(CANARY, source="env:X")
    for text in (str(secret), repr(secret), f"{secret}", f"{secret!r}", str([secret]), str({"k": secret})):
        assert CANARY not in text
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)
    assert secret.matches(CANARY) and not secret.matches(CANARY + "x") and not secret.matches(None)


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("client_secret", True),
        ("password", True),
        ("private_key_passphrase", True),
        ("token", True),
        ("api_key", True),
        ("token_uri", False),
        ("token_endpoint_auth_method", False),
        ("private_key_file", False),
        ("client_id", False),
    ],
)
def test_which_provider_keys_hold_secrets(key: str, secret: bool) -> None:
    from oauthlint.secretref import looks_secret

    assert looks_secret(key) is secret


def test_credentials_in_urls_are_masked_in_error_text() -> None:
    from oauthlint.model import scrub_known_secrets

    text = "cannot connect to https://admin:hunter2-canary@sso.example.com/realms/x (and http://u@h/p)"
    assert scrub_known_secrets(text) == "cannot connect to https://***@sso.example.com/realms/x (and http://***@h/p)"
    assert scrub_known_secrets("mail me at ops@example.com") == "mail me at ops@example.com"
