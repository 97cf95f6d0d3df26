"""One-off provider commands: an account-wide audit that cannot run is OL005 (exit 1), never a crash."""

from __future__ import annotations

import json

import pytest

from oauthlint.errors import ProviderError
from oauthlint_testing import CANARY


def test_audit_that_cannot_run_is_ol005(run_cli, write_config, monkeypatch: pytest.MonkeyPatch) -> None:
    import oauthlint.providers.snowflake.audit as audit

    def refuse(*_args, **_kwargs):
        raise ProviderError("snowflake", "SHOW SECURITY INTEGRATIONS", f"network policy refused (echo {CANARY})")

    monkeypatch.setattr(audit, "audit_live", refuse)
    monkeypatch.setenv("SF_PW", CANARY)
    path = write_config('[providers.snowflake]\naccount = "myorg-acct"\nuser = "U"\npassword = "${env:SF_PW}"\n')
    result = run_cli("snowflake", "--all", "--config", str(path), "--format", "json")
    assert result.code == 1, result.err
    (finding,) = json.loads(result.out)["findings"]
    assert finding["rule"] == "OL005" and "network policy refused" in finding["message"]
    assert CANARY not in result.out + result.err
