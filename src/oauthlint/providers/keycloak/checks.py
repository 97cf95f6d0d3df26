"""Pure checks of a Keycloak client against a Connect integration. No I/O; one function per concern.

Every function has the shape ``(integration, snapshot, context) -> list[Finding]`` and is marked with the
rules it can emit (``@emits``), so ``grep KC003`` finds it.
"""

from __future__ import annotations

from datetime import datetime

from oauthlint.model import AuthMode, Finding, Integration, Rule
from oauthlint.providers.base import CheckContext, emits
from oauthlint.providers.keycloak.redirect import host_wildcard, near_misses, verify_redirect_uri
from oauthlint.providers.keycloak.rules import KC001, KC002, KC003, KC004, KC005, KC006, KC007, KC008, KC009, KC010
from oauthlint.providers.keycloak.snapshot import (
    ATTR_USE_REFRESH_TOKENS,
    OFFLINE_ACCESS,
    ClientSecretInfo,
    KeycloakClient,
    KeycloakSnapshot,
)

PROVIDER = "keycloak"
CLIENT_SECRET_AUTH = "client-secret"  # noqa: S105 (Keycloak's authenticator id, not a secret)


def resource(client: KeycloakClient, realm: str) -> str:
    where = f" in realm '{realm}'" if realm else ""
    ident = f" (id {client.id})" if client.id != client.client_id else ""
    return f"client '{client.client_id}'{ident}{where}"


def rotation_note(snap: KeycloakSnapshot) -> str:
    policies = snap.realm.rotation_policies
    if not policies:
        return ""
    return "secret-rotation client policies in the realm: " + ", ".join(f"'{p}'" for p in policies)


def finding(
    rule: Rule, integration: Integration, snap: KeycloakSnapshot, message: str, suffix: str = "", note: str = ""
) -> Finding:
    client = snap.client
    return Finding(
        rule,
        integration=integration.name,
        provider=PROVIDER,
        message=message,
        resource=resource(client, snap.scope)
        if client
        else f"client '{snap.requested_client_id}'" + (f" in realm '{snap.scope}'" if snap.scope else ""),
        scope=snap.scope,
        object_id=(client.id if client else snap.requested_client_id) + suffix,
        note=note,
    )


def day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _realm_words(snap: KeycloakSnapshot) -> str:
    return f"realm '{snap.scope}'" if snap.scope else "the realm"


@emits(KC001)
def check_client_exists(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    if snap.client is not None:
        return []
    if snap.probe is None:
        msg = f"No client with clientId '{snap.requested_client_id}' in {_realm_words(snap)}."
    elif snap.probe.outcome == "unknown-client":
        msg = (
            f"The token endpoint of {_realm_words(snap)} rejects clientId '{snap.requested_client_id}' as "
            f"unknown ({snap.probe.detail}): the client does not exist or is disabled."
        )
    else:
        return []
    return [finding(KC001, integration, snap, msg)]


@emits(KC002)
def check_enabled(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None or client.enabled:
        return []
    return [finding(KC002, integration, snap, f"Client '{client.client_id}' is disabled (enabled = false).")]


@emits(KC003)
def check_redirect(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    callback = integration.callback_url
    if client is None or callback is None or not integration.needs_login or client.bearer_only:
        return []
    if not client.redirect_uris:
        return [
            finding(
                KC003,
                integration,
                snap,
                f"Client '{client.client_id}' has no Valid redirect URIs; add {callback}.",
            )
        ]
    if verify_redirect_uri(callback, client.redirect_uris, client.root_url, snap.server_url) is not None:
        return []
    misses = near_misses(callback, client.redirect_uris, client.root_url, snap.server_url)
    listed = ", ".join(f"'{u}'" for u in client.redirect_uris[:5]) + (" …" if len(client.redirect_uris) > 5 else "")
    msg = f"The callback {callback} is not accepted by client '{client.client_id}' (Valid redirect URIs: {listed})."
    if misses:
        msg += " Near miss: " + "; ".join(misses[:3]) + "."
    return [finding(KC003, integration, snap, msg)]


@emits(KC004)
def check_wildcards(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None:
        return []
    out = []
    for entry in client.redirect_uris:
        if not host_wildcard(entry):
            continue
        what = "matches every URI" if entry == "*" else "matches other hosts too (e.g. a look-alike domain)"
        out.append(
            finding(
                KC004,
                integration,
                snap,
                f"Redirect URI '{entry}' of client '{client.client_id}' {what}; authorization codes can be sent "
                "to an attacker's site. Register the exact callback instead.",
                suffix="/redirect/" + entry,
            )
        )
    return out


def _secret_applies(integration: Integration, client: KeycloakClient) -> bool:
    return integration.auth_mode is AuthMode.CONFIDENTIAL and client.confidential


@emits(KC005, KC006, KC007)
def check_secret(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    """Which secret Connect holds (current, rotated, neither), and when it stops working."""
    client = snap.client
    probe = snap.probe
    if client is None:
        # Probe-only (no admin rights): the token endpoint said whether the secret works.
        if probe is not None and probe.outcome == "invalid" and integration.client_secret:
            msg = (
                f"The token endpoint of {_realm_words(snap)} rejects the configured secret for client "
                f"'{snap.requested_client_id}' ({probe.detail}): it is wrong or expired."
            )
            return [finding(KC005, integration, snap, msg)]
        return []
    if not _secret_applies(integration, client) or client.secret is None:
        return []
    configured = integration.client_secret
    current, rotated = client.secret, client.rotated_secret
    holds: str | None = None  # "current" | "rotated" | "neither" | None (unknown)
    if configured and client.secret_known:
        if configured.matches(current.value.reveal() if current.value else None):
            holds = "current"
        elif rotated is not None and rotated.value is not None and configured.matches(rotated.value.reveal()):
            holds = "rotated"
        else:
            holds = "neither"
    elif configured and snap.probe is not None and snap.probe.outcome == "invalid":
        holds = "neither"
    out: list[Finding] = []
    name = client.client_id
    if holds == "neither":
        how = (
            f"the token endpoint rejected it ({snap.probe.detail})"
            if snap.probe is not None and not client.secret_known
            else "it matches neither the current nor a rotated secret"
        )
        out.append(
            finding(KC005, integration, snap, f"The configured secret is not the secret of client '{name}': {how}.")
        )
    if holds == "rotated" and rotated is not None:
        out.extend(_rotated_findings(integration, snap, rotated, ctx))
        return out
    out.extend(_expiry_findings(integration, snap, current, "current secret", "/secret", ctx))
    if (
        holds is None
        and rotated is not None
        and rotated.expires is not None
        and ctx.now < rotated.expires <= ctx.warning_horizon
    ):
        out.append(
            finding(
                KC007,
                integration,
                snap,
                f"Client '{name}' has a rotated-out secret valid until {day(rotated.expires)}; if Connect still "
                "holds the previous secret, it stops working then.",
                suffix="/rotated",
            )
        )
    return out


def _rotated_findings(
    integration: Integration, snap: KeycloakSnapshot, rotated: ClientSecretInfo, ctx: CheckContext
) -> list[Finding]:
    name = snap.client.client_id if snap.client else snap.requested_client_id
    if rotated.expires is not None and rotated.expires <= ctx.now:
        return [
            finding(
                KC006,
                integration,
                snap,
                f"Connect holds the rotated-out (previous) secret of client '{name}', which expired on "
                f"{day(rotated.expires)}; copy the current secret into Connect.",
                suffix="/rotated",
                note=rotation_note(snap),
            )
        ]
    until = f"until {day(rotated.expires)}" if rotated.expires else "until the rotated secret is invalidated"
    return [
        finding(
            KC007,
            integration,
            snap,
            f"Connect holds the rotated-out (previous) secret of client '{name}', which works only {until}; "
            "copy the current secret into Connect.",
            suffix="/rotated",
            note=rotation_note(snap),
        )
    ]


def _expiry_findings(
    integration: Integration,
    snap: KeycloakSnapshot,
    info: ClientSecretInfo,
    what: str,
    suffix: str,
    ctx: CheckContext,
) -> list[Finding]:
    if info.expires is None:
        return []
    name = snap.client.client_id if snap.client else snap.requested_client_id
    if info.expires <= ctx.now:
        return [
            finding(
                KC006,
                integration,
                snap,
                f"The {what} of client '{name}' expired on {day(info.expires)} (client.secret.expiration.time); every "
                "token request fails until it is regenerated.",
                suffix=suffix,
                note=rotation_note(snap),
            )
        ]
    if info.expires <= ctx.warning_horizon:
        days = (info.expires - ctx.now).days
        return [
            finding(
                KC007,
                integration,
                snap,
                f"The {what} of client '{name}' expires on {day(info.expires)} (in {days} days); rotate it and update "
                "Connect before then.",
                suffix=suffix,
                note=rotation_note(snap),
            )
        ]
    return []


@emits(KC008)
def check_refresh_tokens(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None or not integration.needs_login:
        return []
    out = []
    name = client.client_id
    if not client.use_refresh_tokens:
        out.append(
            finding(
                KC008,
                integration,
                snap,
                f"Client '{name}' has '{ATTR_USE_REFRESH_TOKENS}' = false (Advanced → Use refresh tokens off): "
                "Keycloak issues no refresh token, so Connect cannot keep viewers signed in.",
                suffix="/" + ATTR_USE_REFRESH_TOKENS,
            )
        )
    if OFFLINE_ACCESS not in integration.scopes:
        return out
    if client.has_client_scope(OFFLINE_ACCESS) is False:
        out.append(
            finding(
                KC008,
                integration,
                snap,
                f"The integration requests '{OFFLINE_ACCESS}' but client '{name}' has it neither as a default nor "
                "as an optional client scope; Keycloak answers invalid_scope.",
                suffix="/client-scope",
            )
        )
    if snap.realm.default_roles is not None and OFFLINE_ACCESS not in snap.realm.default_roles:
        missing = (
            "does not exist"
            if snap.realm.realm_roles is not None and OFFLINE_ACCESS not in snap.realm.realm_roles
            else "is not among the realm's default roles"
        )
        out.append(
            finding(
                KC008,
                integration,
                snap,
                f"The realm role '{OFFLINE_ACCESS}' {missing} in {_realm_words(snap)}: unless users get it another "
                "way, Keycloak refuses offline tokens ('Offline tokens not allowed for the user or client').",
                suffix="/realm-role",
            )
        )
    return out


@emits(KC009)
def check_standard_flow(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None or not integration.needs_login or client.standard_flow_enabled or client.bearer_only:
        return []
    return [
        finding(
            KC009,
            integration,
            snap,
            f"Client '{client.client_id}' has Standard flow (authorization code) disabled, but viewers of this "
            "integration log in with it.",
        )
    ]


@emits(KC010)
def check_client_type(integration: Integration, snap: KeycloakSnapshot, ctx: CheckContext) -> list[Finding]:
    client = snap.client
    if client is None:
        probe = snap.probe
        if probe is not None and probe.outcome == "public" and integration.auth_mode is AuthMode.CONFIDENTIAL:
            msg = (
                f"The integration is confidential but the token endpoint reports client "
                f"'{snap.requested_client_id}' as public ({probe.detail})."
            )
            return [finding(KC010, integration, snap, msg)]
        if probe is not None and probe.outcome == "bearer-only":
            msg = (
                f"The token endpoint reports client '{snap.requested_client_id}' as bearer-only ({probe.detail}): "
                "it cannot be used to log in or to get tokens."
            )
            return [finding(KC010, integration, snap, msg)]
        return []
    name = client.client_id
    if client.bearer_only:
        msg = f"Client '{name}' is bearer-only: it cannot be used to log in or to get tokens."
    elif integration.auth_mode is AuthMode.CONFIDENTIAL and client.public_client:
        msg = (
            f"The integration is confidential but client '{name}' is public (Client authentication off): Keycloak "
            "ignores the secret. Turn Client authentication on, or set the integration to public."
        )
    elif integration.auth_mode is AuthMode.PUBLIC and not client.public_client:
        msg = (
            f"The integration is public (no secret) but client '{name}' is confidential: Keycloak rejects token "
            "requests without its secret."
        )
    elif integration.auth_mode is AuthMode.CONFIDENTIAL and client.client_authenticator_type != CLIENT_SECRET_AUTH:
        msg = (
            f"Client '{name}' authenticates clients with '{client.client_authenticator_type}' (Credentials → Client "
            "Authenticator), but Connect sends a client secret: Keycloak answers unauthorized_client 'Invalid "
            "client or Invalid client credentials'. Set it to 'Client Id and Secret'."
        )
    else:
        return []
    return [finding(KC010, integration, snap, msg)]


CHECKS = (
    check_client_exists,
    check_enabled,
    check_redirect,
    check_wildcards,
    check_secret,
    check_refresh_tokens,
    check_standard_flow,
    check_client_type,
)
