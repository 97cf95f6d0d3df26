"""The github provider plug-in: offline only.

GitHub has no API that shows an OAuth App's or GitHub App's settings to a client, and none is needed:
the client id's shape tells a GitHub App from an OAuth App (``client_id.py``), which decides GH001.
``fetch`` therefore builds the snapshot from the integration without any network I/O.

Integration keys: ``host`` (GitHub Enterprise Server hostname; default github.com) and
``connect_template`` (``custom``, the default, or ``github`` for Connect's built-in GitHub template,
which handles OAuth Apps itself and is not reported by GH001).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oauthlint.model import Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.github.checks import CHECKS
from oauthlint.providers.github.rules import RULES
from oauthlint.providers.github.snapshot import GitHubSnapshot, parse_snapshot, snapshot_for


class GitHubProvider(BaseProvider):
    name = "github"
    rules = RULES
    checks = CHECKS
    offline_scopes: tuple[str, ...] = ()
    """GitHub ignores scopes: refresh tokens come from the GitHub App's token-expiry setting, not a scope."""
    integration_keys: ClassVar[Mapping[str, type | tuple[type, ...]]] = {"host": str, "connect_template": str}

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> GitHubSnapshot:
        return parse_snapshot(data, integration, source)

    def fetch(self, integration: Integration, settings: Any) -> GitHubSnapshot:
        return snapshot_for(integration)


provider = GitHubProvider()
