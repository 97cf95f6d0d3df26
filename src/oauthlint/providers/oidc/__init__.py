"""The oidc provider plug-in: any OpenID Connect issuer, checked without admin access.

- ``snapshot.py``: the discovery document (+ the probe outcome); offline files hold the document itself;
- ``checks.py``: pure checks OI001–OI007; ``probe.py``: what a token endpoint's answer proves (RFC 6749 §5.2);
- ``settings.py``: ``[providers.oidc]`` (timeout, ca_bundle, retries, probe);
- ``fetch.py`` / ``http.py``: discovery GET and the client-credentials probe (requests, imported lazily).

Integration keys: ``issuer`` (where ``/.well-known/openid-configuration`` lives; default: found from the URIs),
``authorization_uri`` / ``token_uri`` / ``token_endpoint_auth_method`` / ``use_pkce`` (as in Connect's custom
template; compared with the discovery document).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oauthlint.model import Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.oidc.checks import CHECKS
from oauthlint.providers.oidc.rules import RULES
from oauthlint.providers.oidc.settings import OidcSettings, parse_settings
from oauthlint.providers.oidc.snapshot import OidcSnapshot, parse_snapshot


class OidcProvider(BaseProvider):
    name = "oidc"
    rules = RULES
    checks = CHECKS
    offline_scopes = ("offline_access",)
    integration_keys: ClassVar[Mapping[str, type | tuple[type, ...]]] = {
        "issuer": str,
        "authorization_uri": str,
        "token_uri": str,
        "token_endpoint_auth_method": str,
        "use_pkce": bool,
    }

    def parse_settings(self, raw: Any, where: str) -> OidcSettings:
        return parse_settings(raw, where)

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> OidcSnapshot:
        return parse_snapshot(data, integration, source)

    def fetch(self, integration: Integration, settings: Any) -> OidcSnapshot:
        from oauthlint.providers.oidc.fetch import fetch_integration

        return fetch_integration(integration, parse_settings(settings, "providers.oidc"))


provider = OidcProvider()
