"""Helpers for the live tests: a real Keycloak (26.7.3, no Docker) for the live tests, and a realm seeded with one client per rule.

The server: ``scripts/keycloak.sh prepare`` downloads ``org.keycloak:keycloak-quarkus-dist`` with Maven and
runs ``kc.sh build`` once into ``$OAUTHLINT_CACHE``; each session copies that build (fresh ``data/``) and
runs ``kc.sh start --optimized`` (one JVM pass) on a free loopback port with the Temurin 25 JDK, the
bootstrap admin from ``KC_BOOTSTRAP_ADMIN_*``, waits for ``/realms/master``, and kills the process group at
the end. Seeding uses plain ``requests`` against the admin REST API: test setup, not the linter.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "keycloak.sh"
JAVA_HOME = os.environ.get("OAUTHLINT_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
START_TIMEOUT = 240.0
ADMIN_USER = "oauthlint-admin"
ADMIN_PASSWORD = "canary-admin-pw-5d1e0b"
CALLBACK = "https://connect.example.com/__oauth__/integrations/callback"
REALM = "oauthlint-it"
NOROLE_REALM = "oauthlint-norole"
TIMINGS: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class KeycloakServer:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log: Path
    start_seconds: float = 0.0

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass


def start_keycloak(workdir: Path, extra_args: tuple[str, ...] = ()) -> KeycloakServer:
    """Copy the prepared build, start it, wait until it answers. Raises RuntimeError with the log tail."""
    built = subprocess.run(
        [str(SCRIPT), "prepare"], check=True, capture_output=True, text=True, timeout=900
    ).stdout.strip()
    home = workdir / "keycloak"
    subprocess.run(["cp", "-r", built, str(home)], check=True)
    shutil.rmtree(home / "data", ignore_errors=True)
    port = _free_port()
    log = workdir / "keycloak.log"
    env = {
        **os.environ,
        "JAVA_HOME": JAVA_HOME,
        "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    env.pop("JAVA_OPTS", None)
    args = [
        str(home / "bin" / "kc.sh"),
        "start",
        "--optimized",
        "--http-enabled=true",
        "--hostname-strict=false",
        "--http-host=127.0.0.1",
        f"--http-port={port}",
        *extra_args,
    ]
    began = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = KeycloakServer(f"http://127.0.0.1:{port}", home, process, log)
    deadline = began + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Keycloak exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{server.url}/realms/master", timeout=2).status_code == 200:
                server.start_seconds = time.monotonic() - began
                return server
        except requests.RequestException:
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"Keycloak did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


class Admin:
    """Test-side admin REST client (master realm admin). Only seeding and state snapshots use it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self._login()

    def _login(self) -> None:
        r = requests.post(
            f"{self.url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": ADMIN_USER,
                "password": ADMIN_PASSWORD,
            },
            timeout=30,
        )
        r.raise_for_status()
        self.http.headers["Authorization"] = "Bearer " + r.json()["access_token"]
        self._expires = time.monotonic() + 45

    def call(self, method: str, path: str, **kw: Any) -> requests.Response:
        if time.monotonic() > self._expires:
            self._login()
        kw.setdefault("timeout", 60)
        r = self.http.request(method, f"{self.url}/admin/realms{path}", **kw)
        if r.status_code >= 400:
            raise AssertionError(f"seeding {method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw).json()

    def create_client(self, realm: str, rep: dict[str, Any]) -> str:
        r = self.call("POST", f"/{realm}/clients", json=rep)
        return r.headers["Location"].rsplit("/", 1)[1]

    def client_uuid(self, realm: str, client_id: str) -> str:
        return str(self.get(f"/{realm}/clients", params={"clientId": client_id})[0]["id"])

    def grant_realm_management(self, realm: str, client_uuid: str, roles: tuple[str, ...]) -> None:
        user = self.get(f"/{realm}/clients/{client_uuid}/service-account-user")
        rm = self.client_uuid(realm, "realm-management")
        reps = [self.get(f"/{realm}/clients/{rm}/roles/{name}") for name in roles]
        self.call("POST", f"/{realm}/users/{user['id']}/role-mappings/clients/{rm}", json=reps)


@dataclass
class Seed:
    """What the seeded realms hold: client ids, the secrets Connect would hold, the linter's accounts."""

    url: str
    realm: str = REALM
    norole_realm: str = NOROLE_REALM
    secrets: dict[str, str] = field(default_factory=dict)
    """clientId -> the secret an integration holds (canaries)."""
    reader: tuple[str, str] = ("oauthlint-reader", "canary-reader-secret-a41c")
    clients_only: tuple[str, str] = ("oauthlint-clients-only", "canary-viewclients-secret-77e0")
    query_only: tuple[str, str] = ("oauthlint-query-only", "canary-queryonly-secret-5b2d")
    """An account with query-clients but not view-clients: Keycloak filters every client out of its lists."""
    canaries: tuple[str, ...] = ()


def _confidential(client_id: str, secret: str, **extra: Any) -> dict[str, Any]:
    rep: dict[str, Any] = {
        "clientId": client_id,
        "name": f"Posit Connect ({client_id})",
        "secret": secret,
        "redirectUris": [CALLBACK],
        "webOrigins": ["+"],
        "standardFlowEnabled": True,
        "directAccessGrantsEnabled": False,
    }
    rep.update(extra)
    return rep


def _rotation_policy(admin: Admin, realm: str, name: str, role: str, config: dict[str, str]) -> None:
    """A client profile with the secret-rotation executor and a policy applying it to clients with ``role``."""
    profiles = admin.get(f"/{realm}/client-policies/profiles")
    policies = admin.get(f"/{realm}/client-policies/policies")
    profiles["profiles"] = [
        *profiles.get("profiles", []),
        {
            "name": name,
            "description": "oauthlint test",
            "executors": [{"executor": "secret-rotation", "configuration": config}],
        },
    ]
    admin.call("PUT", f"/{realm}/client-policies/profiles", json={"profiles": profiles["profiles"]})
    policies["policies"] = [
        *policies.get("policies", []),
        {
            "name": name,
            "description": "oauthlint test",
            "enabled": True,
            "conditions": [{"condition": "client-roles", "configuration": {"roles": [role]}}],
            "profiles": [name],
        },
    ]
    admin.call("PUT", f"/{realm}/client-policies/policies", json={"policies": policies["policies"]})


def _rotated_client(admin: Admin, realm: str, client_id: str, old: str, profile: dict[str, str]) -> None:
    """Create a client with secret ``old``, put it under a rotation policy, regenerate: ``old`` becomes rotated."""
    uuid = admin.create_client(realm, _confidential(client_id, old))
    role = f"rotate-{client_id}"
    admin.call("POST", f"/{realm}/clients/{uuid}/roles", json={"name": role})
    _rotation_policy(admin, realm, f"rotate-{client_id}", role, profile)
    admin.call("POST", f"/{realm}/clients/{uuid}/client-secret")  # test setup writes; the linter never does
    attrs = admin.get(f"/{realm}/clients/{uuid}")["attributes"]
    assert "client.secret.rotated.expiration.time" in attrs, f"rotation did not happen for {client_id}: {attrs}"


def seed(url: str) -> Seed:
    admin = Admin(url)
    s = Seed(url)
    sec = s.secrets
    admin.call("POST", "", json={"realm": REALM, "enabled": True, "adminEventsEnabled": True})
    offline_scope = next(c for c in admin.get(f"/{REALM}/client-scopes") if c["name"] == "offline_access")

    def add(client_id: str, secret: str | None, **extra: Any) -> str:
        if secret is not None:
            sec[client_id] = secret
        rep = _confidential(client_id, secret or "", **extra)
        if secret is None:
            rep.pop("secret")
        return admin.create_client(REALM, rep)

    add("connect-clean", "canary-clean-3b7d91")
    add("connect-redirect", "canary-redirect-0c55", redirectUris=[CALLBACK + "/"])
    add("connect-wildcard", "canary-wildcard-91aa", redirectUris=["https://connect.example.com*"])
    add("connect-norefresh", "canary-norefresh-6e20", attributes={"use.refresh.tokens": "false"})
    nooffline = add("connect-nooffline", "canary-nooffline-d4f8")
    admin.call("DELETE", f"/{REALM}/clients/{nooffline}/optional-client-scopes/{offline_scope['id']}")
    add("connect-public", None, publicClient=True)
    sec["connect-public"] = "canary-public-sent-anyway-1f0a"
    add("connect-nostdflow", "canary-nostdflow-88b1", standardFlowEnabled=False)
    add("connect-disabled", "canary-disabled-2a9c", enabled=False)
    # Rotated and expiring: current expires in 20 days, the rotated (Connect's) secret in 2 days.
    sec["connect-rotating"] = "canary-rotating-old-5c3e"
    _rotated_client(
        admin,
        REALM,
        "connect-rotating",
        sec["connect-rotating"],
        {"expiration-period": "1728000", "rotated-expiration-period": "172800", "remaining-rotation-period": "86400"},
    )
    # Rotated and already expired: the rotated secret lives 1 second.
    sec["connect-rotated-expired"] = "canary-rotexp-old-e71b"
    _rotated_client(
        admin,
        REALM,
        "connect-rotated-expired",
        sec["connect-rotated-expired"],
        {"expiration-period": "31536000", "rotated-expiration-period": "1", "remaining-rotation-period": "86400"},
    )
    # The linter's read-only accounts.
    accounts = (
        (s.reader, ("view-clients", "view-realm")),
        (s.clients_only, ("view-clients",)),
        (s.query_only, ("query-clients", "view-realm")),
    )
    for (client_id, secret), roles in accounts:
        uuid = admin.create_client(
            REALM,
            {
                "clientId": client_id,
                "secret": secret,
                "serviceAccountsEnabled": True,
                "standardFlowEnabled": False,
                "directAccessGrantsEnabled": False,
            },
        )
        admin.grant_realm_management(REALM, uuid, roles)
    # A second realm whose default roles lack offline_access (KC008's realm-role clause).
    admin.call("POST", "", json={"realm": NOROLE_REALM, "enabled": True})
    realm_rep = admin.get(f"/{NOROLE_REALM}")
    offline_role = admin.get(f"/{NOROLE_REALM}/roles/offline_access")
    admin.call(
        "DELETE", f"/{NOROLE_REALM}/roles-by-id/{realm_rep['defaultRole']['id']}/composites", json=[offline_role]
    )
    sec["connect-norole"] = "canary-norole-49d2"
    admin.create_client(NOROLE_REALM, _confidential("connect-norole", sec["connect-norole"]))
    uuid = admin.create_client(
        NOROLE_REALM,
        {"clientId": s.reader[0], "secret": s.reader[1], "serviceAccountsEnabled": True, "standardFlowEnabled": False},
    )
    admin.grant_realm_management(NOROLE_REALM, uuid, ("view-clients", "view-realm"))
    time.sleep(1.5)  # let the 1-second rotated secret expire
    s.canaries = (*sec.values(), s.reader[1], s.clients_only[1], s.query_only[1], ADMIN_PASSWORD)
    return s


def realm_state(url: str, realm: str) -> dict[str, Any]:
    """Everything the linter could conceivably change, read by the test's own admin session."""
    admin = Admin(url)
    clients = admin.get(f"/{realm}/clients")
    state: dict[str, Any] = {"realm": admin.get(f"/{realm}"), "clients": clients}
    for c in clients:
        if not c.get("publicClient") and not c.get("bearerOnly"):
            state[f"secret:{c['clientId']}"] = admin.get(f"/{realm}/clients/{c['id']}/client-secret")
        state[f"scopes:{c['clientId']}"] = (
            admin.get(f"/{realm}/clients/{c['id']}/default-client-scopes"),
            admin.get(f"/{realm}/clients/{c['id']}/optional-client-scopes"),
        )
    state["policies"] = admin.get(f"/{realm}/client-policies/policies")
    state["profiles"] = admin.get(f"/{realm}/client-policies/profiles")
    state["default-roles"] = admin.get(f"/{realm}/roles/default-roles-{realm}/composites")
    state["admin-events"] = admin.get(f"/{realm}/admin-events", params={"max": 10000})
    return _canonical(state)


def _canonical(value: Any) -> Any:
    """Keycloak returns some sets (client scope names) in varying order: sort lists, keep content."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value
