"""The Keycloak provider against a real Keycloak 26.7.3 (started by conftest.py; never skipped).

Every linter call here is the production code path (python-keycloak admin reads, the token-endpoint probe);
the last test proves the linter wrote nothing (realm state and admin events before == after).
"""

from __future__ import annotations

import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
from kc_server import ADMIN_USER, REPO, Admin, Seed, _free_port, realm_state

from oauthlint.engine import evaluate
from oauthlint.errors import ProviderError
from oauthlint.model import Finding, Integration, Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.keycloak import provider
from oauthlint.providers.keycloak.audit import audit_live, scan_secrets_live
from oauthlint.providers.keycloak.settings import KeycloakServers, parse_settings

pytestmark = pytest.mark.keycloak
CONNECT = "https://connect.example.com"


def settings_for(seed: Seed, **over: Any) -> KeycloakServers:
    raw: dict[str, Any] = {
        "server_url": seed.url,
        "realm": seed.realm,
        "client_id": seed.reader[0],
        "client_secret": Secret(seed.reader[1]),
        "timeout": 20,
    }
    raw.update(over)
    return parse_settings({k: v for k, v in raw.items() if v is not None}, "test providers.keycloak")


def integration(seed: Seed, client_id: str, secret: str | None = None, **over: Any) -> Integration:
    value = secret if secret is not None else seed.secrets.get(client_id)
    base: dict[str, Any] = {
        "name": f"it-{client_id}",
        "provider": "keycloak",
        "client_id": client_id,
        "client_secret": Secret(value) if value else None,
        "scopes": ("openid", "profile", "offline_access"),
        "connect_server": CONNECT,
        "options": {"realm": seed.realm},
    }
    base.update(over)
    return Integration(**base)


def lint(seed: Seed, integ: Integration, settings: KeycloakServers | None = None) -> list[Finding]:
    snap = provider.fetch(integ, settings if settings is not None else settings_for(seed))
    findings = evaluate(integ, snap, provider, CheckContext(now=datetime.now(UTC)))
    for f in findings:
        assert not any(c in f.message or c in f.resource for c in seed.canaries), f.message
    return findings


def kc_codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.code.startswith("KC")}


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("connect-clean", set()),
        ("connect-redirect", {"KC003"}),
        ("connect-wildcard", {"KC004"}),
        ("connect-norefresh", {"KC008"}),
        ("connect-nooffline", {"KC008"}),
        ("connect-public", {"KC010"}),
        ("connect-nostdflow", {"KC009"}),
        ("connect-disabled", {"KC002"}),
        ("connect-rotating", {"KC007"}),
        ("connect-rotated-expired", {"KC006"}),
        ("connect-missing", {"KC001"}),
    ],
)
def test_one_finding_per_seeded_client(seeded: Seed, state_before: Any, client_id: str, expected: set[str]) -> None:
    assert kc_codes(lint(seeded, integration(seeded, client_id))) == expected


def test_rotated_secret_message_names_the_expiry(seeded: Seed, state_before: Any) -> None:
    [f] = [f for f in lint(seeded, integration(seeded, "connect-rotating")) if f.code == "KC007"]
    assert "rotated-out" in f.message and f.scope == seeded.realm and f.object_id.endswith("/rotated")
    assert "'rotate-connect-rotating'" in f.note  # the realm's secret-rotation policy, read with view-realm


def test_current_secret_of_rotating_client_expires_within_window(seeded: Seed, state_before: Any) -> None:
    # Holding the *current* secret: the 20-day expiry of the rotation policy is inside the 30-day window.
    admin_rep_secret = _current_secret(seeded, "connect-rotating")
    findings = lint(seeded, integration(seeded, "connect-rotating", secret=admin_rep_secret))
    assert [(f.code, f.object_id.rsplit("/", 1)[1]) for f in findings if f.code.startswith("KC")] == [
        ("KC007", "secret")
    ]


def _current_secret(seed: Seed, client_id: str) -> str:
    admin = Admin(seed.url)
    uuid = admin.client_uuid(seed.realm, client_id)
    return str(admin.get(f"/{seed.realm}/clients/{uuid}/client-secret")["value"])


def test_wrong_secret_admin_compare(seeded: Seed, state_before: Any) -> None:
    findings = lint(seeded, integration(seeded, "connect-clean", secret="canary-wrong-secret-0000"))
    assert kc_codes(findings) == {"KC005"}
    assert "matches neither" in next(f.message for f in findings if f.code == "KC005")


def test_offline_role_missing_from_default_roles(seeded: Seed, state_before: Any) -> None:
    integ = integration(seeded, "connect-norole", options={"realm": seeded.norole_realm})
    settings = settings_for(seeded, realm=seeded.norole_realm)
    findings = lint(seeded, integ, settings)
    assert kc_codes(findings) == {"KC008"}
    assert any(f.object_id.endswith("/realm-role") for f in findings)


def test_integrations_of_a_run_share_one_admin_login(seeded: Seed, state_before: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from oauthlint.providers.keycloak.fetch import STATS

    settings = settings_for(seeded)
    ids = ["connect-clean", "connect-redirect", "connect-wildcard", "connect-norefresh", "connect-nooffline"]
    ids.append("connect-rotating")
    before = STATS["requests"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        snaps = list(pool.map(lambda cid: provider.fetch(integration(seeded, cid), settings), ids))
    assert [s.client.client_id for s in snaps if s.client] == ids
    # one login + one client lookup per integration + default roles, policies, profiles once
    assert STATS["requests"] - before == 1 + len(ids) + 3
    # bad admin credentials: one failed login, remembered, not one per integration
    bad = settings_for(seeded, client_secret=Secret("canary-bad-admin-4444"))
    before = STATS["requests"]
    for cid in ids:
        with pytest.raises(ProviderError, match="could not log in"):
            provider.fetch(integration(seeded, cid), bad)
    assert STATS["requests"] - before == 1


# --------------------------------------------------------------------------------- probe (no admin rights)


def probe_settings(seed: Seed) -> KeycloakServers:
    return parse_settings({"server_url": seed.url, "realm": seed.realm, "timeout": 20}, "test")


@pytest.mark.parametrize(
    ("client_id", "secret", "expected"),
    [
        ("connect-clean", None, set()),
        ("connect-clean", "canary-wrong-secret-0000", {"KC005"}),
        ("connect-missing", "canary-any-1111", {"KC001"}),
        ("connect-disabled", None, {"KC001"}),  # the token endpoint cannot tell disabled from missing
        ("connect-rotating", None, set()),  # the rotated secret still works
        ("connect-rotated-expired", None, {"KC005"}),  # expired rotated secret: rejected
        ("connect-public", None, {"KC010"}),
        ("oauthlint-reader", "canary-reader-secret-a41c", set()),  # service accounts on: token issued, dropped
    ],
)
def test_secret_probe_without_admin_rights(
    seeded: Seed, state_before: Any, client_id: str, secret: str | None, expected: set[str]
) -> None:
    integ = integration(seeded, client_id, secret=secret)
    snap = provider.fetch(integ, probe_settings(seeded))
    assert snap.client is None and snap.probe is not None
    assert "token" not in repr(snap.probe).lower() or "discarded" in snap.probe.detail
    findings = evaluate(integ, snap, provider, CheckContext(now=datetime.now(UTC)))
    assert kc_codes(findings) == expected


def test_probe_mode_with_admin_rights_combines_both(seeded: Seed, state_before: Any) -> None:
    integ = integration(seeded, "connect-redirect", secret="canary-wrong-secret-0000")
    findings = lint(seeded, integ, settings_for(seeded, secret_check="probe"))
    assert kc_codes(findings) == {"KC003", "KC005"}


# ----------------------------------------------------------------------------------- failures are findings


def expect_provider_error(seed: Seed, settings: KeycloakServers, *words: str, client_id: str = "connect-clean") -> str:
    with pytest.raises(ProviderError) as err:
        provider.fetch(integration(seed, client_id), settings)
    text = str(err.value)
    assert "\n" not in text and not any(c in text for c in seed.canaries), text
    for w in words:
        assert w in text, text
    return text


def test_wrong_admin_credentials(seeded: Seed, state_before: Any) -> None:
    expect_provider_error(
        seeded, settings_for(seeded, client_secret=Secret("canary-bad-admin-9999")), "could not log in", "401"
    )


def test_wrong_admin_password_user_login(seeded: Seed, state_before: Any) -> None:
    s = settings_for(
        seeded,
        client_id=None,
        client_secret=None,
        username=ADMIN_USER,
        password=Secret("canary-bad-pw-2222"),
        auth_realm="master",
    )
    expect_provider_error(seeded, s, "user 'oauthlint-admin'", "invalid_grant")


def test_missing_view_realm_role_is_named(seeded: Seed, state_before: Any) -> None:
    s = settings_for(seeded, client_id=seeded.clients_only[0], client_secret=Secret(seeded.clients_only[1]))
    expect_provider_error(seeded, s, "403", "view-realm")


@pytest.mark.parametrize("client_id", ["connect-missing", "connect-clean"])
def test_an_account_that_sees_no_clients_is_not_kc001(seeded: Seed, state_before: Any, client_id: str) -> None:
    s = settings_for(seeded, client_id=seeded.query_only[0], client_secret=Secret(seeded.query_only[1]))
    with pytest.raises(ProviderError, match="lacks the realm-management role view-clients") as info:
        provider.fetch(integration(seeded, client_id), s)
    assert not any(c in str(info.value) for c in seeded.canaries)


def test_unknown_realm(seeded: Seed, state_before: Any) -> None:
    s = settings_for(seeded, auth_realm=seeded.realm)
    with pytest.raises(ProviderError, match="realm 'no-such-realm' does not exist"):
        provider.fetch(integration(seeded, "connect-clean", options={"realm": "no-such-realm"}), s)
    expect_provider_error(seeded, settings_for(seeded, realm="no-such-realm"), "'no-such-realm' does not exist")


def test_server_down(seeded: Seed) -> None:
    s = settings_for(seeded, server_url=f"http://127.0.0.1:{_free_port()}", timeout=3)
    expect_provider_error(seeded, s, "cannot connect")


@pytest.fixture
def untrusted_tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca_file
    finally:
        server.shutdown()
        server.server_close()


def test_tls_failure(seeded: Seed, untrusted_tls_server: tuple[str, Path]) -> None:
    url, _ = untrusted_tls_server
    expect_provider_error(seeded, settings_for(seeded, server_url=url, timeout=5), "TLS verification failed")


# ------------------------------------------------------------------------------ realm audit, secret scan


def test_realm_audit_finds_consumer_independent_problems(seeded: Seed, state_before: Any) -> None:
    findings = audit_live(settings_for(seeded), CheckContext(now=datetime.now(UTC)))
    found = {(f.integration.split("/", 1)[1], f.code) for f in findings}
    assert found == {
        ("connect-wildcard", "KC004"),
        ("connect-norefresh", "KC008"),
        ("connect-rotating", "KC007"),
    }
    assert all(f.scope == seeded.realm for f in findings)
    # The audit reads clients only: an account with view-clients alone is enough.
    clients_only = settings_for(seeded, client_id=seeded.clients_only[0], client_secret=Secret(seeded.clients_only[1]))
    same = audit_live(clients_only, CheckContext(now=datetime.now(UTC)))
    assert {f.fingerprint for f in same} == {f.fingerprint for f in findings}


def test_realm_audit_include_builtin_has_no_false_positives(seeded: Seed, state_before: Any) -> None:
    with_builtin = audit_live(settings_for(seeded), CheckContext(now=datetime.now(UTC)), include_builtin=True)
    without = audit_live(settings_for(seeded), CheckContext(now=datetime.now(UTC)))
    assert {f.fingerprint for f in with_builtin} == {f.fingerprint for f in without}


def test_realm_audit_several_realms(seeded: Seed, state_before: Any) -> None:
    one = {"server_url": seeded.url, "client_id": seeded.reader[0], "client_secret": Secret(seeded.reader[1])}
    both = parse_settings([{**one, "realm": seeded.realm}, {**one, "realm": seeded.norole_realm}], "test")
    assert {c.scope for c in scan_secrets_live(both)} == {seeded.realm, seeded.norole_realm}
    # A service account of one realm cannot read another: the 403 says so and names the role.
    with pytest.raises(ProviderError, match=r"lacks the realm-management role 'view-clients'.*per realm"):
        list(scan_secrets_live(settings_for(seeded, realms=[seeded.realm, seeded.norole_realm])))


def test_secret_scan_lists_expiry_and_rotated_secrets(seeded: Seed, state_before: Any) -> None:
    creds = list(scan_secrets_live(settings_for(seeded)))
    by = {(c.owner_name, c.kind): c for c in creds}
    assert ("connect-public", "client secret") not in by
    rotating = by[("connect-rotating", "client secret")]
    rotated = by[("connect-rotating", "rotated client secret")]
    assert rotating.end is not None and rotated.end is not None and rotated.end < rotating.end
    assert by[("connect-clean", "client secret")].end is None
    text = repr(creds)
    assert not any(c in text for c in seeded.canaries)


# ------------------------------------------------------------------------------------- the CLI end to end


def test_cli_check_live(seeded: Seed, state_before: Any, tmp_path: Path) -> None:
    config = tmp_path / "oauthlint.toml"
    entries = []
    for i, cid in enumerate(("connect-clean", "connect-redirect", "connect-rotating")):
        entries.append(
            f'[[integrations]]\nname = "{cid}"\nprovider = "keycloak"\nclient_id = "{cid}"\n'
            f'client_secret = "${{env:IT_SECRET_{i}}}"\nscopes = ["openid", "offline_access"]\n'
        )
    config.write_text(
        f'connect_server = "{CONNECT}"\n\n[providers.keycloak]\nserver_url = "{seeded.url}"\nrealm = "{seeded.realm}"\n'
        f'client_id = "{seeded.reader[0]}"\nclient_secret = "${{env:IT_READER}}"\ntimeout = 20\n\n' + "\n".join(entries)
    )
    env = {
        **os.environ,
        "IT_READER": seeded.reader[1],
        **{
            f"IT_SECRET_{i}": seeded.secrets[c]
            for i, c in enumerate(("connect-clean", "connect-redirect", "connect-rotating"))
        },
    }
    out = subprocess.run(
        [sys.executable, "-m", "oauthlint", "check", "--config", str(config), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    assert not any(c in out.stdout + out.stderr for c in seeded.canaries)
    report = json.loads(out.stdout)
    got = {(f["integration"], f["rule"]) for f in report["findings"]}
    assert got == {("connect-redirect", "KC003"), ("connect-rotating", "KC007")}

    # Wrong admin secret: every integration becomes OL005 with a reason, exit 1, no traceback.
    env["IT_READER"] = "canary-bad-admin-3333"
    out = subprocess.run(
        [sys.executable, "-m", "oauthlint", "check", "--config", str(config), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    report = json.loads(out.stdout)
    assert {f["rule"] for f in report["findings"]} == {"OL005"}
    assert "could not log in" in report["findings"][0]["message"]
    assert not any(c in out.stdout + out.stderr for c in (*seeded.canaries, "canary-bad-admin-3333"))


@pytest.mark.parametrize(("secret_of", "code", "exit_code"), [("connect-clean", None, 0), (None, "KC005", 1)])
def test_cli_one_off_probe_without_config(
    seeded: Seed, state_before: Any, tmp_path: Path, secret_of: str | None, code: str | None, exit_code: int
) -> None:
    """`oauthlint keycloak --server … --realm … --client-id …` with no config and no admin rights: the probe."""
    secret = seeded.secrets[secret_of] if secret_of else "canary-wrong-secret-0000"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "oauthlint",
            "keycloak",
            "--server",
            seeded.url,
            "--realm",
            seeded.realm,
            "--client-id",
            "connect-clean",
            "--client-secret-env",
            "IT_SECRET",
            "--connect-server",
            CONNECT,
            "--scopes",
            "openid offline_access",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "IT_SECRET": secret},
        cwd=tmp_path,  # no oauthlint.toml here
        timeout=120,
    )
    assert out.returncode == exit_code, out.stdout + out.stderr
    assert not any(c in out.stdout + out.stderr for c in (*seeded.canaries, "canary-wrong-secret-0000"))
    rules = [f["rule"] for f in json.loads(out.stdout)["findings"]]
    assert rules == ([code] if code else [])


def test_cli_secrets_provider_keycloak(seeded: Seed, state_before: Any, tmp_path: Path) -> None:
    config = tmp_path / "oauthlint.toml"
    config.write_text(
        f'[providers.keycloak]\nserver_url = "{seeded.url}"\nrealm = "{seeded.realm}"\n'
        f'client_id = "{seeded.reader[0]}"\nclient_secret = "${{env:IT_READER}}"\n'
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "oauthlint",
            "secrets",
            "-p",
            "keycloak",
            "-c",
            str(config),
            "-f",
            "json",
            "--within",
            "30d",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "IT_READER": seeded.reader[1]},
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr  # connect-rotating's secrets are due within 30 days
    assert not any(c in out.stdout + out.stderr for c in seeded.canaries)
    text = out.stdout
    assert "connect-rotating" in text and "connect-clean" not in text


def test_cli_keycloak_all_audits_the_realm(seeded: Seed, state_before: Any, tmp_path: Path) -> None:
    config = tmp_path / "oauthlint.toml"
    config.write_text(
        f'[providers.keycloak]\nserver_url = "{seeded.url}"\nrealm = "{seeded.realm}"\n'
        f'client_id = "{seeded.reader[0]}"\nclient_secret = "${{env:IT_READER}}"\n'
    )
    out = subprocess.run(
        [sys.executable, "-m", "oauthlint", "keycloak", "--all", "-c", str(config), "-f", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "IT_READER": seeded.reader[1]},
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    assert not any(c in out.stdout + out.stderr for c in seeded.canaries)
    found = {(f["integration"].rsplit("/", 1)[-1], f["rule"]) for f in json.loads(out.stdout)["findings"]}
    assert ("connect-wildcard", "KC004") in found and ("connect-norefresh", "KC008") in found, found
    assert not any(name.startswith(("account", "admin-cli", "security-admin-console")) for name, _ in found)


# --------------------------------------------------------------------------------------------- read-only


def test_zz_linter_wrote_nothing(seeded: Seed, state_before: dict[str, dict[str, Any]]) -> None:
    """Runs last in this module: realm state and the admin-event log are unchanged by every linter call above."""
    for realm, before in state_before.items():
        after = realm_state(seeded.url, realm)
        assert after == before, f"realm {realm} changed: {_diff(before, after)}"


def _diff(before: Any, after: Any, path: str = "") -> list[str]:
    """The paths where two JSON values differ (first 10), for a readable failure."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[str] = []
        for k in sorted(before.keys() | after.keys(), key=str):
            out += _diff(before.get(k), after.get(k), f"{path}.{k}")
        return out[:10]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            label = b.get("clientId", i) if isinstance(b, dict) else i
            out += _diff(b, a, f"{path}[{label}]")
        return out[:10]
    return [] if before == after else [f"{path}: {str(before)[:120]} -> {str(after)[:120]}"]
