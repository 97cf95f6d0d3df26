"""The deployment gate's checks (pure): CN001 (content without integrations), CN002 (sessions without refresh)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from oauthlint.model import Finding
from oauthlint.providers.connect.rules import CN001, CN002

SERVICE_ACCOUNT = "service account"


def check_content(scope: str, content_guid: str, associations: Sequence[Mapping[str, Any]]) -> Iterable[Finding]:
    """CN001 when the content item has no OAuth integration associated."""
    if associations:
        return
    yield Finding(
        CN001,
        integration=f"content {content_guid}",
        provider="connect",
        message=(
            f"Content {content_guid} has no OAuth integration associated, so every credential request from it "
            "fails; associate the integration in the content's Access settings."
        ),
        resource=f"content {content_guid}",
        scope=scope,
        object_id=content_guid,
    )


def check_sessions(
    scope: str,
    associations: Sequence[Mapping[str, Any]],
    sessions: Sequence[Mapping[str, Any]],
    names: Mapping[str, str] | None = None,
) -> Iterable[Finding]:
    """CN002 once per associated viewer integration whose sessions include ``has_refresh_token: false``.

    ``names`` maps a Connect integration guid to the oauthlint integration name (default: Connect's name).
    """
    integrations: dict[str, str] = {}
    for assoc in associations:
        guid = str(assoc.get("oauth_integration_guid") or "")
        auth_type = str(assoc.get("oauth_integration_auth_type") or "").strip().lower()
        if guid and auth_type != SERVICE_ACCOUNT:
            integrations.setdefault(guid, str(assoc.get("oauth_integration_name") or guid))
    for guid, connect_name in integrations.items():
        own = [s for s in sessions if s.get("oauth_integration_guid") == guid]
        without = [s for s in own if s.get("has_refresh_token") is False]
        if not without:
            continue
        name = (names or {}).get(guid, connect_name)
        yield Finding(
            CN002,
            integration=name,
            provider="connect",
            message=(
                f"{len(without)} of {len(own)} OAuth sessions of integration '{connect_name}' have no refresh "
                "token; those viewers get 'No refresh token found' once their access token expires. Fix the "
                "provider side, then have them log in again."
            ),
            resource=f"OAuth integration '{connect_name}' ({guid})",
            scope=scope,
            object_id=guid,
        )
