"""The keycloak provider plug-in.

Modules: ``snapshot`` (typed snapshots, parsing of admin-API JSON and realm exports), ``redirect`` (Keycloak's
redirect URI matching), ``checks`` (pure checks), ``settings`` (``[providers.keycloak]``), ``fetch`` (the live
admin API and token endpoint; imports python-keycloak lazily), ``audit`` (realm audit and secret scan),
``rules`` (the KC catalog).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from oauthlint.model import Credential, Finding, Integration
from oauthlint.providers.base import BaseProvider, CheckContext
from oauthlint.providers.keycloak.checks import CHECKS
from oauthlint.providers.keycloak.rules import RULES
from oauthlint.providers.keycloak.settings import KeycloakServers, parse_settings
from oauthlint.providers.keycloak.snapshot import KeycloakSnapshot, parse_snapshot


class KeycloakProvider(BaseProvider):
    name = "keycloak"
    rules = RULES
    checks = CHECKS
    offline_scopes = ("offline_access",)
    integration_keys: ClassVar[dict[str, type]] = {"realm": str, "server_url": str}
    """``realm``: the client's realm (default: ``[providers.keycloak] realm``); ``server_url``: Keycloak's base
    URL (default: the provider settings'); offline, it resolves relative redirect URIs when rootUrl is empty."""

    def parse_settings(self, raw: Any, where: str) -> KeycloakServers:
        return parse_settings(raw, where)

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> KeycloakSnapshot:
        return parse_snapshot(data, integration, source)

    def fetch(self, integration: Integration, settings: Any) -> KeycloakSnapshot:
        from oauthlint.providers.keycloak.fetch import fetch_integration

        return fetch_integration(integration, _servers(settings).for_integration(integration))

    def scan_credentials(
        self, settings: Any, *, owners: bool = False, realms: Iterable[str] | None = None
    ) -> Iterator[Credential]:
        """Realm-wide (``secrets --provider keycloak``): every confidential client's current and rotated secret
        in every configured realm (``realms``/``realm`` of each ``[providers.keycloak]`` table). Keycloak clients
        have no owners, so ``owners`` changes nothing."""
        from oauthlint.providers.keycloak.audit import scan_secrets_live

        return scan_secrets_live(_servers(settings), realms=realms)

    def audit(
        self,
        settings: Any,
        context: CheckContext,
        realms: Iterable[str] | None = None,
        include_builtin: bool | None = None,
    ) -> list[Finding]:
        """``oauthlint keycloak --all``: every client of the configured (or given) realms, rules that need no
        Connect config (KC004, KC006/KC007 current secret, KC008 refresh tokens off, KC010 bearer-only login)."""
        from oauthlint.providers.keycloak.audit import audit_live

        return audit_live(_servers(settings), context, realms=realms, include_builtin=include_builtin)

    def credentials(self, integration: Integration, snapshot: Any) -> Iterator[Credential]:
        from oauthlint.providers.keycloak.audit import client_credentials

        if isinstance(snapshot, KeycloakSnapshot) and snapshot.client is not None:
            yield from client_credentials(snapshot.client, snapshot.scope, integration=integration.name)


def _servers(settings: Any) -> KeycloakServers:
    """Settings as the core hands them over: parsed already, or raw (None when there is no table)."""
    return settings if isinstance(settings, KeycloakServers) else parse_settings(settings, "providers.keycloak")


provider = KeycloakProvider()
