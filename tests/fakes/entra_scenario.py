"""The standard live-test scenario for the Entra/Graph fake: ids, canary secrets, the Sales Dashboard app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.entra_graph import FakeEntra, Tenant
from oauthlint.model import AuthMode, AuthType, Integration, Secret
from oauthlint.providers.azure.settings import AzureSettings, parse_settings

TENANT_ID = "8d2a4f10-5b6c-4d7e-8f90-123456789abc"
READER_ID = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
READER_SECRET = "CANARY-reader~secret-value-7Qx"
APP_ID = "6f1c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
APP_OBJECT_ID = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
SP_ID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
GRAPH_SP_ID = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
APP_SECRET = "CANARY8Q~integration-secret-value-0001"
KEY_ID = "2b5f7c9e-1a3d-4e6f-8a0b-c1d2e3f4a5b6"
USER_READ = "e1fc6ea7-8bff-4b8e-8e94-0bffd3b6d9ec"
GRAPH = "00000003-0000-0000-c000-000000000000"
CANARIES = (READER_SECRET, APP_SECRET)
CALLBACK = "https://connect.example.com/__oauth__/integrations/callback"


def app_json(end: datetime | None = None) -> dict[str, Any]:
    end = end or datetime.now(UTC) + timedelta(days=200)
    return {
        "id": APP_OBJECT_ID,
        "appId": APP_ID,
        "displayName": "Sales Dashboard",
        "signInAudience": "AzureADMyOrg",
        "identifierUris": [],
        "isFallbackPublicClient": None,
        "web": {"redirectUris": [CALLBACK], "homePageUrl": None, "logoutUrl": None},
        "spa": {"redirectUris": []},
        "publicClient": {"redirectUris": []},
        "passwordCredentials": [
            {
                "customKeyIdentifier": None,
                "displayName": "connect",
                "endDateTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "hint": APP_SECRET[:3],
                "keyId": KEY_ID,
                "secretText": None,
                "startDateTime": (end - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ],
        "keyCredentials": [],
        "requiredResourceAccess": [{"resourceAppId": GRAPH, "resourceAccess": [{"id": USER_READ, "type": "Scope"}]}],
    }


@dataclass
class Live:
    fake: FakeEntra
    tenant: Tenant
    settings_raw: dict[str, Any]
    waits: list[float] = field(default_factory=list)

    def settings(self, **overrides: Any) -> AzureSettings:
        raw = {**self.settings_raw, **overrides}
        return parse_settings({k: v for k, v in raw.items() if v is not None}, "test: providers.azure")

    def integration(self, **overrides: Any) -> Integration:
        values: dict[str, Any] = {
            "name": "sales-dashboard",
            "provider": "azure",
            "auth_type": AuthType.VIEWER,
            "auth_mode": AuthMode.CONFIDENTIAL,
            "client_id": APP_ID,
            "client_secret": Secret(APP_SECRET, source="env:SALES_SECRET"),
            "scopes": ("openid", "profile", "offline_access", "https://graph.microsoft.com/User.Read"),
            "connect_server": "https://connect.example.com",
            "options": {"tenant_id": TENANT_ID},
        }
        values.update(overrides)
        return Integration(**values)
