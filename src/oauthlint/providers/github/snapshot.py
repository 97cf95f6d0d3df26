"""The GitHub "snapshot": what the client id says about the app, no network needed.

``parse_snapshot`` accepts ``{}`` or ``{"host": "github.example.com"}`` (GitHub Enterprise Server), or a
GitHub App object as ``GET /apps/{app_slug}`` returns it (its ``client_id`` must match the integration's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration
from oauthlint.providers.github.client_id import AppKind, classify_client_id

DEFAULT_HOST = "github.com"


@dataclass(frozen=True)
class GitHubSnapshot:
    client_id: str
    kind: AppKind
    scope: str = DEFAULT_HOST
    """The GitHub host (github.com or a GitHub Enterprise Server hostname)."""
    server_date: datetime | None = None
    observed_at: datetime | None = None


def snapshot_for(integration: Integration, host: str | None = None) -> GitHubSnapshot:
    client_id = (integration.client_id or "").strip()
    host = host or str(integration.options.get("host") or DEFAULT_HOST)
    return GitHubSnapshot(client_id=client_id, kind=classify_client_id(client_id), scope=host.lower())


def parse_snapshot(data: Any, integration: Integration, source: str) -> GitHubSnapshot:
    if not isinstance(data, Mapping):
        raise SnapshotError(f"{source}: a github snapshot is a JSON object ({{}} or a GitHub App object)")
    host = data.get("host")
    if host is not None and not isinstance(host, str):
        raise SnapshotError(f"{source}: host: expected a string")
    snapshot = snapshot_for(integration, host)
    app_client_id = data.get("client_id")
    if isinstance(app_client_id, str) and "slug" in data:
        if app_client_id != snapshot.client_id:
            raise SnapshotError(
                f"{source}: GitHub App {data.get('slug')!r} has client_id {app_client_id!r}, "
                f"not the integration's {snapshot.client_id!r}"
            )
        return GitHubSnapshot(client_id=snapshot.client_id, kind=AppKind.GITHUB_APP, scope=snapshot.scope)
    return snapshot
