"""Pure checks for GitHub integrations."""

from __future__ import annotations

from collections.abc import Iterator

from oauthlint.model import Finding, Integration
from oauthlint.providers.base import CheckContext, emits
from oauthlint.providers.github.client_id import AppKind, describe
from oauthlint.providers.github.rules import GH001
from oauthlint.providers.github.snapshot import GitHubSnapshot

NATIVE_TEMPLATE = "github"
"""``connect_template = "github"``: Connect's built-in GitHub template, which supports OAuth Apps itself."""


@emits(GH001)
def check_oauth_app(integration: Integration, snapshot: GitHubSnapshot, context: CheckContext) -> Iterator[Finding]:
    if not integration.needs_login or snapshot.kind is not AppKind.OAUTH_APP:
        return
    if str(integration.options.get("connect_template", "custom")).lower() == NATIVE_TEMPLATE:
        return
    yield Finding(
        GH001,
        integration=integration.name,
        provider="github",
        message=(
            f"Client id {snapshot.client_id!r} belongs to a GitHub OAuth App ({describe(snapshot.client_id)}); "
            "OAuth Apps never return refresh tokens, so Connect cannot keep viewers logged in. "
            "Use a GitHub App with expiring user tokens."
        ),
        resource=f"GitHub OAuth App {snapshot.client_id}",
        scope=snapshot.scope,
        object_id=snapshot.client_id,
    )


CHECKS = (check_oauth_app,)
