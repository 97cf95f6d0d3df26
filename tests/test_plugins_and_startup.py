"""Providers plug in through entry points; `oauthlint --help` imports no provider client library."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

from oauthlint.registry import ENTRY_POINT_GROUP, registry
from oauthlint.rules import catalog

HEAVY = ("msal", "snowflake", "keycloak")


def test_builtins_are_registered_through_the_entry_point_group() -> None:
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"azure", "keycloak", "snowflake"} <= names


def test_a_third_party_provider_object_plugs_in(dummy_provider, run_cli, write_config, tmp_path) -> None:
    assert registry().get("dummy") is dummy_provider
    assert "DM001" in catalog()
    page = run_cli("rules", "DM001")
    assert page.code == 0 and "dummy-flag-set" in page.out
    (tmp_path / "s.json").write_text('{"flag": true}')
    path = write_config('[[integrations]]\nname = "x"\nprovider = "dummy"\nauth_mode = "public"\nsnapshot = "s.json"\n')
    result = run_cli("check", "--config", str(path), "--select", "DM", "--fail-on", "warning")
    assert result.code == 1 and "DM001" in result.out


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        "from oauthlint.cli import main\n"
        f"sys.argv = ['oauthlint', *{list(argv)!r}]\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    return set(err.rpartition("MODULES ")[2].split())


def test_help_and_rules_import_no_provider_client_library() -> None:
    for argv in (["--help"], ["rules"], ["explain", "AADSTS50011"]):
        loaded = _modules_after(*argv)
        assert not loaded & set(HEAVY), (argv, loaded & set(HEAVY))
