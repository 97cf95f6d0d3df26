"""Tenant-wide credential scan: every application's and service principal's secrets and certificates.

Streams page by page (``$top`` up to 999, ``@odata.nextLink``; https://learn.microsoft.com/graph/paging):
applications and service principals are listed concurrently, each prefetching its next page, and handed over
through a two-page queue, so memory stays at a few pages whatever the tenant size. Only metadata is read; Graph never returns secret values after
creation (https://learn.microsoft.com/graph/api/resources/passwordcredential).

- ``scan_credentials(settings, owners=…, tenant=…)`` yields :class:`oauthlint.model.Credential` for
  ``oauthlint secrets --provider azure``;
- ``scan_findings(settings, now=…, tenant=…)`` yields the hygiene findings AZ012/AZ013 for the same objects.

``keyCredentials`` in ``$select`` is limited to 150 requests per minute per tenant (application-get); at 999
objects per page that is about 150,000 objects a minute, and a 429 is retried after its ``Retry-After``.
A tenant that fails does not stop the others: the scan continues and raises one ProviderError naming every
failed tenant at the end. Service principals owned by Microsoft's own tenant (first-party apps) are skipped:
their credentials are not the tenant's to rotate.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Credential, Finding
from oauthlint.providers.azure import to_credential
from oauthlint.providers.azure.checks import hygiene_findings
from oauthlint.providers.azure.fetch import runtime
from oauthlint.providers.azure.graph import Deadline, GraphClient
from oauthlint.providers.azure.settings import AzureSettings, TenantSettings
from oauthlint.providers.azure.snapshot import AzureCredential, parse_credentials

MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
"""appOwnerOrganizationId of Microsoft's first-party service principals."""
APP_FIELDS = "id,appId,displayName,passwordCredentials,keyCredentials"
SP_FIELDS = "id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,passwordCredentials,keyCredentials"
OWNER_EXPAND = "owners($select=id,displayName,mail,userPrincipalName)"


class _PageDeadline:
    """A scan takes as long as the tenant is big: the deadline budget applies to each page, not the whole scan."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.current = Deadline(seconds)

    def renew(self) -> Deadline:
        self.current = Deadline(self.seconds)
        return self.current


class _ScanGraph(GraphClient):
    def __init__(self, tenant: TenantSettings) -> None:
        rt = runtime(tenant)
        self._pages = _PageDeadline(tenant.deadline)
        super().__init__(
            endpoint=tenant.graph_endpoint,
            token=lambda: rt.reader.token(self.deadline),
            session=rt.session,
            verify=tenant.verify,
            timeout=tenant.timeout,
            max_retries=tenant.max_retries,
            deadline=self._pages.current,
        )

    def _send(self, url: str, params: Any, operation: str) -> Any:
        self.deadline = self._pages.renew()
        return super()._send(url, params, operation)


Entry = tuple[str, dict[str, Any], tuple[AzureCredential, ...]]


def _object_pages(tenant: TenantSettings, kind: str, *, owners: bool) -> Iterator[list[Entry]]:
    """Per page: (object type, object, credentials) of each application or service principal with credentials."""
    graph = _ScanGraph(tenant)
    fields = APP_FIELDS if kind == "applications" else SP_FIELDS
    params = {"$select": fields, "$top": str(tenant.page_size)}
    if owners:
        params["$expand"] = OWNER_EXPAND
    object_type = "application" if kind == "applications" else "servicePrincipal"
    where = f"list {kind} in tenant {tenant.label}"
    for page in graph.pages(f"/{kind}", params, operation=where, prefetch=True):
        entries: list[Entry] = []
        for obj in page:
            if not isinstance(obj, dict):
                raise ProviderError("azure", where, "malformed JSON from Graph (an entry is not an object)")
            if kind == "servicePrincipals" and str(obj.get("appOwnerOrganizationId") or "").lower() == MICROSOFT_TENANT:
                continue
            try:
                creds = parse_credentials(
                    obj.get("passwordCredentials") or [], "password", f"{where}: passwordCredentials"
                ) + parse_credentials(obj.get("keyCredentials") or [], "certificate", f"{where}: keyCredentials")
            except Exception as exc:
                raise ProviderError("azure", where, f"unexpected Graph answer: {exc}") from None
            if creds:
                entries.append((object_type, obj, creds))
        yield entries


def _objects(tenant: TenantSettings, *, owners: bool) -> Iterator[Entry]:
    """Applications and service principals, listed concurrently; pages are handed over through a small queue,
    so at most a few pages are in memory whatever the tenant size."""
    streams = [_object_pages(tenant, kind, owners=owners) for kind in ("applications", "servicePrincipals")]
    pages: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce(stream: Iterator[list[Entry]]) -> None:
        try:
            for page in stream:
                if not put(("page", page)):
                    return
            put(("done", None))
        except BaseException as exc:  # handed to the consumer, raised there
            put(("error", exc))
        finally:
            stream.close()  # type: ignore[attr-defined]

    threads = [threading.Thread(target=produce, args=(s,), name="oauthlint-azure-scan", daemon=True) for s in streams]
    for thread in threads:
        thread.start()
    try:
        running = len(threads)
        while running:
            kind, item = pages.get()
            if kind == "page":
                yield from item
            elif kind == "done":
                running -= 1
            else:
                raise item
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _owner_names(obj: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for owner in obj.get("owners") or ():
        if not isinstance(owner, dict):
            continue
        name = owner.get("displayName") or owner.get("userPrincipalName") or owner.get("id") or ""
        mail = owner.get("mail") or owner.get("userPrincipalName")
        names.append(f"{name} <{mail}>" if mail and mail != name else str(name))
    return tuple(names)


def _tenants(settings: AzureSettings, tenant: str | None) -> list[TenantSettings]:
    chosen = settings.tenant(tenant)
    if not chosen:
        which = f" named '{tenant}'" if tenant else ""
        raise ProviderError("azure", "tenant scan", f"no [providers.azure] tenant{which} is configured")
    return chosen


def scan_credentials(
    settings: AzureSettings, *, owners: bool = False, tenant: str | None = None
) -> Iterator[Credential]:
    """Every password and certificate credential of every application and service principal, streamed."""
    failures: list[str] = []
    for entry in _tenants(settings, tenant):
        try:
            for object_type, obj, creds in _objects(entry, owners=owners):
                names = _owner_names(obj) if owners else ()
                for cred in creds:
                    yield to_credential(
                        cred,
                        scope=entry.tenant_id,
                        owner_name=str(obj.get("displayName") or ""),
                        owner_id=str(obj.get("appId") or obj.get("id") or ""),
                        object_type=object_type,
                        owners=names,
                    )
        except ProviderError as exc:
            failures.append(f"tenant {entry.label}: {exc.operation}: {exc.reason}")
    if failures:
        raise ProviderError("azure", "tenant scan", "; ".join(failures))


def scan_findings(settings: AzureSettings, *, now: datetime, tenant: str | None = None) -> Iterator[Finding]:
    """AZ012 (no end date / over two years) and AZ013 (expired, still attached) across whole tenants.

    Findings carry ``integration = "tenant <name or id>"`` and ``scope`` = the tenant id."""
    failures: list[str] = []
    for entry in _tenants(settings, tenant):
        try:
            for object_type, obj, creds in _objects(entry, owners=False):
                app_id = str(obj.get("appId") or "")
                name = f" '{obj['displayName']}'" if obj.get("displayName") else ""
                if object_type == "application":
                    owner, resource = app_id, f"app registration{name} (appId {app_id})"
                else:
                    owner, resource = f"sp:{obj.get('id')}", f"service principal{name} (appId {app_id})"
                yield from hygiene_findings(
                    ((object_type, owner, c) for c in creds),
                    now=now,
                    integration=f"tenant {entry.label}",
                    scope=entry.tenant_id,
                    resource=resource,
                )
        except ProviderError as exc:
            failures.append(f"tenant {entry.label}: {exc.operation}: {exc.reason}")
    if failures:
        raise ProviderError("azure", "tenant scan", "; ".join(failures))
