"""Session fixtures: one real Keycloak per test session, a seeded realm, the realm state before linting.

See kc_server.py for how the server is fetched, built, started and seeded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from kc_server import TIMINGS, KeycloakServer, Seed, realm_state, seed, start_keycloak


@pytest.fixture(scope="session")
def keycloak_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeycloakServer]:
    server = start_keycloak(tmp_path_factory.mktemp("kc"))
    TIMINGS["keycloak start (s)"] = server.start_seconds
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seeded(keycloak_server: KeycloakServer) -> Seed:
    began = time.monotonic()
    s = seed(keycloak_server.url)
    TIMINGS["realm seeding (s)"] = time.monotonic() - began
    return s


@pytest.fixture(scope="session")
def state_before(seeded: Seed) -> dict[str, dict[str, Any]]:
    return {realm: realm_state(seeded.url, realm) for realm in (seeded.realm, seeded.norole_realm)}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.write_line("keycloak: " + ", ".join(f"{k} {v:.1f}" for k, v in TIMINGS.items()), yellow=True)
