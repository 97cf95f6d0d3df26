"""The local Entra + Graph fake (started once per session) and a standard tenant for live tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2]))

from fakes.entra_graph import READ_APPS, READ_DIRECTORY, FakeEntra
from fakes.entra_scenario import (
    APP_ID,
    APP_SECRET,
    GRAPH,
    GRAPH_SP_ID,
    READER_ID,
    READER_SECRET,
    SP_ID,
    TENANT_ID,
    USER_READ,
    Live,
    app_json,
)
from oauthlint.providers.azure import graph as graph_module
from oauthlint.providers.azure.fetch import reset_runtimes


@pytest.fixture(scope="session")
def entra_fake() -> Iterator[FakeEntra]:
    fake = FakeEntra().start()
    yield fake
    fake.stop()


@pytest.fixture
def live(entra_fake: FakeEntra, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """A tenant with the Sales Dashboard app (secret valid, admin consent for User.Read) and a reader app."""
    entra_fake.reset()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    tenant = entra_fake.add_tenant(TENANT_ID, "contoso.onmicrosoft.com")
    tenant.add_client(READER_ID, secret=READER_SECRET, roles={READ_APPS, READ_DIRECTORY})
    tenant.add_client(APP_ID, secret=APP_SECRET, expires=datetime.now(UTC) + timedelta(days=200))
    tenant.apps.append(app_json())
    tenant.service_principals.append(
        {
            "id": SP_ID,
            "appId": APP_ID,
            "displayName": "Sales Dashboard",
            "appOwnerOrganizationId": TENANT_ID,
            "passwordCredentials": [],
            "keyCredentials": [],
        }
    )
    tenant.service_principals.append(
        {
            "id": GRAPH_SP_ID,
            "appId": GRAPH,
            "displayName": "Microsoft Graph",
            "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
            "servicePrincipalNames": ["https://graph.microsoft.com", GRAPH],
            "oauth2PermissionScopes": [{"id": USER_READ, "value": "User.Read"}],
            "passwordCredentials": [],
            "keyCredentials": [],
        }
    )
    tenant.grants.append(
        {
            "id": "grant-1",
            "clientId": SP_ID,
            "consentType": "AllPrincipals",
            "principalId": None,
            "resourceId": GRAPH_SP_ID,
            "scope": "openid profile offline_access User.Read",
        }
    )
    state = Live(
        entra_fake,
        tenant,
        {
            "tenant_id": TENANT_ID,
            "client_id": READER_ID,
            "client_secret": READER_SECRET,
            "authority_host": entra_fake.base_url,
            "graph_endpoint": entra_fake.base_url,
            "ca_bundle": str(entra_fake.ca_path),
            "timeout": 5,
            "deadline": 20,
            "max_retries": 3,
        },
    )
    monkeypatch.setattr(graph_module, "SLEEP", state.waits.append)
    reset_runtimes()
    yield state
    reset_runtimes()
