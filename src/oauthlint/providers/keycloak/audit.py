"""Realm audit (``oauthlint keycloak --all``) and secret scan (``oauthlint secrets --provider keycloak``).

Public functions for the CLI:

- :func:`audit_realm` (pure): findings for every client of a :class:`RealmSnapshot`, using only rules that
  need no consumer config: KC004 (host wildcards), KC006/KC007 (current secret expiry), KC008
  (``use.refresh.tokens`` off on a browser-login client), KC010 (bearer-only client set up for browser login).
- :func:`realm_credentials` (pure): every confidential client's current and rotated secret as
  :class:`Credential` (metadata only).
- :func:`audit_live` / :func:`scan_secrets_live`: the same against live servers (one admin login per
  server, one ``GET /clients`` per realm); they raise :class:`ProviderError` on failure.
- :func:`load_realm_export`: a realm export file as a :class:`RealmSnapshot` (offline ``--all``).

Keycloak's built-in clients are skipped unless ``include_builtin``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from oauthlint.errors import ConfigError
from oauthlint.model import AuthMode, AuthType, Credential, Finding, Integration
from oauthlint.providers.base import CheckContext, emits, read_json
from oauthlint.providers.keycloak.checks import (
    PROVIDER,
    _expiry_findings,
    check_refresh_tokens,
    check_wildcards,
    finding,
)
from oauthlint.providers.keycloak.rules import KC006, KC007, KC010
from oauthlint.providers.keycloak.settings import KeycloakServers, KeycloakSettings
from oauthlint.providers.keycloak.snapshot import KeycloakClient, KeycloakSnapshot, RealmSnapshot, parse_realm


def client_credentials(client: KeycloakClient, realm: str, integration: str = "") -> Iterator[Credential]:
    """The client's current secret and, if any, its rotated-out secret. Never a secret value."""
    if not client.confidential or client.secret is None:
        return
    common = {
        "provider": PROVIDER,
        "scope": realm,
        "owner_name": client.client_id,
        "owner_id": client.id,
        "object_type": "client",
        "integration": integration,
    }
    yield Credential(
        **common,
        kind="client secret",
        name="current",
        credential_id=client.id + "/secret",
        start=client.secret.created,
        end=client.secret.expires,
        detail="" if client.secret.expires else "no expiry (no secret-rotation policy applied)",
    )
    rotated = client.rotated_secret
    if rotated is not None:
        yield Credential(
            **common,
            kind="rotated client secret",
            name="rotated",
            credential_id=client.id + "/rotated",
            start=rotated.created,
            end=rotated.expires,
            detail="previous secret, still accepted until it expires",
        )


def selected_clients(realm: RealmSnapshot, include_builtin: bool = False) -> list[KeycloakClient]:
    return [c for c in realm.clients if include_builtin or not c.builtin]


def audit_integration(client: KeycloakClient, realm: str) -> Integration:
    """A stand-in integration that agrees with the client, so only consumer-independent rules can fire."""
    return Integration(
        name=f"{realm}/{client.client_id}" if realm else client.client_id,
        provider=PROVIDER,
        auth_type=AuthType.VIEWER if client.standard_flow_enabled else AuthType.SERVICE_ACCOUNT,
        auth_mode=AuthMode.PUBLIC if client.public_client else AuthMode.CONFIDENTIAL,
        client_id=client.client_id,
        source=f"realm audit of '{realm}'",
    )


@emits(KC010)
def check_bearer_only_login(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None or not client.bearer_only or not client.standard_flow_enabled or not client.redirect_uris:
        return []
    return [
        finding(
            KC010,
            integration,
            snap,
            f"Client '{client.client_id}' is bearer-only yet has Standard flow and redirect URIs: no browser "
            "login can succeed with it.",
        )
    ]


@emits(KC006, KC007)
def check_current_secret_expiry(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None or not client.confidential or client.secret is None:
        return []
    return _expiry_findings(integration, snap, client.secret, "current secret", "/secret", ctx)


AUDIT_CHECKS = (check_wildcards, check_current_secret_expiry, check_refresh_tokens, check_bearer_only_login)


def audit_realm(realm: RealmSnapshot, context: CheckContext, include_builtin: bool = False) -> list[Finding]:
    """Findings for every (non-built-in) client of the realm; pure."""
    findings: list[Finding] = []
    for client in selected_clients(realm, include_builtin):
        integration = audit_integration(client, realm.scope)
        snap = KeycloakSnapshot(
            scope=realm.scope,
            requested_client_id=client.client_id,
            client=client,
            realm=realm.realm,
            server_url=realm.server_url,
            source=realm.source,
        )
        for check in AUDIT_CHECKS:
            findings.extend(check(integration, snap, context))
    return findings


def realm_credentials(realm: RealmSnapshot, include_builtin: bool = False) -> Iterator[Credential]:
    for client in selected_clients(realm, include_builtin):
        yield from client_credentials(client, realm.scope)


def load_realm_export(path: Path, server_url: str | None = None) -> RealmSnapshot:
    return parse_realm(read_json(path), str(path), server_url)


# ------------------------------------------------------------------------------------------------- live


def _servers(settings: KeycloakServers | KeycloakSettings) -> tuple[KeycloakSettings, ...]:
    servers = settings.servers if isinstance(settings, KeycloakServers) else (settings,)
    if not servers:
        raise ConfigError("providers.keycloak: no Keycloak server configured to audit")
    return servers


def fetch_realms(
    settings: KeycloakServers | KeycloakSettings, realms: Iterable[str] | None = None
) -> Iterator[RealmSnapshot]:
    """Every client of each realm (``realms``, else each server's ``realms``/``realm``). Raises ProviderError,
    or ConfigError when a server has no realm to read (an empty audit would look like a clean one)."""
    from oauthlint.providers.keycloak.fetch import AdminSession

    wanted = tuple(realms) if realms is not None else None
    for server in _servers(settings):
        names = wanted if wanted is not None else server.audit_realms
        if not names:  # nothing to look at must not read as "nothing found"
            raise ConfigError(
                f"providers.keycloak ({server.server_url or 'no server_url'}): no realm to audit; "
                "set realm or realms (or pass --realm)"
            )
        with AdminSession(server) as session:
            for name in names:
                yield session.realm_snapshot(name)


def audit_live(
    settings: KeycloakServers | KeycloakSettings,
    context: CheckContext,
    realms: Iterable[str] | None = None,
    include_builtin: bool | None = None,
) -> list[Finding]:
    """``--all``: audit every client of the configured (or given) realms on every configured server."""
    findings: list[Finding] = []
    for server in _servers(settings):
        builtin = server.include_builtin if include_builtin is None else include_builtin
        for realm in fetch_realms(server, realms):
            findings.extend(audit_realm(realm, context, builtin))
    return findings


def scan_secrets_live(
    settings: KeycloakServers | KeycloakSettings,
    realms: Iterable[str] | None = None,
    include_builtin: bool | None = None,
) -> Iterator[Credential]:
    """``secrets --provider keycloak``: every confidential client's secret expiry on every configured realm."""
    for server in _servers(settings):
        builtin = server.include_builtin if include_builtin is None else include_builtin
        for realm in fetch_realms(server, realms):
            yield from realm_credentials(realm, builtin)
