"""Realm audit of 2,000 clients on a real Keycloak: oauthlint vs kcwarden (download, then audit).

    .venv/bin/python bench/keycloak_audit.py [--clients 2000] [--repeat 3]

Starts Keycloak 26.7.3 (scripts/keycloak.sh prepare; access log on), seeds one realm with N clients in a
single partialImport (a mix of clean clients, host wildcards, refresh tokens off, expiring secrets), then on
the same server, same run:

- oauthlint: ``audit_live`` in a fresh interpreter (python -c), the same code ``oauthlint keycloak --all`` runs;
- kcwarden (PyPI ``kcwarden``; must be installed in the venv): ``kcwarden download`` (partial export) then
  ``kcwarden audit`` on the file;
- then ``oauthlint check`` (the engine, concurrent) of ``--check`` clients configured as [[integrations]].

Times are wall-clock medians over ``--repeat`` runs; HTTP requests are counted from Keycloak's own access log
(server side, so both tools are counted the same way). kcwarden's version-check auditor would call
api.github.com: an unroutable HTTPS proxy keeps the run on loopback (it only warns).
Plain script that prints numbers; no assertions on time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "providers" / "keycloak"))

from kc_server import Admin, start_keycloak  # noqa: E402

REALM = "bench"
READER = ("oauthlint-reader", "bench-reader-secret-1")
KCW = ("kcwarden-reader", "bench-kcwarden-secret-1")
ACCESS = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|OPTIONS) (\S+) HTTP/')
CB = "https://connect{n}.example.com/__oauth__/integrations/callback"


def clients(n: int) -> list[dict[str, Any]]:
    now = int(time.time())
    out = []
    for i in range(n):
        rep: dict[str, Any] = {
            "clientId": f"app-{i:05d}",
            "secret": f"bench-secret-{i:05d}",
            "redirectUris": [CB.format(n=i)],
            "webOrigins": ["+"],
            "standardFlowEnabled": True,
            "attributes": {},
        }
        if i % 10 == 1:
            rep["redirectUris"] = [f"https://connect{i}.example.com*"]
        if i % 10 == 2:
            rep["attributes"]["use.refresh.tokens"] = "false"
        if i % 10 == 3:
            rep["attributes"]["client.secret.expiration.time"] = str(now + 5 * 86400)
        if i % 10 == 4:
            rep["publicClient"] = True
            rep.pop("secret")
        out.append(rep)
    return out


def seed(url: str, n: int) -> None:
    admin = Admin(url)
    admin.call("POST", "", json={"realm": REALM, "enabled": True})
    t = time.monotonic()
    reps = clients(n)
    for i in range(0, n, 250):
        batch = reps[i : i + 250]
        admin.call("POST", f"/{REALM}/partialImport", json={"ifResourceExists": "SKIP", "clients": batch}, timeout=600)
    print(f"seeded {n} clients in {time.monotonic() - t:.1f} s (partialImport, 250 per request)")
    for (cid, secret), roles in (
        (READER, ("view-clients", "view-realm")),
        # kcwarden's download is a partial export: Keycloak requires manage-realm for it.
        (KCW, ("view-clients", "view-realm", "view-users", "manage-realm")),
    ):
        uuid = admin.create_client(
            REALM, {"clientId": cid, "secret": secret, "serviceAccountsEnabled": True, "standardFlowEnabled": False}
        )
        admin.grant_realm_management(REALM, uuid, roles)


def count_requests(log: Path, start: int) -> tuple[int, int, list[str]]:
    text = log.read_text(errors="replace")
    lines = [m for m in ACCESS.finditer(text[start:])]
    return len(lines), len(text), [f"{m.group(1)} {m.group(2).split('?')[0]}" for m in lines]


OAUTHLINT = """
import sys, time
from datetime import UTC, datetime
t0 = time.monotonic()
from oauthlint.model import Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.keycloak.audit import audit_live
from oauthlint.providers.keycloak.fetch import STATS
from oauthlint.providers.keycloak.settings import parse_settings
s = parse_settings({"server_url": sys.argv[1], "realm": sys.argv[2], "client_id": sys.argv[3],
                    "client_secret": Secret(sys.argv[4]), "timeout": 120}, "bench")
f = audit_live(s, CheckContext(now=datetime.now(UTC)))
print(len(f), STATS["requests"], f"{time.monotonic() - t0:.3f}")
"""


def run_oauthlint(url: str) -> tuple[float, int, int, float]:
    t = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", OAUTHLINT, url, REALM, *READER], capture_output=True, text=True, check=True
    )
    wall = time.monotonic() - t
    findings, client_side_requests, inside = out.stdout.split()
    return wall, int(findings), int(client_side_requests), float(inside)


CHECK = """
import sys, time
t0 = time.monotonic()
from oauthlint.config import parse_config
from oauthlint.engine import run
from oauthlint.providers.keycloak.fetch import STATS
from oauthlint.selection import RuleSelection
url, realm, reader, secret, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
integrations = [
    {"name": f"app-{i:05d}", "provider": "keycloak", "client_id": f"app-{i:05d}",
     "client_secret": "${env:APP_SECRET_%d}" % i, "scopes": ["openid", "offline_access"]}
    for i in range(n) if i % 10 != 4
]
env = {f"APP_SECRET_{i}": f"bench-secret-{i:05d}" for i in range(n)}
env["READER"] = secret
config = parse_config(
    {"connect_server": "https://connect.example.com",
     "providers": {"keycloak": {"server_url": url, "realm": realm, "client_id": reader,
                                "client_secret": "${env:READER}", "timeout": 60}},
     "integrations": integrations},
    label="bench", environ=env,
)
report = run(config, selection=RuleSelection())
print(len(config.integrations), len(report.findings), STATS["requests"], f"{time.monotonic() - t0:.3f}")
"""


def run_check(url: str, n: int) -> tuple[float, int, int, int]:
    t = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", CHECK, url, REALM, *READER, str(n)], capture_output=True, text=True, check=True
    )
    wall = time.monotonic() - t
    integrations, findings, requests, _ = out.stdout.split()
    return wall, int(integrations), int(findings), int(requests)


def run_kcwarden(url: str, workdir: Path) -> tuple[float, float, int]:
    kcw = Path(sys.executable).with_name("kcwarden")
    env = {
        **os.environ,
        "KCWARDEN_CLIENT_SECRET": KCW[1],
        "HTTPS_PROXY": "http://127.0.0.1:9",  # keep the version check off the internet
        "NO_PROXY": "127.0.0.1,localhost",
    }
    export = workdir / "realm.json"
    t = time.monotonic()
    subprocess.run(
        [str(kcw), "download", url, "-r", REALM, "-a", REALM, "-m", "client", "--client-id", KCW[0], "-o", str(export)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    download = time.monotonic() - t
    t = time.monotonic()
    out = subprocess.run(
        [str(kcw), "audit", str(export), "--format", "json", "-o", str(workdir / "findings.json")],
        env=env,
        capture_output=True,
        text=True,
    )
    audit = time.monotonic() - t
    if out.returncode not in (0, 42):
        raise SystemExit(f"kcwarden audit failed ({out.returncode}): {out.stderr[-2000:]}")
    findings = json.loads((workdir / "findings.json").read_text())
    return download, audit, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", type=int, default=500, help="clients checked as [[integrations]] by `check`")
    args = parser.parse_args()
    if not Path(sys.executable).with_name("kcwarden").exists():
        raise SystemExit("kcwarden is not installed in this venv: .venv/bin/pip install kcwarden")
    with tempfile.TemporaryDirectory(prefix="oauthlint-bench-") as tmp:
        work = Path(tmp)
        server = start_keycloak(work, ("--http-access-log-enabled=true",))
        print(f"keycloak 26.7.3 ready in {server.start_seconds:.1f} s at {server.url}")
        try:
            seed(server.url, args.clients)
            ours: list[float] = []
            inner: list[float] = []
            theirs_dl: list[float] = []
            theirs_audit: list[float] = []
            for _ in range(args.repeat):
                _, mark, _ = count_requests(server.log, 0)
                wall, n_ours, client_side, inside = run_oauthlint(server.url)
                inner.append(inside)
                req_ours, mark, paths_ours = count_requests(server.log, mark)
                ours.append(wall)
                dl, au, n_theirs = run_kcwarden(server.url, work)
                req_theirs, _, paths_theirs = count_requests(server.log, mark)
                theirs_dl.append(dl)
                theirs_audit.append(au)
            print(f"\nrealm '{REALM}': {args.clients} clients (+ Keycloak built-ins), median of {args.repeat} runs")
            print(
                f"oauthlint audit_live     : {statistics.median(ours):6.2f} s wall (fresh interpreter), "
                f"{req_ours} HTTP requests (server log; client side counted {client_side}), {n_ours} findings; "
                f"{statistics.median(inner):.2f} s after interpreter start (imports + login + GET + checks)"
            )
            print(f"    requests: {paths_ours}")
            total = [d + a for d, a in zip(theirs_dl, theirs_audit, strict=True)]
            print(
                f"kcwarden download+audit  : {statistics.median(total):6.2f} s wall "
                f"(download {statistics.median(theirs_dl):.2f} s + audit {statistics.median(theirs_audit):.2f} s), "
                f"{req_theirs} HTTP requests to Keycloak, {n_theirs} findings"
            )
            print(f"    requests: {paths_theirs}")
            print(f"speed-up: {statistics.median(total) / statistics.median(ours):.1f}x")
            _, mark, _ = count_requests(server.log, 0)
            wall, n_int, n_find, client_side = run_check(server.url, args.check)
            req, _, _ = count_requests(server.log, mark)
            print(
                f"\noauthlint check, {n_int} live keycloak integrations (engine, concurrent): {wall:.2f} s wall, "
                f"{req} HTTP requests (1 login + 1 per client + 3 realm reads), {n_find} findings"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
