"""GitHub provider: client id classification, the offline fetch, GH001 fixtures and the catalog entry."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration, Severity
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.base import CheckContext
from oauthlint.providers.github import provider
from oauthlint.providers.github.client_id import AppKind, classify_client_id
from oauthlint.registry import registry
from oauthlint.rules import catalog
from test_rule_fixtures import RULES_DIR, run_fixture

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)


@pytest.mark.parametrize(
    ("client_id", "kind"),
    [
        ("Iv23liKagsdSr7lkx7M5", AppKind.GITHUB_APP),  # S4, a real GitHub App
        ("Iv23f8doAlphaNumer1c", AppKind.GITHUB_APP),  # GitHub changelog 2024-05-01
        ("Iv1.0123456789abcdef", AppKind.GITHUB_APP),
        ("Ov23liAbCdEfGhIjKlMn", AppKind.OAUTH_APP),
        ("0123456789abcdef0123", AppKind.OAUTH_APP),
        ("0123456789ABCDEF0123", AppKind.UNKNOWN),  # legacy ids are lower-case hex
        ("Iv1.0123456789abcdeg", AppKind.UNKNOWN),
        ("Ov23liAbCdEfGhIjKlM", AppKind.UNKNOWN),
        (" Ov23liAbCdEfGhIjKlMn ", AppKind.OAUTH_APP),
        ("", AppKind.UNKNOWN),
        (None, AppKind.UNKNOWN),
    ],
)
def test_classify_client_id(client_id: str | None, kind: AppKind) -> None:
    assert classify_client_id(client_id) is kind


def test_catalog_entry_is_the_contract() -> None:
    rule = catalog()["GH001"]
    assert (rule.name, rule.severity, rule.provider) == ("github-oauth-app-no-refresh", Severity.ERROR, "github")


def test_fetch_needs_no_network_and_ignores_scopes() -> None:
    integration = Integration(name="x", provider="github", client_id="Ov23liAbCdEfGhIjKlMn", scopes=("offline_access",))
    snapshot = provider.fetch(integration, None)
    assert snapshot.kind is AppKind.OAUTH_APP and snapshot.scope == "github.com"
    assert provider.offline_scopes == ()
    findings = provider.check(integration, snapshot, CheckContext(now=datetime.now(UTC)))
    assert [f.code for f in findings] == ["GH001"]
    assert findings[0].object_id == "Ov23liAbCdEfGhIjKlMn"


def test_github_app_object_snapshot_must_match_client_id() -> None:
    integration = Integration(name="x", provider="github", client_id="Iv23liKagsdSr7lkx7M5")
    app = {"slug": "connect-viewer", "client_id": "Iv23liKagsdSr7lkx7M5", "owner": {"login": "acme"}}
    assert provider.parse_snapshot(app, integration, "app.json").kind is AppKind.GITHUB_APP
    with pytest.raises(SnapshotError, match="not the integration's"):
        provider.parse_snapshot({**app, "client_id": "Iv23liOtherOtherOther"}, integration, "app.json")
    with pytest.raises(SnapshotError, match="JSON object"):
        provider.parse_snapshot([], integration, "app.json")


@pytest.mark.parametrize("path", sorted((RULES_DIR / "GH001").glob("*.json")), ids=lambda p: p.stem)
def test_gh001_fixture(path: Path) -> None:
    codes = run_fixture(path)
    assert ("GH001" in codes) is path.stem.startswith("fires_"), codes
    assert "OL001" not in codes  # GitHub ignores scopes: no offline-scope finding
