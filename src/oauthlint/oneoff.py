"""One-off checks of a single integration from flags: ``oauthlint azure|snowflake|keycloak …``.

Each command turns its flags into the same ``[[integrations]]`` table a config file would hold, so flags and
config are validated by one parser. Provider settings (the linter's own credentials) come from the config.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from oauthlint.cli import (
    ConfigOpt,
    FailOnOpt,
    FormatOpt,
    IgnoreOpt,
    NoColorOpt,
    NowOpt,
    OutputOpt,
    QuietOpt,
    SelectOpt,
    _finish,
    _parse_now,
    load_optional_config,
    run_checks,
)
from oauthlint.errors import ProviderError
from oauthlint.model import Finding, scrub_known_secrets
from oauthlint.providers.base import CheckContext
from oauthlint.rules import OL005

ClientIdOpt = Annotated[str | None, typer.Option("--client-id", help="The OAuth client id Connect uses.")]
SecretEnvOpt = Annotated[
    str | None, typer.Option("--client-secret-env", help="Read the client secret from this environment variable.")
]
SecretFileOpt = Annotated[
    Path | None, typer.Option("--client-secret-file", help="Read the client secret from this file.")
]
ScopesOpt = Annotated[str | None, typer.Option("--scopes", help='Space-separated scopes, as in Connect ("a b c").')]
AuthTypeOpt = Annotated[str, typer.Option("--auth-type", help="viewer or service-account.")]
AuthModeOpt = Annotated[str, typer.Option("--auth-mode", help="confidential or public.")]
ServerOpt = Annotated[
    str | None, typer.Option("--connect-server", help="Connect's public URL; the callback is derived from it.")
]
SnapshotOpt = Annotated[
    Path | None, typer.Option("--snapshot", help="Check a provider-native export file instead of the live provider.")
]
NameOpt = Annotated[str, typer.Option("--name", help="A name for the integration in the report.")]


def _load(common: dict[str, Any]) -> Any:
    return load_optional_config(common.pop("config"))


AuditFn = Callable[[Any, CheckContext], list[Finding]]


def _audit(provider: str | None, audit: AuditFn, common: dict[str, Any]) -> None:
    """``--all``: every object of the provider account, checked by the rules that need no Connect config.
    ``provider`` names the settings a live audit needs; None for an audit of an export file."""
    from oauthlint.errors import UsageError

    loaded = _load(common)
    settings = loaded.provider_settings.get(provider) if provider else None
    if provider is not None and settings is None:
        raise UsageError(f"--all needs [providers.{provider}] in the config (the linter's read-only credentials)")
    context = CheckContext(now=_parse_now(common.get("now")), expiry_warning_days=loaded.expiry_warning_days)
    try:
        findings = audit(settings, context)
    except ProviderError as exc:  # the audit could not run at all: a finding, never a crash or a pass
        findings = [
            Finding(
                OL005,
                integration=f"{exc.provider} audit",
                provider=exc.provider,
                message=f"{exc.provider}: {exc.operation} failed: {scrub_known_secrets(exc.reason)}; nothing was audited.",
                object_id=exc.provider,
            )
        ]
    for key in ("client_id", "connect_server", "client_secret_env", "client_secret_file", "scopes", "snapshot"):
        common.pop(key, None)
    for key in ("name", "auth_type", "auth_mode"):
        common.pop(key, None)
    _finish(run_checks(loaded, [], **common, findings=findings))


def _run(provider: str, extra: dict[str, Any], common: dict[str, Any]) -> None:
    from oauthlint.config import parse_integration
    from oauthlint.errors import UsageError

    loaded = _load(common)
    raw: dict[str, Any] = {
        "name": common.pop("name") or f"{provider}:{common.get('client_id') or 'client'}",
        "provider": provider,
        "auth_type": common.pop("auth_type"),
        "auth_mode": common.pop("auth_mode"),
    }
    for key in ("client_id", "connect_server"):
        if common.get(key):
            raw[key] = common[key]
        common.pop(key, None)
    env, file = common.pop("client_secret_env"), common.pop("client_secret_file")
    if env and file:
        raise UsageError("give --client-secret-env or --client-secret-file, not both")
    if env:
        raw["client_secret"] = f"${{env:{env}}}"
    elif file:
        raw["client_secret"] = f"${{file:{file}}}"
    if common.get("scopes") is not None:
        raw["scopes"] = common["scopes"]
    common.pop("scopes", None)
    snapshot = common.pop("snapshot")
    if snapshot is not None:
        raw["snapshot"] = str(snapshot.resolve())
    raw.update({k: v for k, v in extra.items() if v is not None})
    integration = parse_integration(
        raw, where="command line", connect_server=loaded.connect_server, base_dir=Path.cwd()
    )
    _finish(run_checks(loaded, [integration], **common))


def azure_command(
    client_id: ClientIdOpt = None,
    tenant_id: Annotated[str | None, typer.Option("--tenant-id", help="The Entra tenant (id or domain).")] = None,
    client_secret_env: SecretEnvOpt = None,
    client_secret_file: SecretFileOpt = None,
    scopes: ScopesOpt = None,
    auth_type: AuthTypeOpt = "viewer",
    auth_mode: AuthModeOpt = "confidential",
    connect_server: ServerOpt = None,
    snapshot: SnapshotOpt = None,
    name: NameOpt = "",
    no_probe: Annotated[
        bool,
        typer.Option("--no-probe", help="Skip the client-credentials token request that tests the secret (AZ008)."),
    ] = False,
    audit_all: Annotated[
        bool,
        typer.Option("--all", help="Audit every app and service principal credential of the tenant(s) (AZ012, AZ013)."),
    ] = False,
    config: ConfigOpt = None,
    format: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    now: NowOpt = None,
) -> None:
    """Check one Entra ID (Azure) app registration against one Connect integration (or audit --all of them)."""
    common = dict(locals())
    extra: dict[str, Any] = {"tenant_id": common.pop("tenant_id")}
    if common.pop("no_probe"):
        extra["probe"] = False
    if common.pop("audit_all"):
        from oauthlint.registry import registry

        provider = registry().get("azure")
        tenant = extra["tenant_id"]
        _audit(
            "azure",
            lambda settings, context: list(provider.scan_findings(settings, now=context.now, tenant=tenant)),
            common,
        )  # type: ignore[attr-defined]
        return
    _run("azure", extra, common)


def snowflake_command(
    client_id: ClientIdOpt = None,
    account: Annotated[str | None, typer.Option("--account", help="Account identifier: orgname-account_name.")] = None,
    account_url: Annotated[
        str | None, typer.Option("--account-url", help="https://<account>.snowflakecomputing.com")
    ] = None,
    client_secret_env: SecretEnvOpt = None,
    client_secret_file: SecretFileOpt = None,
    scopes: ScopesOpt = None,
    auth_type: AuthTypeOpt = "viewer",
    auth_mode: AuthModeOpt = "confidential",
    connect_server: ServerOpt = None,
    snapshot: SnapshotOpt = None,
    name: NameOpt = "",
    audit_all: Annotated[
        bool, typer.Option("--all", help="Audit every OAuth security integration of the account(s) instead.")
    ] = False,
    config: ConfigOpt = None,
    format: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    now: NowOpt = None,
) -> None:
    """Check one Snowflake OAuth security integration against one Connect integration (or --all of them)."""
    common = dict(locals())
    extra = {"account": common.pop("account"), "account_url": common.pop("account_url")}
    if common.pop("audit_all"):
        from oauthlint.providers.snowflake.audit import audit_live

        accounts = [a for a in (extra["account"], extra["account_url"]) if a] or None
        _audit("snowflake", lambda settings, context: audit_live(settings, context, accounts=accounts), common)
        return
    _run("snowflake", extra, common)


def keycloak_command(
    client_id: ClientIdOpt = None,
    server: Annotated[str | None, typer.Option("--server", help="Keycloak base URL (https://sso.example.com).")] = None,
    realm: Annotated[str | None, typer.Option("--realm", help="The realm that holds the client.")] = None,
    client_secret_env: SecretEnvOpt = None,
    client_secret_file: SecretFileOpt = None,
    scopes: ScopesOpt = None,
    auth_type: AuthTypeOpt = "viewer",
    auth_mode: AuthModeOpt = "confidential",
    connect_server: ServerOpt = None,
    snapshot: SnapshotOpt = None,
    name: NameOpt = "",
    audit_all: Annotated[
        bool,
        typer.Option("--all", help="Audit every client of the realm(s), live or from a realm export (--snapshot)."),
    ] = False,
    include_builtin: Annotated[
        bool, typer.Option("--include-builtin", help="With --all: also audit Keycloak's own clients (account, …).")
    ] = False,
    config: ConfigOpt = None,
    format: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    now: NowOpt = None,
) -> None:
    """Check one Keycloak client against one Connect integration (or audit --all clients of a realm)."""
    common = dict(locals())
    extra = {"server_url": common.pop("server"), "realm": common.pop("realm")}
    builtin = common.pop("include_builtin")
    if common.pop("audit_all"):
        from oauthlint.providers.keycloak import audit as kc_audit
        from oauthlint.registry import registry

        realms = [extra["realm"]] if extra["realm"] else None
        export = common.get("snapshot")
        if export is not None:
            realm = kc_audit.load_realm_export(export, extra["server_url"])
            _audit(None, lambda _settings, context: kc_audit.audit_realm(realm, context, builtin), common)
            return
        provider = registry().get("keycloak")
        _audit(
            "keycloak",
            lambda settings, context: provider.audit(settings, context, realms=realms, include_builtin=builtin),  # type: ignore[attr-defined]
            common,
        )
        return
    _run("keycloak", extra, common)


COMMANDS = (azure_command, snowflake_command, keycloak_command)
