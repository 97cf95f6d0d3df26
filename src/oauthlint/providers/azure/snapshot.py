"""Typed snapshot of an Entra ID app registration, parsed from Microsoft Graph JSON.

Accepted input (one JSON document):

- the Graph ``application`` object, as ``GET /v1.0/applications(appId='…')`` or ``az ad app show`` returns it
  (https://learn.microsoft.com/graph/api/resources/application);
- a Graph collection answer ``{"value": [application]}`` (``GET /applications?$filter=appId eq '…'``); an empty
  ``value`` means no app registration has that appId (AZ001);
- the application object with optional extra keys that make more checks possible:
  ``servicePrincipal`` (the Graph ``servicePrincipal`` of the app in this tenant: credentials for AZ012/AZ013,
  its object id for grants), ``oauth2PermissionGrants`` (list of Graph ``oAuth2PermissionGrant``, AZ010 consent),
  ``resourceServicePrincipals`` (service principals of the APIs the app calls: ``id``, ``appId``,
  ``servicePrincipalNames``, ``oauth2PermissionScopes``; map permission names to ids) and ``tenantId``.

Legacy manifest spellings are read too: ``replyUrlsWithType`` (``Web``/``Spa``/``InstalledClient``),
``allowPublicClient``, ``startDate``/``endDate``. Secret values (``secretText``) are never read or kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oauthlint.errors import SnapshotError

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_FRACTION_RE = re.compile(r"\.(\d{7,})")


def is_guid(text: str) -> bool:
    return bool(GUID_RE.match(text.strip()))


@dataclass(frozen=True)
class AzureCredential:
    """A password (client secret) or key (certificate) credential: metadata only, never the value."""

    kind: str
    """``password`` or ``certificate``."""
    key_id: str
    display_name: str = ""
    hint: str | None = None
    """First three characters of a client secret (password credentials only)."""
    start: datetime | None = None
    end: datetime | None = None
    usage: str = ""
    """Certificates: ``Verify`` or ``Sign``."""

    def expired(self, now: datetime) -> bool:
        return self.end is not None and self.end <= now

    def label(self) -> str:
        name = f" '{self.display_name}'" if self.display_name else ""
        what = "client secret" if self.kind == "password" else "certificate"
        return f"{what}{name} (keyId {self.key_id})"


@dataclass(frozen=True)
class PermissionScope:
    """A delegated permission an API exposes (``oauth2PermissionScopes`` entry)."""

    id: str
    value: str


@dataclass(frozen=True)
class ResourcePrincipal:
    """The service principal of an API (resource) in the tenant."""

    id: str
    app_id: str
    display_name: str = ""
    names: tuple[str, ...] = ()
    """``servicePrincipalNames``: the appId and App ID URIs (``api://…``, ``https://graph.microsoft.com``)."""
    scopes: tuple[PermissionScope, ...] = ()


@dataclass(frozen=True)
class ResourceAccess:
    """One ``requiredResourceAccess`` entry: permissions the app declares on one resource."""

    resource_app_id: str
    scope_ids: frozenset[str] = frozenset()
    """Delegated permissions (``type == "Scope"``), lower-case GUIDs."""
    role_ids: frozenset[str] = frozenset()
    """Application permissions (``type == "Role"``)."""


@dataclass(frozen=True)
class PermissionGrant:
    """An ``oAuth2PermissionGrant``: delegated consent of the client to one resource."""

    id: str
    client_id: str
    resource_id: str
    consent_type: str
    """``AllPrincipals`` (admin consent) or ``Principal`` (one user)."""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServicePrincipal:
    id: str
    app_id: str
    display_name: str = ""
    password_credentials: tuple[AzureCredential, ...] = ()
    key_credentials: tuple[AzureCredential, ...] = ()
    app_owner_tenant_id: str = ""


@dataclass(frozen=True)
class ProbeResult:
    """Outcome of the live client-credentials probe (AZ008); never holds a token."""

    ok: bool
    error: str = ""
    """OAuth ``error`` (``invalid_client`` …)."""
    codes: tuple[int, ...] = ()
    """AADSTS numbers from ``error_codes``."""
    skipped: str = ""
    """Why no probe ran (disabled, no secret, …); empty when it ran."""


@dataclass(frozen=True)
class AzureSnapshot:
    """One app registration as oauthlint sees it. ``found`` is False when no app has the configured appId."""

    scope: str
    """Tenant id (from the integration's ``tenant_id``, the snapshot's ``tenantId`` or the service principal)."""
    app_id: str
    found: bool = True
    object_id: str = ""
    display_name: str = ""
    sign_in_audience: str = ""
    web_redirect_uris: tuple[str, ...] = ()
    spa_redirect_uris: tuple[str, ...] = ()
    public_client_redirect_uris: tuple[str, ...] = ()
    is_fallback_public_client: bool | None = None
    identifier_uris: tuple[str, ...] = ()
    password_credentials: tuple[AzureCredential, ...] = ()
    key_credentials: tuple[AzureCredential, ...] = ()
    required_resource_access: tuple[ResourceAccess, ...] | None = None
    """None when the snapshot does not carry ``requiredResourceAccess`` (then AZ010 cannot judge declarations)."""
    service_principal: ServicePrincipal | None = None
    permission_grants: tuple[PermissionGrant, ...] | None = None
    """None when the snapshot does not carry ``oauth2PermissionGrants`` (then AZ010 cannot judge consent)."""
    resource_principals: tuple[ResourcePrincipal, ...] = ()
    consent_unreadable: str | None = None
    """Why the consent grants could not be read live (a missing Graph permission): AZ010 could not run."""
    probe: ProbeResult | None = None
    source: str = ""
    server_date: datetime | None = None
    observed_at: datetime | None = None

    @property
    def resource(self) -> str:
        """How findings name the object: ``app registration 'Sales' (appId …)``."""
        name = f" '{self.display_name}'" if self.display_name else ""
        return f"app registration{name} (appId {self.app_id})"

    @property
    def all_redirect_uris(self) -> tuple[tuple[str, str], ...]:
        """Every registered redirect URI with its platform: ``web``, ``spa`` or ``publicClient``."""
        return (
            tuple(("web", u) for u in self.web_redirect_uris)
            + tuple(("spa", u) for u in self.spa_redirect_uris)
            + tuple(("publicClient", u) for u in self.public_client_redirect_uris)
        )


# --- parsing -----------------------------------------------------------------------------------------


def parse_datetime(value: Any, where: str) -> datetime | None:
    """Parse Graph's ISO 8601 DateTimeOffset (``2026-01-31T10:00:00Z``, up to 7 fraction digits)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SnapshotError(f"{where}: expected an ISO 8601 date-time string, got {type(value).__name__}")
    text = _FRACTION_RE.sub(lambda m: "." + m.group(1)[:6], value.strip())
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise SnapshotError(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(obj: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SnapshotError(f"{where}: '{key}' must be a string, got {type(value).__name__}")
    return value


def _list(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SnapshotError(f"{where}: '{key}' must be a list, got {type(value).__name__}")
    return value


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SnapshotError(f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


def _uris(obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    platform = obj.get(key)
    if platform is None:
        return ()
    platform = _obj(platform, f"{where}: '{key}'")
    uris = _list(platform, "redirectUris", f"{where}: '{key}'")
    if not all(isinstance(u, str) for u in uris):
        raise SnapshotError(f"{where}: '{key}.redirectUris' must be a list of strings")
    return tuple(uris)


def parse_credentials(items: list[Any], kind: str, where: str) -> tuple[AzureCredential, ...]:
    """Parse ``passwordCredentials`` / ``keyCredentials``; ignores ``secretText`` and ``key`` entirely."""
    creds: list[AzureCredential] = []
    for n, raw in enumerate(items):
        here = f"{where}[{n}]"
        item = _obj(raw, here)
        start = parse_datetime(item.get("startDateTime", item.get("startDate")), f"{here}.startDateTime")
        end = parse_datetime(item.get("endDateTime", item.get("endDate")), f"{here}.endDateTime")
        creds.append(
            AzureCredential(
                kind=kind,
                key_id=_str(item, "keyId", here),
                display_name=_str(item, "displayName", here),
                hint=_str(item, "hint", here) or None if kind == "password" else None,
                start=start,
                end=end,
                usage=_str(item, "usage", here) if kind == "certificate" else "",
            )
        )
    return tuple(creds)


def _legacy_reply_urls(app: Mapping[str, Any], where: str) -> dict[str, list[str]]:
    """The AAD Graph manifest's ``replyUrlsWithType`` ([{url, type}]), mapped to Graph platforms."""
    platforms: dict[str, list[str]] = {"web": [], "spa": [], "publicClient": []}
    kinds = {"web": "web", "spa": "spa", "installedclient": "publicClient"}
    for n, raw in enumerate(_list(app, "replyUrlsWithType", where)):
        item = _obj(raw, f"{where}: replyUrlsWithType[{n}]")
        url = _str(item, "url", f"{where}: replyUrlsWithType[{n}]")
        kind = kinds.get(_str(item, "type", f"{where}: replyUrlsWithType[{n}]", "Web").lower(), "web")
        platforms[kind].append(url)
    for url in _list(app, "replyUrls", where):
        if isinstance(url, str) and url not in platforms["web"]:
            platforms["web"].append(url)
    return platforms


def parse_resource_access(items: list[Any], where: str) -> tuple[ResourceAccess, ...]:
    result: list[ResourceAccess] = []
    for n, raw in enumerate(items):
        here = f"{where}[{n}]"
        item = _obj(raw, here)
        scopes: set[str] = set()
        roles: set[str] = set()
        for m, access in enumerate(_list(item, "resourceAccess", here)):
            access = _obj(access, f"{here}.resourceAccess[{m}]")
            pid = _str(access, "id", f"{here}.resourceAccess[{m}]").lower()
            (roles if _str(access, "type", here).lower() == "role" else scopes).add(pid)
        result.append(ResourceAccess(_str(item, "resourceAppId", here).lower(), frozenset(scopes), frozenset(roles)))
    return tuple(result)


def parse_service_principal(raw: Any, where: str) -> ServicePrincipal:
    sp = _obj(raw, where)
    return ServicePrincipal(
        id=_str(sp, "id", where),
        app_id=_str(sp, "appId", where),
        display_name=_str(sp, "displayName", where),
        password_credentials=parse_credentials(
            _list(sp, "passwordCredentials", where), "password", f"{where}.passwordCredentials"
        ),
        key_credentials=parse_credentials(_list(sp, "keyCredentials", where), "certificate", f"{where}.keyCredentials"),
        app_owner_tenant_id=_str(sp, "appOwnerOrganizationId", where),
    )


def parse_resource_principal(raw: Any, where: str) -> ResourcePrincipal:
    sp = _obj(raw, where)
    scopes = []
    for n, s in enumerate(_list(sp, "oauth2PermissionScopes", where)):
        s = _obj(s, f"{where}.oauth2PermissionScopes[{n}]")
        scopes.append(PermissionScope(_str(s, "id", where).lower(), _str(s, "value", where)))
    names = tuple(n for n in _list(sp, "servicePrincipalNames", where) if isinstance(n, str))
    return ResourcePrincipal(
        id=_str(sp, "id", where),
        app_id=_str(sp, "appId", where).lower(),
        display_name=_str(sp, "displayName", where),
        names=names,
        scopes=tuple(scopes),
    )


def parse_grants(items: list[Any], where: str) -> tuple[PermissionGrant, ...]:
    grants = []
    for n, raw in enumerate(items):
        here = f"{where}[{n}]"
        g = _obj(raw, here)
        grants.append(
            PermissionGrant(
                id=_str(g, "id", here),
                client_id=_str(g, "clientId", here),
                resource_id=_str(g, "resourceId", here),
                consent_type=_str(g, "consentType", here),
                scopes=tuple(_str(g, "scope", here).split()),
            )
        )
    return tuple(grants)


def parse_application(
    data: Any,
    *,
    tenant_id: str = "",
    client_id: str = "",
    source: str = "snapshot",
    server_date: datetime | None = None,
    observed_at: datetime | None = None,
) -> AzureSnapshot:
    """Parse one snapshot document (see the module docstring); raise SnapshotError naming ``source``."""
    doc = _obj(data, source)
    if "value" in doc and "appId" not in doc:
        apps = _list(doc, "value", source)
        if not apps:
            return AzureSnapshot(
                scope=tenant_id or _str(doc, "tenantId", source),
                app_id=client_id,
                found=False,
                source=source,
                server_date=server_date,
                observed_at=observed_at,
            )
        if len(apps) > 1:
            raise SnapshotError(f"{source}: 'value' holds {len(apps)} applications; a snapshot holds one")
        merged = dict(_obj(apps[0], f"{source}: value[0]"))
        for key in ("servicePrincipal", "oauth2PermissionGrants", "resourceServicePrincipals", "tenantId"):
            if key in doc:
                merged.setdefault(key, doc[key])
        doc = merged
    app_id = _str(doc, "appId", source)
    if not app_id:
        raise SnapshotError(
            f"{source}: not a Microsoft Graph application object (no 'appId'); export it with "
            "`az ad app show --id <appId>` or GET /v1.0/applications(appId='<appId>')"
        )
    legacy = _legacy_reply_urls(doc, source) if ("replyUrlsWithType" in doc or "replyUrls" in doc) else None
    web = _uris(doc, "web", source) or tuple(legacy["web"] if legacy else ())
    spa = _uris(doc, "spa", source) or tuple(legacy["spa"] if legacy else ())
    public = _uris(doc, "publicClient", source) or tuple(legacy["publicClient"] if legacy else ())

    fallback = doc.get("isFallbackPublicClient", doc.get("allowPublicClient"))
    if fallback is not None and not isinstance(fallback, bool):
        raise SnapshotError(f"{source}: 'isFallbackPublicClient' must be true, false or null")

    sp = (
        parse_service_principal(doc["servicePrincipal"], f"{source}: servicePrincipal")
        if doc.get("servicePrincipal")
        else None
    )
    grants = (
        parse_grants(_list(doc, "oauth2PermissionGrants", source), f"{source}: oauth2PermissionGrants")
        if "oauth2PermissionGrants" in doc
        else None
    )
    rra = (
        parse_resource_access(_list(doc, "requiredResourceAccess", source), f"{source}: requiredResourceAccess")
        if "requiredResourceAccess" in doc
        else None
    )
    resources = tuple(
        parse_resource_principal(r, f"{source}: resourceServicePrincipals[{n}]")
        for n, r in enumerate(_list(doc, "resourceServicePrincipals", source))
    )
    scope = tenant_id or _str(doc, "tenantId", source) or (sp.app_owner_tenant_id if sp else "")
    identifier_uris = tuple(u for u in _list(doc, "identifierUris", source) if isinstance(u, str))
    return AzureSnapshot(
        scope=scope,
        app_id=app_id,
        found=True,
        object_id=_str(doc, "id", source) or _str(doc, "objectId", source),
        display_name=_str(doc, "displayName", source),
        sign_in_audience=_str(doc, "signInAudience", source),
        web_redirect_uris=web,
        spa_redirect_uris=spa,
        public_client_redirect_uris=public,
        is_fallback_public_client=fallback,
        identifier_uris=identifier_uris,
        password_credentials=parse_credentials(
            _list(doc, "passwordCredentials", source), "password", f"{source}: passwordCredentials"
        ),
        key_credentials=parse_credentials(
            _list(doc, "keyCredentials", source), "certificate", f"{source}: keyCredentials"
        ),
        required_resource_access=rra,
        service_principal=sp,
        permission_grants=grants,
        resource_principals=resources,
        source=source,
        server_date=server_date,
        observed_at=observed_at,
    )
