"""Pure checks for Entra ID app registrations: ``(integration, AzureSnapshot, context) -> findings``.

No I/O here. Each function is marked with the rules it emits (``@emits``), so ``grep AZ003`` finds it.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from oauthlint.model import AuthMode, AuthType, Finding, Integration, Rule
from oauthlint.providers.azure import redirect
from oauthlint.providers.azure.rules import (
    AZ001,
    AZ002,
    AZ003,
    AZ004,
    AZ005,
    AZ006,
    AZ007,
    AZ008,
    AZ009,
    AZ010,
    AZ011,
    AZ012,
    AZ013,
)
from oauthlint.providers.azure.scopes import GRAPH_APP_ID, OIDC_SCOPES, expected_resource_key, parse_scopes
from oauthlint.providers.azure.snapshot import AzureCredential, AzureSnapshot, ServicePrincipal, is_guid
from oauthlint.providers.base import CheckContext, emits
from oauthlint.rules import OL005

PROVIDER = "azure"
MAX_LIFETIME = timedelta(days=731)
"""Two years: 730 days, 731 when the period spans 29 February (the portal's "24 months")."""
AADSTS_MESSAGES: dict[int, str] = {
    7000215: "AADSTS7000215 invalid client secret (wrong value, or the secret ID was given instead of the value)",
    7000222: "AADSTS7000222 the client secret has expired",
    70002: "AADSTS70002 the client secret does not match",
    700016: "AADSTS700016 no application with this client id in the tenant",
    700011: "AADSTS700011 no application with this client id in the directory",
    7000112: "AADSTS7000112 the application is disabled",
    90002: "AADSTS90002 the tenant was not found",
    700025: "AADSTS700025 the app is a public client and must not present a secret",
    53003: "AADSTS53003 blocked by Conditional Access",
}


def _finding(
    rule: Rule, integration: Integration, snapshot: AzureSnapshot, message: str, object_id: str = ""
) -> Finding:
    return Finding(
        rule,
        integration=integration.name,
        provider=PROVIDER,
        message=message,
        resource=snapshot.resource,
        scope=snapshot.scope,
        object_id=object_id or snapshot.app_id,
    )


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


# --- AZ001 ---------------------------------------------------------------------------------------------


@emits(AZ001)
def check_app_found(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ001: no app with this appId. Offline: the snapshot says so (empty ``value``), or it is of another app."""
    client_id = (integration.client_id or "").strip()
    tenant = f" in tenant {snapshot.scope}" if snapshot.scope else ""
    if not snapshot.found:
        yield _finding(
            AZ001,
            integration,
            snapshot,
            f"No app registration with appId {client_id or '?'} exists{tenant}.",
            object_id=client_id,
        )
    elif client_id and snapshot.app_id.lower() != client_id.lower():
        yield _finding(
            AZ001,
            integration,
            snapshot,
            f"The integration's client id {client_id} is not the appId of the snapshot's app registration "
            f"({snapshot.app_id}): either Connect holds a wrong client id or the snapshot is of another app.",
            object_id=client_id,
        )


def _usable(integration: Integration, snapshot: AzureSnapshot) -> bool:
    """Later checks only make sense on the configured app."""
    client_id = (integration.client_id or "").strip().lower()
    return snapshot.found and (not client_id or client_id == snapshot.app_id.lower())


# --- AZ002 / AZ003 / AZ011 -----------------------------------------------------------------------------


def _accepted_platforms(integration: Integration, snapshot: AzureSnapshot) -> tuple[str, ...]:
    if integration.auth_mode is AuthMode.PUBLIC:
        return ("web", "publicClient")
    return ("web",)


@emits(AZ002, AZ003)
def check_redirect_uris(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ002 (no Web redirect URI at all) and AZ003 (callback not registered exactly; near misses named)."""
    callback = integration.callback_url
    if not integration.needs_login or not callback or not _usable(integration, snapshot):
        return
    platforms = _accepted_platforms(integration, snapshot)
    candidates = tuple((p, u) for p, u in snapshot.all_redirect_uris if p in platforms)
    report = redirect.analyse(callback, snapshot.all_redirect_uris)
    if not candidates:
        if integration.auth_mode is AuthMode.CONFIDENTIAL and report.registered_under("publicClient"):
            return  # registered, but as a public client: AZ011 explains the AADSTS700025 that follows
        where = "Web" if platforms == ("web",) else "Web or Mobile-and-desktop"
        elsewhere = ""
        if report.exact_platforms:
            names = " and ".join(redirect.PLATFORM_NAMES[p] for p in report.exact_platforms)
            elsewhere = f" The callback is registered under {names} instead."
        elif snapshot.all_redirect_uris:
            elsewhere = f" It has {len(snapshot.all_redirect_uris)} redirect URI(s) on other platforms only."
        yield _finding(
            AZ002,
            integration,
            snapshot,
            f"The app has no {where} redirect URI; register {callback} under Web.{elsewhere}",
        )
        return
    if report.registered_under(*platforms):
        return
    if integration.auth_mode is AuthMode.CONFIDENTIAL and report.registered_under("publicClient"):
        return  # registered, but as a public client: AZ011 explains the AADSTS700025 that follows
    parts = [f"The callback {callback} is not registered as a Web redirect URI."]
    if report.registered_under("spa"):
        parts.append(
            "It is registered under Single-page application, whose codes Entra redeems only in cross-origin "
            "browser requests (AADSTS9002327); move it to Web."
        )
    misses = [m for m in report.near_misses if m.platform in platforms or m.platform == "spa"][:3]
    if misses:
        parts.append("Near miss: " + "; ".join(m.describe() for m in misses) + ".")
    elif not report.registered_under("spa"):
        shown = ", ".join(f"'{u}'" for _, u in candidates[:3])
        more = f" and {len(candidates) - 3} more" if len(candidates) > 3 else ""
        parts.append(f"Registered: {shown}{more}.")
    yield _finding(AZ003, integration, snapshot, " ".join(parts))


@emits(AZ011)
def check_client_type(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ011: Connect's auth mode vs how Entra will classify the client at the token endpoint.

    - public integration: Entra redeems the code without a secret only when the callback is registered under
      Mobile and desktop (``publicClient``) or "Allow public client flows" (``isFallbackPublicClient``) is on;
      otherwise AADSTS7000218.
    - confidential integration whose callback is registered only under ``publicClient``: Entra treats the
      client as public and refuses the secret (AADSTS700025).
    """
    if not integration.needs_login or not _usable(integration, snapshot):
        return
    callback = integration.callback_url
    report = redirect.analyse(callback, snapshot.all_redirect_uris) if callback else None
    if integration.auth_mode is AuthMode.PUBLIC:
        in_public = report is not None and report.registered_under("publicClient")
        if in_public or snapshot.is_fallback_public_client:
            return
        yield _finding(
            AZ011,
            integration,
            snapshot,
            "The integration is public (no secret) but the app is confidential: 'Allow public client flows' "
            "(isFallbackPublicClient) is off and the callback is not a Mobile-and-desktop redirect URI, so the "
            "code redemption fails with AADSTS7000218.",
        )
    elif report is not None and report.registered_under("publicClient") and not report.registered_under("web"):
        yield _finding(
            AZ011,
            integration,
            snapshot,
            f"The integration is confidential but the callback {callback} is registered only under Mobile and "
            "desktop (a public client), so Entra refuses the secret with AADSTS700025; register it under Web.",
        )


# --- AZ004 – AZ007: the configured secret --------------------------------------------------------------


def _secret_applies(integration: Integration) -> bool:
    return integration.auth_mode is AuthMode.CONFIDENTIAL and bool(integration.client_secret)


def secret_is_id(integration: Integration, snapshot: AzureSnapshot) -> AzureCredential | bool:
    """The credential whose keyId equals the secret, True if it is merely GUID-shaped, else False.

    keyIds are GUIDs, so a secret that is not GUID-shaped cannot be one; the comparison is constant-time.
    """
    secret = integration.client_secret
    if secret is None:
        return False
    value = secret.reveal().strip()
    if not is_guid(value):
        return False
    lowered = value.lower().encode()
    for cred in snapshot.password_credentials:
        if cred.key_id and hmac.compare_digest(lowered, cred.key_id.strip().lower().encode()):
            return cred
    return True


def matching_credentials(integration: Integration, snapshot: AzureSnapshot) -> list[AzureCredential] | None:
    """The password credentials the secret can be: ``hint`` equal to its first three characters, or no ``hint``
    at all (secrets older than Graph's hints could be any value). None when no secret is configured."""
    secret = integration.client_secret
    if secret is None or not secret:
        return None
    prefix = secret.prefix3.encode()
    return [c for c in snapshot.password_credentials if c.hint is None or hmac.compare_digest(prefix, c.hint.encode())]


@emits(AZ004)
def check_secret_is_id(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ004: the configured secret is a Secret ID (GUID / a credential's keyId), not its value."""
    if not _secret_applies(integration) or not _usable(integration, snapshot):
        return
    hit = secret_is_id(integration, snapshot)
    if isinstance(hit, AzureCredential):
        # The keyId equals the configured value, so it is not quoted: outputs never echo the configured secret.
        name = f"client secret '{hit.display_name}'" if hit.display_name else "one of the app's client secrets"
        yield _finding(
            AZ004,
            integration,
            snapshot,
            f"The configured client secret is the Secret ID of {name}, not its value; Entra answers AADSTS7000215.",
        )
    elif hit:
        yield _finding(
            AZ004,
            integration,
            snapshot,
            "The configured client secret is shaped like a GUID: it is almost certainly a Secret ID (keyId), "
            "not the secret value Entra generated (16–64 characters, shown once).",
        )


@emits(AZ005)
def check_secret_known(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ005: the secret's first three characters match no password credential's ``hint``."""
    if not _secret_applies(integration) or not _usable(integration, snapshot) or secret_is_id(integration, snapshot):
        return
    matches = matching_credentials(integration, snapshot)
    if matches is None or matches:
        return
    count = len(snapshot.password_credentials)
    if count == 0:
        detail = "the app has no client secrets at all"
    else:
        detail = f"none of the app's {count} client secret(s) starts with the same three characters"
    yield _finding(
        AZ005,
        integration,
        snapshot,
        f"The configured client secret does not belong to this app registration: {detail}. "
        "It may belong to another app or have been deleted.",
    )


@emits(AZ006, AZ007)
def check_secret_expiry(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ006/AZ007 on the credential(s) whose ``hint`` matches the secret.

    A ``hint`` is only three characters, so two credentials can share one, and old credentials have none (the
    secret may be any of them). oauthlint then reports only what is certain: AZ006 when every matching credential has expired; AZ007 when every one still valid ends within the
    warning window (the latest end date is quoted, since the secret may be any of them).
    """
    if not _secret_applies(integration) or not _usable(integration, snapshot) or secret_is_id(integration, snapshot):
        return
    matches = matching_credentials(integration, snapshot)
    if not matches:
        return
    now = context.now
    ambiguous = len(matches) > 1
    valid = [c for c in matches if not c.expired(now)]
    if not valid:
        latest = max(matches, key=lambda c: c.end or now)
        ended = latest.end or now
        which = (
            f"all {len(matches)} client secrets it can be (same first three characters, or no hint) have expired (the latest, {latest.label()}, "
            f"on {_date(ended)})"
            if ambiguous
            else f"{latest.label()} expired on {_date(ended)}"
        )
        yield _finding(
            AZ006,
            integration,
            snapshot,
            f"The configured client secret has expired: {which}; Entra answers AADSTS7000222.",
            object_id=f"{snapshot.app_id}/{latest.key_id}",
        )
        return
    if any(c.end is None for c in valid):
        return
    latest = max(valid, key=lambda c: c.end or now)
    ends = latest.end or now
    if ends > context.warning_horizon:
        return
    days = max(0, (ends - now).days)
    which = (
        f"the latest of the {len(valid)} valid client secrets it can be, {latest.label()},"
        if ambiguous
        else latest.label()
    )
    yield _finding(
        AZ007,
        integration,
        snapshot,
        f"The configured client secret expires soon: {which} ends on {_date(ends)} (in {days} days, "
        f"within the {context.expiry_warning_days}-day warning window).",
        object_id=f"{snapshot.app_id}/{latest.key_id}",
    )


# --- AZ008: live probe result --------------------------------------------------------------------------


@emits(AZ008)
def check_probe(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ008: the live client-credentials probe with the configured secret was refused."""
    probe = snapshot.probe
    if probe is None or probe.ok or probe.skipped or not _usable(integration, snapshot):
        return
    meanings = [AADSTS_MESSAGES.get(c, f"AADSTS{c}") for c in probe.codes]
    why = "; ".join(meanings) if meanings else (probe.error or "the token request was refused")
    yield _finding(
        AZ008,
        integration,
        snapshot,
        f"Entra ID refused a client-credentials token request with the configured secret ({probe.error or 'error'}): "
        f"{why}.",
    )


# --- AZ009: scopes -------------------------------------------------------------------------------------


@emits(AZ009)
def check_scopes(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ009: scopes that name several resources, mix ``.default`` with named permissions of the same resource,
    name a resource other than the integration's ``resource`` option (e.g. Graph where a custom API is meant),
    or, for a service account (client credentials), are not ``<resource>/.default``."""
    if not integration.scopes:
        return
    parsed = parse_scopes(integration.scopes, snapshot if snapshot.found else None)
    api_scopes = [p for p in parsed if p.resource is not None]
    problems: list[str] = []
    resources: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for p in api_scopes:
        resources.setdefault(p.resource or "", []).append(p.raw)
        labels[p.resource or ""] = p.label
    bare = [p.raw for p in api_scopes if not p.permission]
    if bare:
        problems.append(
            f"{', '.join(repr(b) for b in bare)} names a resource but no permission; use "
            f"'{bare[0].rstrip('/')}/.default' or one of its permissions (AADSTS70011)"
        )
    if len(resources) > 1:
        listed = "; ".join(f"{labels[r]}: {', '.join(raw)}" for r, raw in resources.items())
        problems.append(
            f"the scopes target {len(resources)} resources ({listed}), but an access token is issued for one "
            "resource only (AADSTS700022, or a token the other API cannot validate)"
        )
    for r, raws in resources.items():
        by_resource = [p for p in api_scopes if p.resource == r]
        if any(p.is_default for p in by_resource) and any(not p.is_default for p in by_resource):
            problems.append(
                f"'.default' is combined with named permissions of {labels[r]} ({', '.join(raws)}); use one form"
            )
    expected = str(integration.options.get("resource") or "").strip()
    if expected:
        key = expected_resource_key(expected, snapshot if snapshot.found else None)
        if not resources:
            problems.append(
                f"no scope names the API {expected}, so Entra issues a Microsoft Graph token, which {expected} "
                "cannot validate ('JWT signature does not match locally computed signature'); add "
                f"'{expected.rstrip('/')}/.default' or one of its permissions"
            )
        elif key not in resources:
            names = ", ".join(labels[r] for r in resources)
            graph = " Graph tokens can be validated only by Graph." if GRAPH_APP_ID in resources else ""
            problems.append(f"the scopes target {names}, not the API {expected} the integration is meant for.{graph}")
    if integration.auth_type is AuthType.SERVICE_ACCOUNT:
        named = [p.raw for p in api_scopes if not p.is_default]
        if named:
            problems.append(
                f"a service account uses the client-credentials flow, which accepts only '<resource>/.default', "
                f"not {', '.join(named)} (AADSTS1002012)"
            )
    if problems:
        message = "Scope problem: " + "; ".join(problems) + "."
        yield _finding(AZ009, integration, snapshot, message[0].upper() + message[1:])


# --- AZ010: declared and consented -------------------------------------------------------------------


@emits(AZ010, OL005)
def check_consent(integration: Integration, snapshot: AzureSnapshot, context: CheckContext) -> Iterator[Finding]:
    """AZ010: a requested delegated permission is not declared (``requiredResourceAccess``) or has no admin
    consent (an ``AllPrincipals`` oauth2PermissionGrant). Viewer integrations only; judged only on data the
    snapshot carries (a snapshot without ``oauth2PermissionGrants`` is not judged on consent)."""
    if not integration.needs_login or not _usable(integration, snapshot):
        return
    if snapshot.consent_unreadable:  # the other AZ rules ran; this one could not, and says so
        yield Finding(
            OL005,
            integration=integration.name,
            provider=PROVIDER,
            message=f"azure: AZ010 (consent) could not be checked: {snapshot.consent_unreadable}.",
            resource=snapshot.resource,
            scope=snapshot.scope,
            object_id=f"{snapshot.app_id}/consent",
        )
        return
    parsed = [p for p in parse_scopes(integration.scopes, snapshot) if p.resource is not None and p.permission]
    if not parsed:
        return
    principals = {sp.app_id: sp for sp in snapshot.resource_principals}
    undeclared: list[str] = []
    unconsented: list[str] = []
    rra = {r.resource_app_id: r for r in snapshot.required_resource_access or ()}
    for p in parsed:
        resource = p.resource or ""
        if snapshot.required_resource_access is not None and is_guid(resource):
            declared = rra.get(resource)
            if declared is None or (p.is_default and not declared.scope_ids and not declared.role_ids):
                undeclared.append(p.raw)
            elif not p.is_default and resource in principals:
                ids = {s.id for s in principals[resource].scopes if s.value.lower() == p.permission.lower()}
                if ids and not ids & declared.scope_ids:
                    undeclared.append(p.raw)
        if snapshot.permission_grants is not None and not _consented(p.permission, resource, snapshot):
            unconsented.append(p.raw)
    problems = []
    if undeclared:
        problems.append(f"not declared under API permissions (requiredResourceAccess): {', '.join(undeclared)}")
    if unconsented:
        sp = snapshot.service_principal
        detail = "" if sp is not None or snapshot.permission_grants else " (the app has no consent grants)"
        problems.append(f"without tenant-wide admin consent{detail}: {', '.join(unconsented)}")
    if problems:
        yield _finding(
            AZ010,
            integration,
            snapshot,
            "Requested permissions " + "; ".join(problems) + ". Viewers will see a consent prompt or AADSTS65001.",
        )


def _consented(permission: str, resource: str, snapshot: AzureSnapshot) -> bool:
    grants = snapshot.permission_grants or ()
    sp = snapshot.service_principal
    by_id = {r.id: r.app_id for r in snapshot.resource_principals}
    for g in grants:
        if g.consent_type != "AllPrincipals":
            continue
        if sp is not None and g.client_id and g.client_id != sp.id:
            continue
        if g.resource_id in by_id and by_id[g.resource_id] != resource:
            continue
        if permission == ".default":
            if g.resource_id not in by_id or by_id[g.resource_id] == resource:
                return True
            continue
        if any(s.lower() == permission.lower() for s in g.scopes):
            return True
    return False


# --- AZ012 / AZ013: credential hygiene -----------------------------------------------------------------


def _owned_credentials(snapshot: AzureSnapshot) -> Iterator[tuple[str, str, AzureCredential]]:
    """(object type, object id prefix, credential) for the app's and its service principal's credentials."""
    for cred in snapshot.password_credentials + snapshot.key_credentials:
        yield "application", snapshot.app_id, cred
    sp: ServicePrincipal | None = snapshot.service_principal
    if sp is not None:
        for cred in sp.password_credentials + sp.key_credentials:
            yield "servicePrincipal", f"sp:{sp.id or sp.app_id}", cred


def hygiene_findings(
    credentials: Iterable[tuple[str, str, AzureCredential]],
    *,
    now: datetime,
    integration: str,
    scope: str,
    resource: str,
) -> Iterator[Finding]:
    """AZ012/AZ013 over any credentials: shared by the per-app check and the tenant-wide scan."""
    for object_type, owner_id, cred in credentials:
        owner = "service principal" if object_type == "servicePrincipal" else "app registration"
        object_id = f"{owner_id}/{cred.key_id}"
        if cred.end is None:
            yield Finding(
                AZ012,
                integration,
                PROVIDER,
                f"The {owner}'s {cred.label()} has no end date.",
                resource=resource,
                scope=scope,
                object_id=object_id,
            )
        elif cred.start is not None and cred.end - cred.start > MAX_LIFETIME:
            days = (cred.end - cred.start).days
            yield Finding(
                AZ012,
                integration,
                PROVIDER,
                f"The {owner}'s {cred.label()} is valid for {days} days ({cred.start:%Y-%m-%d} to {cred.end:%Y-%m-%d}), "
                "more than two years.",
                resource=resource,
                scope=scope,
                object_id=object_id,
            )
        if cred.expired(now):
            yield Finding(
                AZ013,
                integration,
                PROVIDER,
                f"The {owner}'s {cred.label()} expired on {_date(cred.end or now)} and is still attached.",
                resource=resource,
                scope=scope,
                object_id=object_id,
            )


@emits(AZ012, AZ013)
def check_credential_hygiene(
    integration: Integration, snapshot: AzureSnapshot, context: CheckContext
) -> Iterator[Finding]:
    """AZ012 (no end date / lifetime over two years) and AZ013 (expired but still attached)."""
    if not _usable(integration, snapshot):
        return
    in_use = _expired_in_use(integration, snapshot, context.now)
    for finding in hygiene_findings(
        _owned_credentials(snapshot),
        now=context.now,
        integration=integration.name,
        scope=snapshot.scope,
        resource=snapshot.resource,
    ):
        if finding.rule is AZ013 and finding.object_id.rsplit("/", 1)[-1] in in_use:
            continue  # the configured secret itself: AZ006 says rotate, not "delete this leftover"
        yield finding


def _expired_in_use(integration: Integration, snapshot: AzureSnapshot, now: datetime) -> set[str]:
    """keyIds of the expired credential(s) AZ006 reports as the configured secret."""
    if not _secret_applies(integration) or secret_is_id(integration, snapshot):
        return set()
    matches = matching_credentials(integration, snapshot) or []
    if matches and all(c.expired(now) for c in matches):
        return {c.key_id for c in matches}
    return set()


CHECKS = (
    check_app_found,
    check_redirect_uris,
    check_client_type,
    check_secret_is_id,
    check_secret_known,
    check_secret_expiry,
    check_probe,
    check_scopes,
    check_consent,
    check_credential_hygiene,
)

__all__ = ["CHECKS", "OIDC_SCOPES", "hygiene_findings"]
