"""Which resource (API) each requested scope targets, as Entra ID reads a v2.0 ``scope`` parameter.

https://learn.microsoft.com/entra/identity-platform/scopes-oidc:

- ``openid``, ``profile``, ``email`` and ``offline_access`` are OpenID Connect scopes and name no resource;
- ``<resource>/<permission>`` targets ``<resource>`` (an App ID URI such as ``api://sales`` or
  ``https://graph.microsoft.com``, or an appId GUID); ``<resource>/.default`` asks for every permission the app
  declares on it; ``https://database.windows.net//.default`` has a resource ending in ``/``;
- a bare permission (``User.Read``) means Microsoft Graph.

One access token is issued for one resource, so the non-OIDC scopes of a request must share one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oauthlint.providers.azure.snapshot import AzureSnapshot, is_guid

OIDC_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_URIS = (
    "https://graph.microsoft.com",
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
    "https://canary.graph.microsoft.com",
)
WELL_KNOWN: dict[str, str] = {
    GRAPH_APP_ID: "Microsoft Graph",
    "00000002-0000-0000-c000-000000000000": "Azure AD Graph (retired)",
    "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d": "Azure Databricks",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Azure Service Management",
    "e406a681-f3d4-42a8-90b6-c2b029497af1": "Azure Storage",
    "022907d3-0f1b-48f7-badc-1ba6abab6d66": "Azure SQL Database",
    "00000003-0000-0ff1-ce00-000000000000": "SharePoint Online",
}


@dataclass(frozen=True)
class ParsedScope:
    raw: str
    resource: str | None
    """Canonical resource key (lower-case appId when known, else the lower-cased App ID URI); None for OIDC."""
    label: str
    """How to name the resource to a human."""
    permission: str
    """``User.Read``, ``.default``, ``offline_access`` …"""

    @property
    def is_default(self) -> bool:
        return self.permission == ".default"


def resource_aliases(snapshot: AzureSnapshot | None) -> dict[str, str]:
    """Map every known App ID URI (lower-case, without trailing slash) to its appId."""
    aliases: dict[str, str] = {uri: GRAPH_APP_ID for uri in GRAPH_URIS}
    if snapshot is None:
        return aliases
    for uri in snapshot.identifier_uris:
        aliases[_norm_uri(uri)] = snapshot.app_id.lower()
    for sp in snapshot.resource_principals:
        for name in sp.names:
            if not is_guid(name):
                aliases[_norm_uri(name)] = sp.app_id
    return aliases


def _norm_uri(uri: str) -> str:
    return uri.strip().rstrip("/").lower()


def _resource_key(resource_text: str, aliases: Mapping[str, str]) -> str:
    """``api://<guid>`` and known App ID URIs become the appId; other URIs stay (lower case, no trailing slash)."""
    key = _norm_uri(resource_text)
    if key.startswith("api://") and is_guid(key[len("api://") :]):
        key = key[len("api://") :]
    return aliases.get(key, key)


def parse_scope(scope: str, aliases: Mapping[str, str], labels: Mapping[str, str] | None = None) -> ParsedScope:
    text = scope.strip()
    if text.lower() in OIDC_SCOPES:
        return ParsedScope(text, None, "", text.lower())
    if "/" not in text:
        return ParsedScope(text, GRAPH_APP_ID, "Microsoft Graph", text)
    names = {**WELL_KNOWN, **(labels or {})}
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^/]+/?", text):  # an App ID URI with no permission
        key = _resource_key(text, aliases)
        return ParsedScope(text, key, names.get(key, text.rstrip("/")), "")
    resource_text, _, permission = text.rpartition("/")
    key = _resource_key(resource_text, aliases)
    return ParsedScope(text, key, names.get(key, resource_text.rstrip("/") or resource_text), permission)


def parse_scopes(scopes: Iterable[str], snapshot: AzureSnapshot | None) -> list[ParsedScope]:
    aliases = resource_aliases(snapshot)
    labels: dict[str, str] = {}
    if snapshot is not None:
        labels[snapshot.app_id.lower()] = f"this app's own API ({snapshot.app_id})"
        for sp in snapshot.resource_principals:
            if sp.display_name:
                labels[sp.app_id] = sp.display_name
    return [parse_scope(s, aliases, labels) for s in scopes if s.strip()]


def expected_resource_key(value: str, snapshot: AzureSnapshot | None) -> str:
    """Canonical key of the integration's ``resource`` option (an App ID URI or appId)."""
    return parse_scope(value.rstrip("/") + "/.default", resource_aliases(snapshot)).resource or ""
