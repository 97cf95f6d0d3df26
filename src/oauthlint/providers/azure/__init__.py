"""The azure (Microsoft Entra ID) provider plug-in.

- ``snapshot.py``: typed snapshot, parsed from Graph ``application`` JSON (offline files and live answers);
- ``redirect.py`` / ``scopes.py``: Entra's redirect URI matching and scope → resource rules;
- ``checks.py``: pure checks (AZ001–AZ013);
- ``settings.py``: ``[providers.azure]``;
- ``fetch.py`` / ``graph.py`` / ``scan.py``: the live half (msal + Graph); imported only when used, so
  ``oauthlint --help`` never imports msal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from oauthlint.model import Credential, Finding, Integration
from oauthlint.providers.azure.checks import CHECKS
from oauthlint.providers.azure.rules import RULES
from oauthlint.providers.azure.settings import AzureSettings
from oauthlint.providers.azure.settings import parse_settings as _parse_settings
from oauthlint.providers.azure.snapshot import AzureCredential, AzureSnapshot, parse_application
from oauthlint.providers.base import BaseProvider


def to_credential(
    cred: AzureCredential,
    *,
    scope: str,
    owner_name: str,
    owner_id: str,
    object_type: str,
    integration: str = "",
    owners: tuple[str, ...] = (),
) -> Credential:
    return Credential(
        provider="azure",
        scope=scope,
        owner_name=owner_name,
        owner_id=owner_id,
        object_type=object_type,
        kind=cred.kind,
        name=cred.display_name,
        credential_id=cred.key_id,
        start=cred.start,
        end=cred.end,
        integration=integration,
        owners=owners,
        detail=f"usage {cred.usage}" if cred.usage else "",
    )


class AzureProvider(BaseProvider):
    name = "azure"
    rules = RULES
    checks = CHECKS
    integration_keys: ClassVar[Mapping[str, type | tuple[type, ...]]] = {
        "tenant_id": str,
        "resource": str,
        "probe": bool,
    }
    """``tenant_id``: the directory the app lives in (picks the ``[providers.azure]`` entry, names findings);
    ``resource``: the API the token is meant for (App ID URI or appId), so AZ009 can tell Graph-by-mistake;
    ``probe = false``: skip the AZ008 token probe for this integration (``--no-probe`` sets it)."""
    offline_scopes = ("offline_access",)

    def parse_settings(self, raw: Any, where: str) -> AzureSettings:
        return _parse_settings(raw, where)

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> AzureSnapshot:
        return parse_application(
            data,
            tenant_id=str(integration.options.get("tenant_id") or ""),
            client_id=integration.client_id or "",
            source=source,
        )

    def fetch(self, integration: Integration, settings: Any) -> AzureSnapshot:
        from oauthlint.providers.azure.fetch import fetch_snapshot

        if settings is None:
            settings = AzureSettings()
        return fetch_snapshot(integration, settings)

    def scan_credentials(
        self, settings: AzureSettings | None, *, owners: bool = False, tenant: str | None = None
    ) -> Iterator[Credential]:
        """Tenant-wide: every app's and service principal's credentials, streamed (``secrets --provider azure``)."""
        from oauthlint.providers.azure.scan import scan_credentials

        return scan_credentials(settings or AzureSettings(), owners=owners, tenant=tenant)

    def scan_findings(
        self, settings: AzureSettings | None, *, now: datetime, tenant: str | None = None
    ) -> Iterator[Finding]:
        """Tenant-wide hygiene findings AZ012/AZ013."""
        from oauthlint.providers.azure.scan import scan_findings

        return scan_findings(settings or AzureSettings(), now=now, tenant=tenant)

    def credentials(self, integration: Integration, snapshot: Any) -> Iterator[Credential]:
        if not isinstance(snapshot, AzureSnapshot) or not snapshot.found:
            return
        for cred in snapshot.password_credentials + snapshot.key_credentials:
            yield to_credential(
                cred,
                scope=snapshot.scope,
                owner_name=snapshot.display_name,
                owner_id=snapshot.app_id,
                object_type="application",
                integration=integration.name,
            )
        sp = snapshot.service_principal
        if sp is not None:
            for cred in sp.password_credentials + sp.key_credentials:
                yield to_credential(
                    cred,
                    scope=snapshot.scope,
                    owner_name=sp.display_name or snapshot.display_name,
                    owner_id=sp.app_id or snapshot.app_id,
                    object_type="servicePrincipal",
                    integration=integration.name,
                )


provider = AzureProvider()
