"""The keycloak provider plug-in (offline snapshots and pure checks; live fetcher in fetch.py)."""

from __future__ import annotations

from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.keycloak.rules import RULES


class KeycloakProvider(BaseProvider):
    name = "keycloak"
    rules = RULES

    def fetch(self, integration: Integration, settings: Any) -> Any:
        raise ProviderError("keycloak", "live fetch", "not supported yet")


provider = KeycloakProvider()
