"""Scope → resource parsing (scopes-oidc doc rules)."""

from __future__ import annotations

import pytest

from oauthlint.providers.azure.scopes import GRAPH_APP_ID, parse_scope, parse_scopes, resource_aliases
from oauthlint.providers.azure.snapshot import parse_application

ALIASES = resource_aliases(None)
DATABRICKS = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"


@pytest.mark.parametrize(
    ("scope", "resource", "permission"),
    [
        ("offline_access", None, "offline_access"),
        ("OpenID", None, "openid"),
        ("User.Read", GRAPH_APP_ID, "User.Read"),
        ("https://graph.microsoft.com/User.Read", GRAPH_APP_ID, "User.Read"),
        ("https://graph.microsoft.com/.default", GRAPH_APP_ID, ".default"),
        ("https://graph.microsoft.us/.default", GRAPH_APP_ID, ".default"),
        (f"{GRAPH_APP_ID}/.default", GRAPH_APP_ID, ".default"),
        (f"{DATABRICKS}/.default", DATABRICKS, ".default"),
        (f"api://{DATABRICKS.upper()}/user_impersonation", DATABRICKS, "user_impersonation"),
        ("api://sales-api/access_as_user", "api://sales-api", "access_as_user"),
        ("https://database.windows.net//.default", "https://database.windows.net", ".default"),
        ("https://cognitiveservices.azure.com/.default", "https://cognitiveservices.azure.com", ".default"),
    ],
)
def test_parse_scope(scope: str, resource: str | None, permission: str) -> None:
    parsed = parse_scope(scope, ALIASES)
    assert parsed.resource == resource
    assert parsed.permission == permission


def test_identifier_uris_and_resource_principals_are_aliases() -> None:
    app_id = "6f1c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
    snap = parse_application(
        {
            "appId": app_id,
            "identifierUris": ["api://sales-dashboard"],
            "resourceServicePrincipals": [
                {
                    "id": "x",
                    "appId": DATABRICKS,
                    "displayName": "AzureDatabricks",
                    "servicePrincipalNames": ["https://azuredatabricks.net"],
                }
            ],
        }
    )
    parsed = parse_scopes(
        ["api://sales-dashboard/read", f"api://{app_id}/write", "https://azuredatabricks.net/user_impersonation"], snap
    )
    assert [p.resource for p in parsed] == [app_id, app_id, DATABRICKS]
    assert parsed[2].label == "AzureDatabricks"


def test_app_id_uri_without_permission() -> None:
    parsed = parse_scope("api://sales-api/", ALIASES)
    assert parsed.resource == "api://sales-api" and parsed.permission == ""
    assert parse_scope(f"api://{DATABRICKS}", ALIASES).resource == DATABRICKS
