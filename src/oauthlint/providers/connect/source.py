"""What the CLI calls: Connect as a source of integrations, and the ``--content`` deployment gate.

    integrations = load_integrations(server, api_key, config)          # check these like config entries
    findings = content_findings(server, api_key, ["<content guid>"], integrations)

Both raise :class:`~oauthlint.errors.ProviderError` (one line: operation, HTTP status, Connect error code;
never the API key) when Connect cannot be asked, and :class:`~oauthlint.errors.UsageError` for a malformed
GUID or a missing API key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from oauthlint.errors import ProviderError, UsageError
from oauthlint.model import Finding, Integration, Secret
from oauthlint.providers.connect.gate import check_content, check_sessions
from oauthlint.providers.connect.mapping import ConnectSource, map_integrations
from oauthlint.providers.oidc.settings import HttpOptions

API_KEY_ENV = "CONNECT_API_KEY"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def api_key_from_env(environ: Mapping[str, str] | None = None) -> Secret:
    env = os.environ if environ is None else environ
    value = env.get(API_KEY_ENV, "").strip()
    if not value:
        raise UsageError(f"--connect-server needs a Connect API key in the environment variable {API_KEY_ENV}")
    return Secret(value, source=f"env:{API_KEY_ENV}")


def check_server_url(server: str) -> str:
    parts = urlsplit(server.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--connect-server: expected the server's URL like https://connect.example.com, got {server!r}"
        )
    return server.strip().rstrip("/")


def load_source(
    server: str, api_key: str | Secret, config: Any = None, *, http: HttpOptions | None = None
) -> ConnectSource:
    """Every OAuth integration on the server, mapped to oauthlint integrations (plus the skipped ones)."""
    from oauthlint.providers.connect.client import ConnectClient

    server = check_server_url(server)
    configured: Sequence[Integration] = tuple(getattr(config, "integrations", ()) or ())
    public_url = getattr(config, "connect_server", None) or server
    with ConnectClient(server, api_key, http or _http(config)) as client:
        items = client.integrations()
    return map_integrations(items, connect_server=public_url, server_label=f"connect {server}", configured=configured)


def load_integrations(
    server: str, api_key: str | Secret, config: Any = None, *, http: HttpOptions | None = None
) -> list[Integration]:
    """``config``: an oauthlint Config (or None). Its ``[[integrations]]`` entries whose ``name`` is a Connect
    integration's name or guid give that integration its client secret (Connect never returns secrets), may name
    the provider and add provider keys; its ``connect_server`` (the public URL) makes the callback URL."""
    return list(load_source(server, api_key, config, http=http).integrations)


def content_findings(
    server: str,
    api_key: str | Secret,
    content_guids: Iterable[str],
    integrations: Sequence[Integration] | None = None,
    *,
    config: Any = None,
    http: HttpOptions | None = None,
) -> list[Finding]:
    """CN001 for content without integrations; CN002 for its integrations' sessions without refresh tokens.

    ``integrations`` (from :func:`load_integrations`) lets CN002 findings carry the same integration names.
    Needs an administrator's API key (``/v1/oauth/sessions?all=true``).
    """
    from oauthlint.providers.connect.client import ConnectClient

    guids = [g.strip() for g in content_guids]
    for guid in guids:
        if not GUID.match(guid):
            raise UsageError(f"--content: {guid!r} is not a content GUID (like 3f1c2e4a-…-…)")
    server = check_server_url(server)
    scope = urlsplit(server).netloc
    names = _names_by_guid(integrations or ())
    findings: list[Finding] = []
    associated: list[Mapping[str, Any]] = []
    with ConnectClient(server, api_key, http or _http(config)) as client:
        for guid in dict.fromkeys(guids):
            associations = client.content_associations(guid)
            findings.extend(check_content(scope, guid, associations))
            associated.extend(associations)
        if associated:
            findings.extend(check_sessions(scope, _unique(associated), client.sessions(), names))
    return findings


def _names_by_guid(integrations: Sequence[Integration]) -> dict[str, str]:
    names: dict[str, str] = {}
    for integration in integrations:
        match = re.search(r"oauth integration (\S+)", integration.source)
        if match:
            names[match[1]] = integration.name
    return names


def _unique(associations: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: dict[str, Mapping[str, Any]] = {}
    for assoc in associations:
        seen.setdefault(str(assoc.get("oauth_integration_guid")), assoc)
    return list(seen.values())


def _http(config: Any) -> HttpOptions:
    settings = getattr(config, "provider_settings", {}) or {}
    value = settings.get("connect")
    return value if isinstance(value, HttpOptions) else HttpOptions()


__all__ = ["ProviderError", "api_key_from_env", "content_findings", "load_integrations", "load_source"]
