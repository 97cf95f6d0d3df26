"""``keycloak --all`` and ``secrets --provider keycloak`` without a realm to look at: an error, never an empty pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oauthlint.errors import ConfigError
from oauthlint.model import Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.keycloak.audit import audit_live, scan_secrets_live
from oauthlint.providers.keycloak.settings import KeycloakServers, KeycloakSettings

CTX = CheckContext(now=datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
# An unroutable address: if the code tried to log in, the test would fail with a ProviderError instead.
NO_REALM = KeycloakSettings(server_url="http://127.0.0.1:9", client_id="oauthlint", client_secret=Secret("canary-kc-1"))


@pytest.mark.parametrize("servers", [KeycloakServers((NO_REALM,)), KeycloakServers()])
def test_realm_audit_without_realms_is_a_config_error(servers: KeycloakServers) -> None:
    with pytest.raises(ConfigError, match=r"realm|server"):
        audit_live(servers, CTX)


def test_secret_scan_without_realms_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="realm"):
        list(scan_secrets_live(KeycloakServers((NO_REALM,))))
