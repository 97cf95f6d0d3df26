"""The live fetcher: msal for tokens, Microsoft Graph v1.0 for the app registration. Read-only.

Per integration (https://learn.microsoft.com/graph/api/application-get and servicePrincipal-get):

1. ``GET /applications(appId='…')?$select=…`` (404: AZ001);
2. ``GET /servicePrincipals(appId='…')?$select=…`` (404: the app has no service principal in this tenant);
3. viewer integrations with API scopes: ``GET /servicePrincipals(appId='…')/oauth2PermissionGrants``
   (serviceprincipal-list-oauth2permissiongrants; needs :data:`GRANTS_PERMISSION`, else the check is OL005) and the resource service principals named by grants and requested scopes, cached
   per tenant for the run;
4. the AZ008 probe: a client-credentials token request with the integration's own secret, from a fresh msal
   app with its own empty token cache; the token is dropped unread.

Requests 1–4 run concurrently (on a per-tenant pool of long-lived workers), so one integration costs about one
round trip. With ``batch = true`` the GETs of all concurrent checks of a tenant are coalesced into Graph JSON
batches of up to 20 (graph.GraphBatcher). ``keyCredentials`` is left out
of ``$select`` here: Graph limits requests selecting it to 150 per minute per tenant (application-get), and the
tenant-wide scan (scan.py) lists certificates page by page instead.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from oauthlint.errors import ProviderError
from oauthlint.model import AuthMode, Integration
from oauthlint.providers.azure.checks import AADSTS_MESSAGES
from oauthlint.providers.azure.graph import (
    Deadline,
    GraphBatcher,
    GraphClient,
    MsalHttpClient,
    describe_transport_error,
    new_session,
)
from oauthlint.providers.azure.scopes import parse_scopes
from oauthlint.providers.azure.settings import AzureSettings, TenantSettings
from oauthlint.providers.azure.snapshot import AzureSnapshot, ProbeResult, is_guid, parse_application

log = logging.getLogger("oauthlint.azure")

APP_SELECT = (
    "id,appId,displayName,signInAudience,identifierUris,isFallbackPublicClient,web,spa,publicClient,"
    "passwordCredentials,requiredResourceAccess"
)
SP_SELECT = "id,appId,displayName,appOwnerOrganizationId,passwordCredentials"
GRANT_SELECT = "id,clientId,consentType,principalId,resourceId,scope"
RESOURCE_SP_SELECT = "id,appId,displayName,servicePrincipalNames,oauth2PermissionScopes"
GRANTS_PERMISSION = "Directory.Read.All"
KNOWN_AUTHORITY_HOSTS = frozenset(
    {"login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.microsoft.com"}
)
AADSTS_RE = re.compile(r"AADSTS(\d{5,7})")


def _authority(tenant: TenantSettings) -> str:
    return f"{tenant.authority_host}/{quote(tenant.tenant_id, safe='')}"


def _instance_discovery(tenant: TenantSettings) -> bool:
    """msal's instance discovery only knows Microsoft's hosts; a custom authority host turns it off."""
    return (urlsplit(tenant.authority_host).hostname or "").lower() in KNOWN_AUTHORITY_HOSTS


def _codes(text: str) -> tuple[int, ...]:
    return tuple(int(c) for c in AADSTS_RE.findall(text))


def _error_and_codes(result: dict[str, Any]) -> tuple[str, tuple[int, ...]]:
    """The OAuth ``error`` (only if it looks like one) and the AADSTS numbers of an msal error dict."""
    codes = tuple(int(c) for c in result.get("error_codes") or () if str(c).isdigit())
    codes = codes or _codes(str(result.get("error_description", "")))
    error = str(result.get("error", "error"))
    return (error if re.fullmatch(r"[a-z_]{1,40}", error) else "error"), codes


def _token_failure(result: dict[str, Any]) -> str:
    """One line from an msal error dict: the OAuth ``error`` and the AADSTS codes, never the description text
    beyond the code (it can quote the client id, but never a secret)."""
    error, codes = _error_and_codes(result)
    code_text = ", ".join(f"AADSTS{c}" for c in codes) if codes else "no AADSTS code"
    meaning = next((AADSTS_MESSAGES[c].split(" ", 1)[1] for c in codes if c in AADSTS_MESSAGES), "")
    return f"{error} ({code_text}{': ' + meaning if meaning else ''})"


def _client_credential(tenant: TenantSettings) -> Any:
    if tenant.client_secret is not None:
        return tenant.client_secret.reveal()
    path = tenant.certificate_path
    if path is None:
        raise ProviderError("azure", "token for Graph", "no client_secret or certificate_path configured")
    password = tenant.certificate_password.reveal() if tenant.certificate_password else None
    if path.suffix.lower() in (".pfx", ".p12"):
        credential: dict[str, Any] = {"private_key_pfx_path": str(path)}
        if password:
            credential["passphrase"] = password
        return credential
    try:
        pem = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProviderError(
            "azure", "token for Graph", f"cannot read certificate_path {path}: {exc.strerror}"
        ) from None
    thumbprint = tenant.certificate_thumbprint or _thumbprint(pem, path)
    credential = {"private_key": pem, "thumbprint": thumbprint}
    if password:
        credential["passphrase"] = password
    return credential


def _thumbprint(pem: str, path: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    match = re.search(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S)
    if not match:
        raise ProviderError(
            "azure", "token for Graph", f"{path} holds no certificate; add it or set certificate_thumbprint"
        )
    try:
        cert = x509.load_pem_x509_certificate(match.group(0).encode())
    except ValueError:
        raise ProviderError("azure", "token for Graph", f"{path}: the certificate does not parse") from None
    return cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - the x5t thumbprint Entra expects


_MSAL_READY = threading.Lock()
_msal_prepared = False


def _prepare_msal() -> None:
    """msal (1.30+) re-imports the optional ``msal_extensions`` on every app construction, just to check its
    version; when the package is absent each attempt walks sys.path (thousands of stat() calls per 500 probes).
    Run that check once per process instead."""
    global _msal_prepared
    with _MSAL_READY:
        if _msal_prepared:
            return
        _msal_prepared = True
        import msal.application

        check = getattr(msal.application, "_msal_extension_check", None)
        if callable(check):
            check()
            msal.application._msal_extension_check = lambda: None  # type: ignore[attr-defined]


def build_msal_app(
    client_id: str,
    credential: Any,
    tenant: TenantSettings,
    http: MsalHttpClient,
    operation: str,
    *,
    http_cache: dict[Any, Any] | None = None,
) -> Any:
    """A ConfidentialClientApplication with its own empty token cache (construction does OIDC discovery).

    ``http_cache`` (msal's cache of discovery documents and throttled error answers; never tokens or secrets)
    may be shared per tenant, so each probe does not repeat the OIDC discovery GET."""
    import msal

    if not _msal_prepared:
        _prepare_msal()
    try:
        return msal.ConfidentialClientApplication(
            client_id,
            client_credential=credential,
            authority=_authority(tenant),
            http_client=http,
            token_cache=msal.TokenCache(),
            instance_discovery=_instance_discovery(tenant),
            http_cache=http_cache,
        )
    except TimeoutError:
        raise ProviderError("azure", operation, f"gave up after the {http.deadline.seconds:g}s deadline") from None
    except requests.exceptions.RequestException as exc:
        host = urlsplit(tenant.authority_host).netloc
        raise ProviderError("azure", operation, describe_transport_error(exc, host)) from None
    except ValueError as exc:
        text = f"{exc} {exc.__context__ or ''}"  # msal re-raises discovery failures; the answer is in the context
        codes = _codes(text)
        if 90002 in codes or "OIDC Discovery failed" in text or "authority configuration" in text:
            suffix = f" (AADSTS{codes[0]})" if codes else ""
            raise ProviderError(
                "azure",
                operation,
                f"tenant '{tenant.tenant_id}' not found at {tenant.authority_host}{suffix}: wrong tenant id or cloud",
            ) from None
        raise ProviderError("azure", operation, f"msal rejected the configuration ({type(exc).__name__})") from None
    except Exception as exc:  # msal raises assorted errors (e.g. for a bad certificate); never echo their text
        raise ProviderError("azure", operation, f"msal could not be set up ({type(exc).__name__})") from None


def acquire(app: Any, scopes: list[str], operation: str, host: str) -> dict[str, Any]:
    try:
        result = app.acquire_token_for_client(scopes=scopes)
    except TimeoutError:
        raise ProviderError("azure", operation, "gave up: deadline reached") from None
    except requests.exceptions.RequestException as exc:
        raise ProviderError("azure", operation, describe_transport_error(exc, host)) from None
    except Exception as exc:  # msal raises on HTTP >= 500 (MsalServiceError "HTTP Error: 503")
        status = re.search(r"HTTP Error: (\d{3})", str(exc))
        what = f"HTTP {status.group(1)}" if status else type(exc).__name__
        raise ProviderError("azure", operation, f"Entra token endpoint failed ({what})") from None
    if not isinstance(result, dict):
        raise ProviderError("azure", operation, "msal returned no result")
    return result


class ReaderToken:
    """oauthlint's own Graph token for one tenant: one msal app per tenant per run (msal caches the token)."""

    def __init__(self, tenant: TenantSettings, session: requests.Session, http_cache: dict[Any, Any]) -> None:
        self._tenant = tenant
        self._http = MsalHttpClient(session, tenant.verify, tenant.timeout, Deadline(tenant.deadline))
        self._http_cache = http_cache
        self._lock = threading.Lock()
        self._app: Any = None
        self._failure: ProviderError | None = None
        self._token: str | None = None
        self._token_until = 0.0

    @property
    def tenant_guid(self) -> str:
        """The tenant's GUID as OIDC discovery reported it (tenant_id may be a domain name)."""
        authority = getattr(self._app, "authority", None)
        return str(getattr(authority, "tenant", "") or "")

    def token(self, deadline: Deadline) -> str:
        token, until = self._token, self._token_until
        if token is not None and time.monotonic() < until:
            return token
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self._token is not None and time.monotonic() < self._token_until:
                return self._token
            self._http.deadline = deadline
            try:
                if self._app is None:
                    self._app = build_msal_app(
                        self._tenant.client_id,
                        _client_credential(self._tenant),
                        self._tenant,
                        self._http,
                        "token for Graph",
                        http_cache=self._http_cache,
                    )
                result = acquire(
                    self._app,
                    [f"{self._tenant.graph_endpoint}/.default"],
                    "token for Graph",
                    urlsplit(self._tenant.authority_host).netloc,
                )
            except ProviderError as exc:
                if "not found at" in exc.reason:  # an unknown tenant stays unknown for the run
                    self._failure = exc
                raise  # network trouble, 5xx, deadlines: the next integration tries again
            token = result.get("access_token")
            if not isinstance(token, str):
                failure = ProviderError(
                    "azure",
                    "token for Graph",
                    f"Entra refused oauthlint's reader credentials: {_token_failure(result)}",
                )
                self._failure = failure  # refused credentials stay refused for the run; don't hammer Entra
                raise failure
            expires_in = result.get("expires_in")
            lifetime = float(expires_in) if isinstance(expires_in, int | float) else 300.0
            self._token, self._token_until = token, time.monotonic() + max(0.0, lifetime - 300.0)
            return token


@dataclass
class TenantRuntime:
    """Per-tenant state shared by all integrations of one run: HTTP session, reader token, resource cache."""

    tenant: TenantSettings
    session: requests.Session
    reader: ReaderToken
    resources: dict[str, dict[str, Any] | None]
    lock: threading.Lock
    http_cache: dict[Any, Any]
    batcher: GraphBatcher | None = None
    pool: ThreadPoolExecutor | None = None
    """Long-lived workers for the per-integration fan-out (creating threads per check serialises on
    concurrent.futures' global lock under load)."""

    def graph(self, deadline: Deadline) -> GraphClient:
        return GraphClient(
            batcher=self.batcher,
            endpoint=self.tenant.graph_endpoint,
            token=lambda: self.reader.token(deadline),
            session=self.session,
            verify=self.tenant.verify,
            timeout=self.tenant.timeout,
            max_retries=self.tenant.max_retries,
            deadline=deadline,
        )


_RUNTIMES: dict[int, TenantRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def runtime(tenant: TenantSettings) -> TenantRuntime:
    """The shared runtime of a tenant settings object (one per configured tenant per process)."""
    with _RUNTIMES_LOCK:
        found = _RUNTIMES.get(id(tenant))
        if found is None or found.tenant is not tenant:
            session = new_session(
                ca_bundle=str(tenant.ca_bundle) if tenant.ca_bundle else None,
                hosts=(tenant.authority_host, tenant.graph_endpoint),
            )
            http_cache: dict[Any, Any] = {}
            reader = ReaderToken(tenant, session, http_cache)
            batcher = (
                GraphBatcher(
                    endpoint=tenant.graph_endpoint,
                    session=session,
                    verify=tenant.verify,
                    token=reader.token,
                    deadline_seconds=tenant.deadline,
                )
                if tenant.batch
                else None
            )
            pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="oauthlint-azure")
            found = TenantRuntime(tenant, session, reader, {}, threading.Lock(), http_cache, batcher, pool)
            _RUNTIMES[id(tenant)] = found
        return found


def reset_runtimes() -> None:
    """Forget cached sessions and reader tokens (tests; long-running embedders between runs)."""
    with _RUNTIMES_LOCK:
        for rt in _RUNTIMES.values():
            if rt.batcher is not None:
                rt.batcher.close()
            if rt.pool is not None:
                rt.pool.shutdown(wait=False, cancel_futures=True)
            rt.session.close()
        _RUNTIMES.clear()


# --- the per-integration fetch ------------------------------------------------------------------------


def fetch_snapshot(integration: Integration, settings: AzureSettings) -> AzureSnapshot:
    tenant = settings.for_integration(integration)
    wanted = str(integration.options.get("tenant_id") or "")
    # Findings name the tenant as the integration does (offline and live fingerprints agree), unless the
    # integration named a [providers.azure] entry by its ``name``.
    scope = tenant.tenant_id if not wanted or wanted.lower() == tenant.name.lower() else wanted
    client_id = (integration.client_id or "").strip()
    if not client_id:
        raise ProviderError("azure", "live check", "the integration has no client_id")
    if not is_guid(client_id):
        return AzureSnapshot(scope=scope, app_id=client_id, found=False, source="live")
    rt = runtime(tenant)
    deadline = Deadline(tenant.deadline)
    graph = rt.graph(deadline)
    quoted = quote(client_id, safe="")
    wants_consent = integration.needs_login and any(
        p.resource is not None for p in parse_scopes(integration.scopes, None)
    )

    def get_app() -> Any:
        return graph.get(
            f"/applications(appId='{quoted}')",
            {"$select": APP_SELECT},
            operation=f"read app registration {client_id}",
            missing_ok=True,
        )

    def get_sp() -> Any:
        return graph.get(
            f"/servicePrincipals(appId='{quoted}')",
            {"$select": SP_SELECT},
            operation=f"read service principal of {client_id}",
            missing_ok=True,
        )

    def get_grants() -> list[dict[str, Any]] | ProviderError:
        """The consent grants; a missing permission costs only AZ010 (returned, reported as OL005 by the check)."""
        items: list[dict[str, Any]] = []
        try:
            for page in graph.pages(
                f"/servicePrincipals(appId='{quoted}')/oauth2PermissionGrants",
                {"$select": GRANT_SELECT},
                operation=f"read consent grants of {client_id}",
                needs=GRANTS_PERMISSION,
            ):
                items.extend(page)
        except ProviderError as exc:
            if exc.reason.startswith("HTTP 404"):  # no service principal, so no grants (not a $batch failure)
                return []
            if exc.reason.startswith("HTTP 403"):
                return exc
            raise
        return items

    rt.reader.token(deadline)  # fail fast (and once) on bad reader credentials, before fanning out
    pool = rt.pool
    assert pool is not None  # noqa: S101 - set by runtime()
    sp_future = pool.submit(get_sp)
    grants_future = pool.submit(get_grants) if wants_consent else None
    probe_future = pool.submit(run_probe, integration, tenant, rt, deadline, client_id)
    try:
        app = get_app()  # in this thread; a failure here is the failure to report
    except BaseException:
        _settle(sp_future, grants_future, probe_future)
        raise
    if app is None:  # no registration here: AZ001, unless it is another tenant's multi-tenant app
        _settle(sp_future, grants_future, probe_future)
        foreign = _foreign_owner(sp_future, {tenant.tenant_id.lower(), rt.reader.tenant_guid.lower()})
        if foreign:
            raise ProviderError(
                "azure",
                f"read app registration {client_id}",
                f"the app is registered in tenant {foreign}; tenant {tenant.tenant_id} holds only its service "
                f"principal. Add a [providers.azure] entry for {foreign} and set tenant_id = '{foreign}' on the "
                "integration to check the registration",
            )
    else:
        try:
            sp = sp_future.result()
            grants = grants_future.result() if grants_future is not None else None
            probe = probe_future.result()
        except BaseException:
            _settle(sp_future, grants_future, probe_future)
            raise
    if app is None:
        return AzureSnapshot(
            scope=scope,
            app_id=client_id,
            found=False,
            source="live",
            server_date=graph.server_date,
            observed_at=graph.observed_at,
        )
    document = dict(app)
    if sp is not None:
        document["servicePrincipal"] = sp
    consent_error = grants if isinstance(grants, ProviderError) else None
    if grants is not None and consent_error is None:
        document["oauth2PermissionGrants"] = grants
        document["resourceServicePrincipals"] = _resource_principals(rt, graph, integration, app, grants)
    try:
        snapshot = parse_application(
            document,
            tenant_id=scope,
            client_id=client_id,
            source=f"Graph ({tenant.graph_endpoint})",
            server_date=graph.server_date,
            observed_at=graph.observed_at,
        )
    except Exception as exc:
        raise ProviderError("azure", f"read app registration {client_id}", f"unexpected Graph answer: {exc}") from None
    consent_unreadable = f"{consent_error.operation} failed: {consent_error.reason}" if consent_error else None
    return replace(snapshot, probe=probe, consent_unreadable=consent_unreadable)


def _foreign_owner(sp_future: Future[Any], here: set[str]) -> str:
    """The owning tenant of a service principal whose application lives elsewhere ("" if none or unknown)."""
    if sp_future.exception() is not None:
        return ""
    sp = sp_future.result()
    owner = str(sp.get("appOwnerOrganizationId") or "") if isinstance(sp, dict) else ""
    return owner if owner and owner.lower() not in here else ""


def _settle(*futures: Future[Any] | None) -> None:
    """Wait for side requests whose answers are no longer needed (their errors included)."""
    for future in futures:
        if future is not None:
            future.exception()


def _resource_principals(
    rt: TenantRuntime, graph: GraphClient, integration: Integration, app: dict[str, Any], grants: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Service principals of the APIs the grants and the requested scopes name (cached per tenant)."""
    wanted: list[tuple[str, str]] = []
    for grant in grants:
        rid = grant.get("resourceId")
        if isinstance(rid, str) and rid:
            wanted.append(("id", rid))
    declared = {
        str(r.get("resourceAppId", "")).lower() for r in app.get("requiredResourceAccess") or () if isinstance(r, dict)
    }
    for parsed in parse_scopes(integration.scopes, None):
        if parsed.resource and is_guid(parsed.resource) and parsed.resource in declared and not parsed.is_default:
            wanted.append(("appId", parsed.resource))
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, key in wanted:
        cache_key = f"{kind}:{key.lower()}"
        if cache_key in seen:
            continue
        seen.add(cache_key)
        with rt.lock:
            cached = rt.resources.get(cache_key, False)
        if cached is False:
            path = f"/servicePrincipals/{quote(key, safe='')}" if kind == "id" else f"/servicePrincipals(appId='{key}')"
            cached = graph.get(
                path, {"$select": RESOURCE_SP_SELECT}, operation="read resource service principal", missing_ok=True
            )
            with rt.lock:
                rt.resources[cache_key] = cached
                if isinstance(cached, dict):
                    rt.resources[f"id:{str(cached.get('id', '')).lower()}"] = cached
                    rt.resources[f"appId:{str(cached.get('appId', '')).lower()}"] = cached
        if isinstance(cached, dict) and all(cached.get("id") != f.get("id") for f in found):
            found.append(cached)
    return found


# --- AZ008: the secret probe --------------------------------------------------------------------------


def run_probe(
    integration: Integration,
    tenant: TenantSettings,
    rt: TenantRuntime,
    deadline: Deadline,
    app_id: str,
    *,
    enabled: bool | None = None,
) -> ProbeResult:
    """Ask Entra for a client-credentials token with the integration's secret. The token is never kept."""
    if enabled is None:
        enabled = tenant.probe and integration.options.get("probe", True) is not False
    if not enabled:
        return ProbeResult(ok=True, skipped="probe disabled")
    secret = integration.client_secret
    if integration.auth_mode is not AuthMode.CONFIDENTIAL or secret is None or not secret:
        return ProbeResult(ok=True, skipped="no secret to probe")
    if is_guid(secret.reveal().strip()):
        return ProbeResult(ok=True, skipped="the secret is a Secret ID (AZ004)")
    http = MsalHttpClient(rt.session, tenant.verify, tenant.timeout, deadline)
    operation = f"probe the secret of {app_id}"
    app = build_msal_app(app_id, secret.reveal(), tenant, http, operation, http_cache=rt.http_cache)
    result = acquire(app, [f"{tenant.graph_endpoint}/.default"], operation, urlsplit(tenant.authority_host).netloc)
    token = result.pop("access_token", None)
    del app
    if isinstance(token, str) and token:
        del token
        return ProbeResult(ok=True)
    error, codes = _error_and_codes(result)
    return ProbeResult(ok=False, error=error, codes=codes)


__all__ = ["fetch_snapshot", "reset_runtimes", "run_probe", "runtime"]
