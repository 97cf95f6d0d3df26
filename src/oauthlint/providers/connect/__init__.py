"""Posit Connect as a *source* of integrations, and the ``--content`` deployment gate (CN001, CN002).

- ``source.py``: what the CLI calls: ``load_integrations(server, api_key, config)`` and
  ``content_findings(server, api_key, content_guids, integrations)``;
- ``mapping.py``: Connect OAuthIntegration → oauthlint Integration (pure); ``gate.py``: CN001/CN002 (pure);
- ``client.py``: the read-only Server API client (requests, imported lazily).

The ``connect`` provider object below exists so the catalog knows CN001/CN002 and ``[providers.connect]``
(timeout, ca_bundle, retries) is validated; it is not a provider for ``[[integrations]]`` entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from oauthlint.errors import ConfigError, UsageError
from oauthlint.model import Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.connect.rules import RULES
from oauthlint.providers.oidc.settings import HttpOptions, parse_settings

SOURCE_ONLY = (
    "provider 'connect' is a source of integrations, not a provider to check them against; "
    "use `oauthlint check --connect-server URL` (API key in CONNECT_API_KEY)"
)


class ConnectProvider(BaseProvider):
    name = "connect"
    rules = RULES
    offline_scopes: tuple[str, ...] = ()
    integration_keys: ClassVar[Mapping[str, type | tuple[type, ...]]] = {}

    def parse_settings(self, raw: Any, where: str) -> HttpOptions:
        """``[providers.connect]``: ``timeout``, ``ca_bundle``, ``retries`` for the Server API."""
        if isinstance(raw, Mapping) and "probe" in raw:
            raise ConfigError(f"{where}: unknown key 'probe'; expected timeout, ca_bundle or retries")
        return parse_settings(raw, where).http

    def load_snapshot(self, path: Path, integration: Integration) -> Any:
        raise UsageError(SOURCE_ONLY)

    def fetch(self, integration: Integration, settings: Any) -> Any:
        raise UsageError(SOURCE_ONLY)


provider = ConnectProvider()
