"""Loading ``oauthlint.toml`` (or ``[tool.oauthlint]`` in pyproject.toml) into typed settings.

Every mistake is a :class:`ConfigError` whose message is one line: ``<file>: <key>: <what is wrong>``,
with a did-you-mean for unknown keys.
"""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from oauthlint.errors import ConfigError, UsageError
from oauthlint.model import AuthMode, AuthType, Integration, Secret
from oauthlint.registry import registry
from oauthlint.secretref import looks_secret, resolve, resolve_secret
from oauthlint.validation import did_you_mean, reject_unknown_keys

CONFIG_FILE = "oauthlint.toml"
TOP_LEVEL_KEYS = (
    "connect_server",
    "expiry_warning_days",
    "select",
    "ignore",
    "fail_on",
    "providers",
    "suppress",
    "integrations",
)
INTEGRATION_KEYS = (
    "name",
    "provider",
    "auth_type",
    "auth_mode",
    "client_id",
    "client_secret",
    "scopes",
    "connect_server",
    "snapshot",
)
SUPPRESS_KEYS = ("rule", "integration", "fingerprint", "reason", "until")
FAIL_ON_VALUES = ("error", "warning", "info", "never")


class InlineSecretWarning(UserWarning):
    """A secret is written into the config file instead of referenced."""


@dataclass(frozen=True)
class Suppression:
    """A reviewed exception: silences one rule for one integration (or one fingerprint) for a reason."""

    rule: str
    reason: str
    integration: str | None = None
    fingerprint: str | None = None
    until: date | None = None
    where: str = ""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    connect_server: str | None = None
    expiry_warning_days: int = 30
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    provider_settings: Mapping[str, Any] = field(default_factory=dict)
    integrations: tuple[Integration, ...] = ()
    suppressions: tuple[Suppression, ...] = ()

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_config(cwd: Path) -> Path:
    """``oauthlint.toml`` in ``cwd``, else ``pyproject.toml`` with a ``[tool.oauthlint]`` table."""
    candidate = cwd / CONFIG_FILE
    if candidate.is_file():
        return candidate
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file() and "oauthlint" in _read_toml(pyproject).get("tool", {}):
        return pyproject
    raise UsageError(
        f"no {CONFIG_FILE} (or [tool.oauthlint] in pyproject.toml) in {cwd}; pass --config FILE, "
        "or check one integration with `oauthlint azure|snowflake|keycloak …`"
    )


def load_config(
    path: Path | None = None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    path = path if path is not None else find_config(cwd or Path.cwd())
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    data = _read_toml(path)
    label = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("oauthlint")
        if data is None:
            raise ConfigError(f"{path}: has no [tool.oauthlint] table")
        label = f"{path} [tool.oauthlint]"
    return parse_config(data, label=label, path=path, environ=environ)


def parse_config(
    data: Mapping[str, Any], *, label: str, path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    base_dir = path.parent if path else Path.cwd()
    reject_unknown_keys(data, TOP_LEVEL_KEYS, label)
    connect_server = _optional(data, "connect_server", str, label)
    days = _optional(data, "expiry_warning_days", int, label)
    if days is not None and not 0 <= days <= 3650:
        raise ConfigError(f"{label}: expiry_warning_days: expected 0 to 3650 days, got {days}")
    fail_on = _optional(data, "fail_on", str, label)
    if fail_on is not None and fail_on not in FAIL_ON_VALUES:
        raise ConfigError(f"{label}: fail_on: expected one of {', '.join(FAIL_ON_VALUES)}, got {fail_on!r}")
    select = tuple(_string_list(data, "select", label))
    ignore = tuple(_string_list(data, "ignore", label))

    providers_raw = data.get("providers", {})
    if not isinstance(providers_raw, Mapping):
        raise ConfigError(f"{label}: providers: expected a table like [providers.azure]")
    settings: dict[str, Any] = {}
    for name, raw in providers_raw.items():
        where = f"{label}: providers.{name}"
        provider = _provider(name, where)
        resolved = _resolve_references(raw, where, base_dir, environ)
        settings[name] = provider.parse_settings(resolved, where)

    integrations_raw = data.get("integrations", [])
    if not isinstance(integrations_raw, list):
        raise ConfigError(f"{label}: integrations: expected [[integrations]] tables")
    integrations: list[Integration] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(integrations_raw):
        where = f"{label}: integrations[{index}]"
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{where}: expected a table")
        integration = parse_integration(
            raw, where=where, connect_server=connect_server, base_dir=base_dir, environ=environ
        )
        if integration.name in seen:
            raise ConfigError(f"{where}: name: {integration.name!r} is already used by {seen[integration.name]}")
        seen[integration.name] = where
        integrations.append(integration)

    suppress_raw = data.get("suppress", [])
    if not isinstance(suppress_raw, list):
        raise ConfigError(f"{label}: suppress: expected [[suppress]] tables")
    suppressions = tuple(
        _parse_suppression(raw, f"{label}: suppress[{index}]", set(seen)) for index, raw in enumerate(suppress_raw)
    )
    return Config(
        path=path,
        connect_server=connect_server,
        expiry_warning_days=30 if days is None else days,
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        provider_settings=settings,
        integrations=tuple(integrations),
        suppressions=suppressions,
    )


def parse_integration(
    raw: Mapping[str, Any],
    *,
    where: str,
    connect_server: str | None = None,
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Integration:
    """One ``[[integrations]]`` table (also used by the one-off commands and the rule fixtures)."""
    base_dir = base_dir or Path.cwd()
    name = _required(raw, "name", str, where)
    provider_name = _required(raw, "provider", str, where)
    provider = _provider(provider_name, f"{where}: provider")
    extra_keys: Mapping[str, Any] = provider.integration_keys
    reject_unknown_keys(raw, (*INTEGRATION_KEYS, *extra_keys), where)

    auth_type = _enum(raw, "auth_type", AuthType, AuthType.VIEWER, where)
    auth_mode = _enum(raw, "auth_mode", AuthMode, AuthMode.CONFIDENTIAL, where)
    secret_raw = _optional(raw, "client_secret", str, where)
    secret: Secret | None = None
    if secret_raw is not None:
        secret = resolve_secret(secret_raw, f"{where}: client_secret", base_dir=base_dir, environ=environ)
        if secret.source == "inline":
            warnings.warn(
                f"{where}: client_secret is written inline; prefer ${{env:VAR}} or ${{file:PATH}}",
                InlineSecretWarning,
                stacklevel=2,
            )
    scopes_raw = raw.get("scopes", ())
    if isinstance(scopes_raw, str):
        scopes = tuple(scopes_raw.split())
    elif isinstance(scopes_raw, Sequence) and all(isinstance(s, str) for s in scopes_raw):
        scopes = tuple(s for scope in scopes_raw for s in scope.split())
    else:
        raise ConfigError(f"{where}: scopes: expected a list of strings or one space-separated string")
    snapshot: Path | None = None
    snapshot_raw = _optional(raw, "snapshot", str, where)
    if snapshot_raw is not None:
        snapshot = Path(snapshot_raw).expanduser()
        if not snapshot.is_absolute():
            snapshot = base_dir / snapshot
        if not snapshot.is_file():
            raise ConfigError(f"{where}: snapshot: no such file {snapshot}")
    options: dict[str, Any] = {}
    for key, expected in extra_keys.items():
        if key in raw:
            value = raw[key]
            if not isinstance(value, expected):
                raise ConfigError(f"{where}: {key}: expected {_type_name(expected)}, got {_type_name(type(value))}")
            options[key] = value
    return Integration(
        name=name,
        provider=provider_name,
        auth_type=auth_type,
        auth_mode=auth_mode,
        client_id=_optional(raw, "client_id", str, where),
        client_secret=secret,
        scopes=scopes,
        connect_server=_optional(raw, "connect_server", str, where) or connect_server,
        snapshot=snapshot,
        options=options,
        source=where,
    )


def _parse_suppression(raw: Any, where: str, integration_names: set[str]) -> Suppression:
    from oauthlint.rules import catalog

    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table")
    reject_unknown_keys(raw, SUPPRESS_KEYS, where)
    rule = _required(raw, "rule", str, where).upper()
    if rule not in catalog():
        raise ConfigError(f"{where}: rule: unknown rule code {rule!r}{did_you_mean(rule, catalog())}")
    reason = _required(raw, "reason", str, where).strip()
    if not reason:
        raise ConfigError(f"{where}: reason: must say why the finding is accepted")
    integration = _optional(raw, "integration", str, where)
    fingerprint = _optional(raw, "fingerprint", str, where)
    if integration is None and fingerprint is None:
        raise ConfigError(f"{where}: name an integration or a fingerprint (use `ignore` to turn a rule off everywhere)")
    if integration is not None and integration not in integration_names:
        raise ConfigError(
            f"{where}: integration: no integration named {integration!r}{did_you_mean(integration, integration_names)}"
        )
    until = raw.get("until")
    if until is not None and not isinstance(until, date):
        if isinstance(until, str):
            try:
                until = date.fromisoformat(until)
            except ValueError:
                raise ConfigError(f"{where}: until: expected a date like 2026-12-31, got {until!r}") from None
        else:
            raise ConfigError(f"{where}: until: expected a date like 2026-12-31")
    return Suppression(
        rule=rule, reason=reason, integration=integration, fingerprint=fingerprint, until=until, where=where
    )


def _resolve_references(raw: Any, where: str, base_dir: Path, environ: Mapping[str, str] | None) -> Any:
    """Resolve ``${env:…}``/``${file:…}`` anywhere in a provider table; secret-named keys become Secrets."""
    if isinstance(raw, Mapping):
        out: dict[str, Any] = {}
        for key, value in raw.items():
            key_where = f"{where}.{key}"
            if isinstance(value, str):
                text, source = resolve(value, key_where, base_dir=base_dir, environ=environ)
                out[key] = Secret(text, source=source) if looks_secret(key) else text
            else:
                out[key] = _resolve_references(value, key_where, base_dir, environ)
        return out
    if isinstance(raw, list):
        return [_resolve_references(item, f"{where}[{i}]", base_dir, environ) for i, item in enumerate(raw)]
    return raw


def _provider(name: str, where: str) -> Any:
    try:
        return registry().get(name)
    except UsageError:
        names = registry().names()
        raise ConfigError(
            f"{where}: unknown provider {name!r}{did_you_mean(name, names)}; known providers: {', '.join(names)}"
        ) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML syntax error: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _required(raw: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise ConfigError(f"{where}: missing required key {key!r}")
    return _optional(raw, key, kind, where)


def _optional(raw: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = raw.get(key)
    if value is None:
        return None
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ConfigError(f"{where}: {key}: expected {_type_name(kind)}, got {_type_name(type(value))}")
    return value


def _enum(raw: Mapping[str, Any], key: str, kind: Any, default: Any, where: str) -> Any:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key}: expected a string")
    normalised = value.strip().lower().replace(" ", "-").replace("_", "-")
    try:
        return kind(normalised)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ConfigError(f"{where}: {key}: expected one of {allowed}, got {value!r}") from None


def _string_list(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {key}: expected a list of rule codes or prefixes")
    return value


def _type_name(kind: Any) -> str:
    if isinstance(kind, tuple):
        return " or ".join(_type_name(k) for k in kind)
    return {
        str: "a string",
        int: "an integer",
        bool: "true or false",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(kind, getattr(kind, "__name__", str(kind)))
