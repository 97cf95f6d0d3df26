"""Typed Keycloak snapshots, parsed from the admin API's JSON or from a realm export.

Accepted inputs (DESIGN.md "Offline snapshots"):

- a ClientRepresentation as ``GET /admin/realms/{realm}/clients/{id}`` returns it;
- a realm export (``kc.sh export``, the admin console's partial export, kcwarden's download) whose
  ``clients`` list holds the client; the client is picked by ``clientId``; realm-level facts the export
  carries (default roles, client scopes, client policies) are kept;
- a JSON list of realm exports (the realm is picked by the integration's ``realm`` key, else the one
  holding the client);
- a JSON list of ClientRepresentations, as ``GET /admin/realms/{realm}/clients?clientId=…`` returns it.

Secrets (``secret``, the ``client.secret.rotated`` attribute) are wrapped in :class:`Secret` at once, so
no snapshot ever prints one. Exports mask secrets as ``**********``; a masked secret counts as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration, Secret

MASK = "**********"
OFFLINE_ACCESS = "offline_access"

ATTR_SECRET_CREATED = "client.secret.creation.time"  # noqa: S105 (attribute name)
ATTR_SECRET_EXPIRES = "client.secret.expiration.time"  # noqa: S105 (attribute name)
ATTR_ROTATED = "client.secret.rotated"
ATTR_ROTATED_CREATED = "client.secret.rotated.creation.time"
ATTR_ROTATED_EXPIRES = "client.secret.rotated.expiration.time"
ATTR_USE_REFRESH_TOKENS = "use.refresh.tokens"
SECRET_ATTRIBUTES = frozenset({ATTR_ROTATED})
"""Attributes whose values are secrets: removed from ``attributes`` and kept as :class:`Secret`."""
PRIVATE_KEY_SUFFIX = ".private.key"
"""``saml.signing.private.key``, ``saml.encryption.private.key``, ``jwt.credential.private.key``: dropped."""


def _is_secret_attribute(key: str) -> bool:
    return key in SECRET_ATTRIBUTES or key.endswith(PRIVATE_KEY_SUFFIX)


BUILTIN_CLIENT_IDS = frozenset(
    {"account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"}
)
"""Clients Keycloak creates in every realm (plus ``<realm>-realm`` clients in master, ``realm_client=true``)."""

SECRET_ROTATION_EXECUTOR = "secret-rotation"  # noqa: S105 (executor id)


@dataclass(frozen=True)
class ClientSecretInfo:
    """One client secret (current or rotated): the value if known, and its times."""

    value: Secret | None
    created: datetime | None = None
    expires: datetime | None = None


@dataclass(frozen=True)
class KeycloakClient:
    """The fields of a ClientRepresentation oauthlint checks."""

    id: str
    client_id: str
    name: str = ""
    enabled: bool = True
    public_client: bool = False
    bearer_only: bool = False
    standard_flow_enabled: bool = True
    service_accounts_enabled: bool = False
    protocol: str = "openid-connect"
    root_url: str = ""
    redirect_uris: tuple[str, ...] = ()
    client_authenticator_type: str = "client-secret"
    secret: ClientSecretInfo | None = None
    """None for public and bearer-only clients (Keycloak nulls ``secret`` for them)."""
    secret_known: bool = False
    """False when the source masked or omitted the secret (exports, view-only admin reads)."""
    rotated_secret: ClientSecretInfo | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Every attribute except secret-valued ones (the rotated secret, private keys)."""
    default_client_scopes: tuple[str, ...] | None = None
    optional_client_scopes: tuple[str, ...] | None = None

    @property
    def use_refresh_tokens(self) -> bool:
        """Keycloak's default is true when the attribute is absent."""
        return self.attributes.get(ATTR_USE_REFRESH_TOKENS, "true").strip().lower() != "false"

    @property
    def confidential(self) -> bool:
        return not self.public_client and not self.bearer_only

    @property
    def builtin(self) -> bool:
        return self.client_id in BUILTIN_CLIENT_IDS or self.attributes.get("realm_client") == "true"

    @property
    def label(self) -> str:
        return f"client '{self.client_id}'"

    def has_client_scope(self, name: str) -> bool | None:
        """Whether ``name`` is a default or optional client scope; None when the source did not say."""
        if self.default_client_scopes is None and self.optional_client_scopes is None:
            return None
        return name in (self.default_client_scopes or ()) or name in (self.optional_client_scopes or ())


@dataclass(frozen=True)
class RealmFacts:
    """Realm-level facts that decide whether refresh tokens and rotation work. None = not in the source."""

    default_roles: tuple[str, ...] | None = None
    """Realm role names that every user gets (composites of ``default-roles-<realm>``)."""
    realm_roles: tuple[str, ...] | None = None
    client_scopes: tuple[str, ...] | None = None
    rotation_policies: tuple[str, ...] = ()
    """Enabled client policies whose profile has the ``secret-rotation`` executor."""


@dataclass(frozen=True)
class SecretProbe:
    """The answer of a client-credentials probe at the token endpoint (live, no admin rights)."""

    outcome: str
    """``valid`` | ``invalid`` | ``unknown-client`` | ``public`` | ``bearer-only`` (the secret was accepted)."""
    detail: str = ""
    """Status and OAuth error code, e.g. ``401 unauthorized_client``; never a token."""


@dataclass(frozen=True)
class KeycloakSnapshot:
    """One integration's view of Keycloak: the client (None = not found) and the realm around it."""

    scope: str
    """The realm name."""
    requested_client_id: str
    client: KeycloakClient | None
    realm: RealmFacts = field(default_factory=RealmFacts)
    server_url: str | None = None
    """Keycloak's base URL, if known: relative redirect URIs resolve against it when rootUrl is empty."""
    source: str = ""
    probe: SecretProbe | None = None
    server_date: datetime | None = None
    observed_at: datetime | None = None


@dataclass(frozen=True)
class RealmSnapshot:
    """Every client of one realm, for the realm audit (``--all``) and the secret scan."""

    scope: str
    clients: tuple[KeycloakClient, ...]
    realm: RealmFacts = field(default_factory=RealmFacts)
    server_url: str | None = None
    source: str = ""
    server_date: datetime | None = None
    observed_at: datetime | None = None


# ----------------------------------------------------------------------------------------------- parsing


def epoch(value: Any) -> datetime | None:
    """Keycloak stores times as epoch seconds in string attributes; 0, absent or junk mean 'none'."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def _secret(value: Any, source: str) -> Secret | None:
    if not isinstance(value, str) or not value or value == MASK:
        return None
    return Secret(value, source=source)


def _strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        return None
    return tuple(str(v) for v in value if isinstance(v, str))


def _bool(rep: Mapping[str, Any], key: str, default: bool) -> bool:
    value = rep.get(key, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return default


def parse_client(rep: Mapping[str, Any], where: str) -> KeycloakClient:
    """Parse one ClientRepresentation (admin API or export form)."""
    if not isinstance(rep, Mapping) or not isinstance(rep.get("clientId"), str):
        raise SnapshotError(f"{where}: not a Keycloak ClientRepresentation (no 'clientId')")
    raw_attrs = rep.get("attributes") or {}
    if not isinstance(raw_attrs, Mapping):
        raise SnapshotError(f"{where}: 'attributes' of client {rep['clientId']!r} is not an object")
    attrs = {str(k): str(v) for k, v in raw_attrs.items() if not _is_secret_attribute(str(k)) and v is not None}
    public = _bool(rep, "publicClient", False)
    bearer = _bool(rep, "bearerOnly", False)
    secret_value = _secret(rep.get("secret"), f"{where}: secret")
    secret: ClientSecretInfo | None = None
    if not public and not bearer:
        secret = ClientSecretInfo(
            value=secret_value,
            created=epoch(attrs.get(ATTR_SECRET_CREATED)),
            expires=epoch(attrs.get(ATTR_SECRET_EXPIRES)),
        )
    rotated: ClientSecretInfo | None = None
    rotated_value = raw_attrs.get(ATTR_ROTATED)
    if rotated_value or ATTR_ROTATED_EXPIRES in attrs:
        rotated = ClientSecretInfo(
            value=_secret(rotated_value, f"{where}: rotated secret"),
            created=epoch(attrs.get(ATTR_ROTATED_CREATED)),
            expires=epoch(attrs.get(ATTR_ROTATED_EXPIRES)),
        )
    redirect = _strings(rep.get("redirectUris")) or ()
    return KeycloakClient(
        id=str(rep.get("id") or rep["clientId"]),
        client_id=rep["clientId"],
        name=str(rep.get("name") or ""),
        enabled=_bool(rep, "enabled", True),
        public_client=public,
        bearer_only=bearer,
        standard_flow_enabled=_bool(rep, "standardFlowEnabled", True),
        service_accounts_enabled=_bool(rep, "serviceAccountsEnabled", False),
        protocol=str(rep.get("protocol") or "openid-connect"),
        root_url=str(rep.get("rootUrl") or ""),
        redirect_uris=redirect,
        client_authenticator_type=str(rep.get("clientAuthenticatorType") or "client-secret"),
        secret=secret,
        secret_known=secret_value is not None,
        rotated_secret=rotated,
        attributes=attrs,
        default_client_scopes=_strings(rep.get("defaultClientScopes")),
        optional_client_scopes=_strings(rep.get("optionalClientScopes")),
    )


def _default_roles(realm: Mapping[str, Any]) -> tuple[str, ...] | None:
    """Realm default roles: ``defaultRole`` composite (Keycloak 13+) or the legacy ``defaultRoles`` list."""
    legacy = realm.get("defaultRoles")
    if isinstance(legacy, list):
        return tuple(str(r) for r in legacy)
    default_role = realm.get("defaultRole")
    realm_roles = (realm.get("roles") or {}).get("realm") if isinstance(realm.get("roles"), Mapping) else None
    if not isinstance(default_role, Mapping) or not isinstance(realm_roles, list):
        return None
    name = default_role.get("name")
    for role in realm_roles:
        if isinstance(role, Mapping) and role.get("name") == name:
            composites = role.get("composites") or {}
            return tuple(str(r) for r in (composites.get("realm") or ()))
    return None


def rotation_policies(policies: Any, profiles: Any) -> tuple[str, ...]:
    """Names of enabled client policies that apply a profile with the ``secret-rotation`` executor.

    ``policies``/``profiles`` are the admin API's ``{"policies": [...]}`` / ``{"profiles": [...]}`` (or the
    lists inside them), as ``/client-policies/*`` and realm exports carry them.
    """
    if isinstance(profiles, Mapping):
        profiles = list(profiles.get("profiles") or ()) + list(profiles.get("globalProfiles") or ())
    if isinstance(policies, Mapping):
        policies = list(policies.get("policies") or ()) + list(policies.get("globalPolicies") or ())
    rotating = {
        p.get("name")
        for p in profiles or ()
        if isinstance(p, Mapping)
        and any(
            isinstance(e, Mapping) and e.get("executor") == SECRET_ROTATION_EXECUTOR for e in p.get("executors") or ()
        )
    }
    return tuple(
        str(p.get("name"))
        for p in policies or ()
        if isinstance(p, Mapping) and p.get("enabled", True) and rotating.intersection(p.get("profiles") or ())
    )


def parse_realm_facts(realm: Mapping[str, Any]) -> RealmFacts:
    realm_roles = (realm.get("roles") or {}).get("realm") if isinstance(realm.get("roles"), Mapping) else None
    scopes = realm.get("clientScopes")
    return RealmFacts(
        default_roles=_default_roles(realm),
        realm_roles=tuple(str(r.get("name")) for r in realm_roles if isinstance(r, Mapping))
        if isinstance(realm_roles, list)
        else None,
        client_scopes=tuple(str(s.get("name")) for s in scopes if isinstance(s, Mapping))
        if isinstance(scopes, list)
        else None,
        rotation_policies=rotation_policies(realm.get("clientPolicies"), realm.get("clientProfiles")),
    )


def _pick_realm(data: Sequence[Any], integration: Integration, source: str) -> Mapping[str, Any]:
    realms = [r for r in data if isinstance(r, Mapping) and isinstance(r.get("clients"), list)]
    if not realms:
        raise SnapshotError(f"{source}: a JSON list, but no realm export (with 'clients') in it")
    wanted = integration.options.get("realm")
    if wanted:
        for r in realms:
            if r.get("realm") == wanted:
                return r
        raise SnapshotError(f"{source}: no realm {wanted!r} in the export (has: {_names(realms)})")
    for r in realms:
        if any(isinstance(c, Mapping) and c.get("clientId") == integration.client_id for c in r["clients"]):
            return r
    if len(realms) == 1:
        return realms[0]
    raise SnapshotError(f"{source}: several realms ({_names(realms)}); set the integration's 'realm'")


def _names(realms: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(str(r.get("realm")) for r in realms)


def parse_snapshot(data: Any, integration: Integration, source: str) -> KeycloakSnapshot:
    """Parse a ClientRepresentation, a realm export, or a list of realm exports for ``integration``."""
    server_url = integration.options.get("server_url")
    if isinstance(data, list) and data and all(isinstance(d, Mapping) and "clientId" in d for d in data):
        # ``GET /admin/realms/{realm}/clients?clientId=…`` answers with a list of ClientRepresentations.
        wanted = integration.client_id or str(data[0]["clientId"])
        match = next((d for d in data if d.get("clientId") == wanted), None)
        return KeycloakSnapshot(
            scope=str(integration.options.get("realm") or ""),
            requested_client_id=wanted,
            client=parse_client(match, source) if match is not None else None,
            server_url=server_url,
            source=source,
        )
    if isinstance(data, list):
        data = _pick_realm(data, integration, source)
    if not isinstance(data, Mapping):
        raise SnapshotError(f"{source}: expected a Keycloak ClientRepresentation or realm export (a JSON object)")
    if isinstance(data.get("clients"), list):
        realm_name = str(data.get("realm") or integration.options.get("realm") or "")
        wanted = integration.client_id
        if not wanted:
            raise SnapshotError(f"{source}: the integration has no client_id to pick from the realm export")
        client: KeycloakClient | None = None
        for i, rep in enumerate(data["clients"]):
            if isinstance(rep, Mapping) and rep.get("clientId") == wanted:
                client = parse_client(rep, f"{source}: clients[{i}]")
                break
        return KeycloakSnapshot(
            scope=realm_name,
            requested_client_id=wanted,
            client=client,
            realm=parse_realm_facts(data),
            server_url=server_url,
            source=source,
        )
    if "clientId" in data:
        client = parse_client(data, source)
        return KeycloakSnapshot(
            scope=str(integration.options.get("realm") or ""),
            requested_client_id=integration.client_id or client.client_id,
            client=client,
            server_url=server_url,
            source=source,
        )
    raise SnapshotError(
        f"{source}: not a Keycloak ClientRepresentation ('clientId') or realm export ('clients'); "
        "export it with GET /admin/realms/<realm>/clients/<id> or a realm export"
    )


def parse_realm(data: Any, source: str, server_url: str | None = None) -> RealmSnapshot:
    """Parse a whole realm export (every client) for the realm audit and the secret scan."""
    if not isinstance(data, Mapping) or not isinstance(data.get("clients"), list):
        raise SnapshotError(f"{source}: not a Keycloak realm export (no 'clients' list)")
    clients = tuple(
        parse_client(rep, f"{source}: clients[{i}]")
        for i, rep in enumerate(data["clients"])
        if isinstance(rep, Mapping)
    )
    return RealmSnapshot(
        scope=str(data.get("realm") or ""),
        clients=clients,
        realm=parse_realm_facts(data),
        server_url=server_url,
        source=source,
    )
