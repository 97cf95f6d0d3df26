"""Connect's OAuthIntegration objects → oauthlint :class:`Integration` objects (pure).

Field names from Connect's OpenAPI description (provider-facts.md §1 S1: ``guid``, ``name``, ``template``,
``auth_type``, ``config``) and the config keys seen per template in a real server dump (§2, S4):
``client_id``, ``tenant_id``, ``scopes`` (space-separated), ``auth_mode`` (Confidential|Public),
``auth_type`` (Viewer|Service Account|Visitor API Key, also inside ``config``), ``account_url``,
``authorization_uri``, ``token_uri``, ``token_endpoint_auth_method``, ``use_pkce``.
Connect never returns client secrets; they come from oauthlint's config, matched by name or guid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from oauthlint.model import AuthMode, AuthType, Integration, Secret

AZURE_TEMPLATES = frozenset({"azure", "azure-openai", "msgraph", "sharepoint"})
KEYCLOAK_AUTH_PATH = re.compile(r"^(?P<prefix>.*?)/realms/(?P<realm>[^/]+)/protocol/openid-connect/auth/?$")
GITHUB_AUTH_PATH = "/login/oauth/authorize"
AUTH_TYPES = {"viewer": AuthType.VIEWER, "service account": AuthType.SERVICE_ACCOUNT}


@dataclass(frozen=True)
class Skipped:
    """A Connect integration oauthlint does not check, and why."""

    guid: str
    name: str
    template: str
    reason: str


@dataclass(frozen=True)
class ConnectSource:
    integrations: tuple[Integration, ...]
    skipped: tuple[Skipped, ...]
    guids: Mapping[str, str]
    """Integration name → Connect guid."""


def provider_for(template: str, config: Mapping[str, Any]) -> str | None:
    """Which oauthlint provider checks an integration of this template (custom: decided by its URIs)."""
    if template in AZURE_TEMPLATES:
        return "azure"
    if template in ("snowflake", "github"):
        return template
    if template != "custom":
        return None
    parts = urlsplit(str(config.get("authorization_uri") or ""))
    if parts.scheme and parts.netloc and KEYCLOAK_AUTH_PATH.match(parts.path):
        return "keycloak"
    if parts.netloc and parts.path.rstrip("/") == GITHUB_AUTH_PATH:
        return "github"
    return "oidc"


def options_for(provider: str, template: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """The provider-specific integration keys Connect's config yields."""
    if provider == "azure":
        return _keep(config, "tenant_id")
    if provider == "snowflake":
        return _keep(config, "account_url")
    parts = urlsplit(str(config.get("authorization_uri") or ""))
    if provider == "github":
        options: dict[str, Any] = {"connect_template": "github" if template == "github" else "custom"}
        if template != "github" and parts.hostname:
            options["host"] = parts.hostname
        return options
    if provider == "keycloak":
        match = KEYCLOAK_AUTH_PATH.match(parts.path)
        if not (match and parts.scheme and parts.netloc):
            return {}
        return {"server_url": f"{parts.scheme}://{parts.netloc}{match['prefix']}", "realm": match["realm"]}
    if provider == "oidc":
        options = _keep(config, "authorization_uri", "token_uri", "token_endpoint_auth_method")
        if isinstance(config.get("use_pkce"), bool):
            options["use_pkce"] = config["use_pkce"]
        return options
    return {}


def to_integration(
    item: Mapping[str, Any],
    *,
    connect_server: str,
    server_label: str,
    configured: Mapping[str, Integration],
) -> Integration | Skipped:
    """Map one OAuthIntegration; ``configured`` holds oauthlint's own [[integrations]] by name (and guid)."""
    guid = str(item.get("guid") or "")
    name = str(item.get("name") or guid)
    template = str(item.get("template") or "")
    config = item.get("config") if isinstance(item.get("config"), Mapping) else {}
    raw_type = str(item.get("auth_type") or config.get("auth_type") or "Viewer")
    auth_type = AUTH_TYPES.get(raw_type.strip().lower())
    if auth_type is None:
        return Skipped(guid, name, template, f"auth type {raw_type!r} has no identity provider to check")
    local = configured.get(name) or configured.get(guid)
    provider = local.provider if local is not None else provider_for(template, config)
    if provider is None:
        return Skipped(guid, name, template, f"template {template!r} has no oauthlint provider")
    options = options_for(provider, template, config)
    secret: Secret | None = None
    if local is not None:  # the config names the provider, adds keys Connect lacks (issuer …) and the secret
        options.update(local.options)
        secret = local.client_secret
    mode = str(config.get("auth_mode") or "Confidential").strip().lower()
    auth_mode = AuthMode.PUBLIC if mode == "public" else AuthMode.CONFIDENTIAL
    return Integration(
        name=name,
        provider=provider,
        auth_type=auth_type,
        auth_mode=auth_mode,
        client_id=_text(config.get("client_id")),
        client_secret=secret,
        scopes=_scopes(config.get("scopes")),
        connect_server=connect_server,
        options=options,
        source=f"{server_label}: oauth integration {guid} ({template})",
        secret_unknown=secret is None,
    )


def map_integrations(
    items: Sequence[Any], *, connect_server: str, server_label: str, configured: Sequence[Integration] = ()
) -> ConnectSource:
    by_key = {i.name: i for i in configured}
    integrations: list[Integration] = []
    skipped: list[Skipped] = []
    guids: dict[str, str] = {}
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping):
            continue
        mapped = to_integration(item, connect_server=connect_server, server_label=server_label, configured=by_key)
        if isinstance(mapped, Skipped):
            skipped.append(mapped)
            continue
        guid = str(item.get("guid") or "")
        if mapped.name in seen:  # Connect allows duplicate names; reports key on the name
            mapped = Integration(**{**_fields(mapped), "name": f"{mapped.name} [{guid[:8]}]"})
        seen.add(mapped.name)
        guids[mapped.name] = guid
        integrations.append(mapped)
    return ConnectSource(tuple(integrations), tuple(skipped), guids)


def _fields(integration: Integration) -> dict[str, Any]:
    return {f: getattr(integration, f) for f in integration.__dataclass_fields__}


def _keep(config: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: config[k] for k in keys if isinstance(config.get(k), str) and config[k]}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _scopes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(s for v in value if isinstance(v, str) for s in v.split())
    return ()
