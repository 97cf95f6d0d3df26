"""``[providers.azure]``: the read-only Graph credentials oauthlint uses, one set per tenant.

One tenant::

    [providers.azure]
    tenant_id = "contoso.onmicrosoft.com"      # or the tenant GUID
    client_id = "…"                            # an app with Application.Read.All (application permission),
                                               # plus Directory.Read.All for viewer integrations with API
                                               # scopes (consent grants, AZ010; without it: OL005)
    client_secret = "${env:OAUTHLINT_AZURE_SECRET}"
    # or: certificate_path = "reader.pem" (private key + certificate), certificate_password, certificate_thumbprint
    cloud = "public"                           # public | usgov | china
    # authority_host = "https://login.example"  graph_endpoint = "https://graph.example"  (override the cloud)
    ca_bundle = "/etc/ssl/corp-ca.pem"         # corporate TLS interception
    timeout = 30                               # seconds per HTTP request
    deadline = 120                             # seconds for one integration (all requests and retries)
    max_retries = 4                            # on 429/503/504 (Retry-After honoured) and connection errors
    probe = true                               # AZ008: try a token request with each integration's secret
    page_size = 999                            # $top for the tenant-wide credential scan (1–999)
    batch = false                              # true: coalesce the GETs of concurrent checks into Graph JSON
                                               # batches of 20 (POST /$batch carrying GETs only); for big configs

Several tenants: an array of tables, ``[[providers.azure]]``, each with its own ``tenant_id`` and credentials.
An integration picks the entry whose ``tenant_id`` equals its own ``tenant_id`` key; with a single entry an
integration without ``tenant_id`` uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oauthlint.errors import ConfigError, ProviderError
from oauthlint.model import Integration, Secret
from oauthlint.validation import reject_unknown_keys

CLOUDS: dict[str, tuple[str, str]] = {
    "public": ("https://login.microsoftonline.com", "https://graph.microsoft.com"),
    "usgov": ("https://login.microsoftonline.us", "https://graph.microsoft.us"),
    "china": ("https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"),
}
KEYS = (
    "name",
    "tenant_id",
    "client_id",
    "client_secret",
    "certificate_path",
    "certificate_password",
    "certificate_thumbprint",
    "cloud",
    "authority_host",
    "graph_endpoint",
    "ca_bundle",
    "timeout",
    "deadline",
    "max_retries",
    "probe",
    "page_size",
    "batch",
)


@dataclass(frozen=True)
class TenantSettings:
    tenant_id: str
    client_id: str
    client_secret: Secret | None = None
    certificate_path: Path | None = None
    certificate_password: Secret | None = None
    certificate_thumbprint: str = ""
    cloud: str = "public"
    authority_host: str = CLOUDS["public"][0]
    graph_endpoint: str = CLOUDS["public"][1]
    ca_bundle: Path | None = None
    timeout: float = 30.0
    deadline: float = 120.0
    max_retries: int = 4
    probe: bool = True
    page_size: int = 999
    name: str = ""
    batch: bool = False

    @property
    def label(self) -> str:
        return self.name or self.tenant_id

    @property
    def verify(self) -> str | bool:
        """What to pass as ``verify=`` on every request (never left to REQUESTS_CA_BUNDLE's override)."""
        return str(self.ca_bundle) if self.ca_bundle else True


@dataclass(frozen=True)
class AzureSettings:
    tenants: tuple[TenantSettings, ...] = field(default_factory=tuple)

    def for_integration(self, integration: Integration) -> TenantSettings:
        """The tenant entry for this integration (raise ProviderError when none fits)."""
        wanted = str(integration.options.get("tenant_id") or "").strip().lower()
        if wanted:
            for tenant in self.tenants:
                if tenant.tenant_id.lower() == wanted or tenant.name.lower() == wanted:
                    return tenant
            if not self.tenants:
                raise ProviderError("azure", "live check", "no [providers.azure] credentials are configured")
            raise ProviderError("azure", "live check", f"no [providers.azure] entry has tenant_id = '{wanted}'")
        if len(self.tenants) == 1:
            return self.tenants[0]
        if not self.tenants:
            raise ProviderError("azure", "live check", "no [providers.azure] credentials are configured")
        raise ProviderError(
            "azure",
            "live check",
            "several [[providers.azure]] tenants are configured; set tenant_id on the integration",
        )

    def tenant(self, name_or_id: str | None = None) -> list[TenantSettings]:
        """Tenants selected by ``--tenant`` (name or id), or all."""
        if not name_or_id:
            return list(self.tenants)
        wanted = name_or_id.strip().lower()
        return [t for t in self.tenants if wanted in (t.tenant_id.lower(), t.name.lower())]

    def with_overrides(self, **changes: Any) -> AzureSettings:
        """E.g. ``settings.with_overrides(probe=False)`` for ``--no-probe``."""
        return AzureSettings(tuple(replace(t, **changes) for t in self.tenants))


def parse_settings(raw: Any, where: str) -> AzureSettings:
    """Validate ``[providers.azure]`` (a table) or ``[[providers.azure]]`` (an array of tables)."""
    if raw is None:
        return AzureSettings()
    if isinstance(raw, Mapping):
        return AzureSettings((parse_tenant(raw, where),))
    if isinstance(raw, list):
        tenants = tuple(parse_tenant(item, f"{where}[{n}]") for n, item in enumerate(raw))
        seen: set[str] = set()
        for n, tenant in enumerate(tenants):
            key = tenant.tenant_id.lower()
            if key in seen:
                raise ConfigError(f"{where}[{n}].tenant_id: tenant '{tenant.tenant_id}' is configured twice")
            seen.add(key)
        return AzureSettings(tenants)
    raise ConfigError(f"{where}: expected a table or an array of tables, got {type(raw).__name__}")


def _secret(value: Any, where: str) -> Secret | None:
    if value is None or value == "":
        return None
    if isinstance(value, Secret):
        return value
    if isinstance(value, str):
        return Secret(value, source=where)
    raise ConfigError(f"{where}: expected a string or a ${{env:VAR}} / ${{file:PATH}} reference")


def _text(raw: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}: expected a string, got {type(value).__name__}")
    return value.strip()


def _https(value: str, where: str) -> str:
    if not value.startswith("https://"):
        raise ConfigError(f"{where}: must be an https:// URL (msal and Graph require TLS), got '{value}'")
    return value.rstrip("/")


def _number(raw: Mapping[str, Any], key: str, where: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{where}.{key}: expected a positive number of seconds, got {value!r}")
    return float(value)


def parse_tenant(raw: Any, where: str) -> TenantSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table, got {type(raw).__name__}")
    reject_unknown_keys(raw, KEYS, where)
    tenant_id = _text(raw, "tenant_id", where)
    client_id = _text(raw, "client_id", where)
    if not tenant_id:
        raise ConfigError(f"{where}.tenant_id: required (the directory/tenant id or a verified domain)")
    if tenant_id.lower() in ("common", "organizations", "consumers"):
        raise ConfigError(f"{where}.tenant_id: '{tenant_id}' is not a tenant; client credentials need a tenant id")
    if not client_id:
        raise ConfigError(f"{where}.client_id: required (the appId of oauthlint's read-only app registration)")
    secret = _secret(raw.get("client_secret"), f"{where}.client_secret")
    cert_path = _text(raw, "certificate_path", where)
    if secret is None and not cert_path:
        raise ConfigError(f"{where}: set client_secret or certificate_path for the Graph reader app")
    if secret is not None and cert_path:
        raise ConfigError(f"{where}: set either client_secret or certificate_path, not both")
    cloud = _text(raw, "cloud", where, "public").lower()
    if cloud not in CLOUDS:
        raise ConfigError(f"{where}.cloud: unknown cloud '{cloud}'; expected one of {', '.join(CLOUDS)}")
    authority, graph = CLOUDS[cloud]
    if "authority_host" in raw:
        authority = _https(_text(raw, "authority_host", where), f"{where}.authority_host")
    if "graph_endpoint" in raw:
        graph = _https(_text(raw, "graph_endpoint", where), f"{where}.graph_endpoint")
    ca_bundle = _text(raw, "ca_bundle", where)
    retries = raw.get("max_retries", 4)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 20:
        raise ConfigError(f"{where}.max_retries: expected an integer from 0 to 20, got {retries!r}")
    probe = raw.get("probe", True)
    if not isinstance(probe, bool):
        raise ConfigError(f"{where}.probe: expected true or false, got {probe!r}")
    batch = raw.get("batch", False)
    if not isinstance(batch, bool):
        raise ConfigError(f"{where}.batch: expected true or false, got {batch!r}")
    page_size = raw.get("page_size", 999)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 999:
        raise ConfigError(f"{where}.page_size: expected an integer from 1 to 999, got {page_size!r}")
    return TenantSettings(
        tenant_id=tenant_id,
        client_id=client_id,
        client_secret=secret,
        certificate_path=Path(cert_path) if cert_path else None,
        certificate_password=_secret(raw.get("certificate_password"), f"{where}.certificate_password"),
        certificate_thumbprint=_text(raw, "certificate_thumbprint", where).replace(":", ""),
        cloud=cloud,
        authority_host=authority,
        graph_endpoint=graph,
        ca_bundle=Path(ca_bundle) if ca_bundle else None,
        timeout=_number(raw, "timeout", where, 30.0),
        deadline=_number(raw, "deadline", where, 120.0),
        max_retries=retries,
        probe=probe,
        page_size=page_size,
        name=_text(raw, "name", where),
        batch=batch,
    )
