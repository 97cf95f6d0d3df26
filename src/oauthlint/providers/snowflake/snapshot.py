"""The typed snapshot of a Snowflake OAuth security integration, parsed from DESCRIBE rows.

Offline export format (DESIGN.md "Offline snapshots"), either

- the rows of ``DESCRIBE SECURITY INTEGRATION <name>`` as a JSON list of
  ``{"property", "property_type", "property_value", "property_default"}`` (what SnowSQL's
  ``-o output_format=json`` and Snowsight's JSON download give), or
- an object that wraps them, so an export can carry what DESCRIBE does not::

      {"name": "POSIT_CONNECT",            # optional: the integration's name
       "account": "myorg-myaccount",       # optional: the account it lives in
       "describe": [ ...rows... ],         # required ("rows" / "properties" accepted too)
       "secrets": {...}}                   # optional: SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')

  ``secrets`` is the function's single VARCHAR cell, either as the JSON object or as the JSON text
  itself, keys in any case (``OAUTH_CLIENT_SECRET``, ``OAUTH_CLIENT_SECRET_2``, ``OAUTH_CLIENT_ID``;
  https://docs.snowflake.com/sql-reference/functions/system_show_oauth_client_secrets).

Column names follow Terraform's ``securityIntegrationDescRow`` (property, property_type,
property_value, property_default) and are matched case-insensitively. Unknown rows are kept in
``properties``; missing rows leave the typed field ``None`` (unknown), never a guessed default.
Values are strings (``"true"``, ``"7776000"``); lists come as ``[A, B]`` or ``A,B``.

Secrets never enter the snapshot: :func:`compare_secret` compares the configured secret with both
Snowflake secrets in constant time and the snapshot keeps only the outcome.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from oauthlint.errors import SnapshotError
from oauthlint.model import Secret


class Lookup(enum.StrEnum):
    """How the provider-side object was found."""

    FOUND = "found"
    NOT_FOUND = "not-found"
    """No OAuth security integration has the configured OAUTH_CLIENT_ID (SF001)."""
    SKIPPED = "skipped"
    """Not looked up: the account identifier is malformed (SF007 says why)."""


class SecretOutcome(enum.StrEnum):
    NOT_COMPARED = "not-compared"
    """No secret configured, or the export carries no secrets."""
    PRIMARY = "primary"
    SECONDARY = "secondary"
    MISMATCH = "mismatch"
    UNAVAILABLE = "unavailable"
    """The secrets could not be read (live: missing OWNERSHIP); ``detail`` says why."""


@dataclass(frozen=True)
class SecretComparison:
    outcome: SecretOutcome = SecretOutcome.NOT_COMPARED
    detail: str = ""
    secret_client_id: str | None = None
    """OAUTH_CLIENT_ID as the secrets function reported it (not a secret)."""
    has_secondary: bool | None = None
    """Whether OAUTH_CLIENT_SECRET_2 is set (None when unknown)."""


@dataclass(frozen=True)
class SecurityIntegration:
    """One ``TYPE = OAUTH`` security integration; ``None`` fields were not in the DESCRIBE output."""

    name: str
    client_id: str | None = None
    enabled: bool | None = None
    client_type: str | None = None
    """``CONFIDENTIAL`` or ``PUBLIC`` (upper case)."""
    redirect_uri: str | None = None
    issue_refresh_tokens: bool | None = None
    refresh_token_validity: int | None = None
    """Seconds."""
    allow_non_tls_redirect: bool | None = None
    enforce_pkce: bool | None = None
    pre_authorized_roles: tuple[str, ...] = ()
    blocked_roles: tuple[str, ...] = ()
    network_policy: str | None = None
    rsa_public_key_fp: str | None = None
    rsa_public_key_2_fp: str | None = None
    type: str | None = None
    """From SHOW: ``OAUTH - CUSTOM``, ``OAUTH - TABLEAU_DESKTOP`` … (None offline)."""
    created_on: datetime | None = None
    """From SHOW (None offline)."""
    properties: Mapping[str, str | None] = field(default_factory=dict)
    """Every DESCRIBE row, property name (upper case) -> value, including ones oauthlint does not know; never an
    ``OAUTH_CLIENT_SECRET*`` row (DESCRIBE has none; one pasted into an export is dropped)."""

    @property
    def label(self) -> str:
        return self.name or "the security integration"

    @property
    def object_id(self) -> str:
        """Distinguishes findings: OAUTH_CLIENT_ID (the same offline and live), else the name."""
        return self.client_id or self.name


@dataclass(frozen=True)
class SnowflakeSnapshot:
    scope: str
    """The account (normal form, e.g. ``myorg-myaccount``), "" when unknown."""
    integration: SecurityIntegration | None
    lookup: Lookup = Lookup.FOUND
    searched: int = 0
    """How many OAuth security integrations a live lookup examined (for SF001's message)."""
    secret: SecretComparison = field(default_factory=SecretComparison)
    server_date: datetime | None = None
    observed_at: datetime | None = None


# -- parsing -----------------------------------------------------------------------------------------

_TRUE = frozenset({"true", "t", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off"})


def parse_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def parse_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def parse_list(value: str | None) -> tuple[str, ...]:
    """``[A, B]``, ``A,B``, ``["A","B"]`` or ``[]`` -> ``("A", "B")``."""
    if value is None:
        return ()
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    items = (item.strip().strip("'\"").strip() for item in text.split(","))
    return tuple(item for item in items if item)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def rows_to_properties(rows: Sequence[Any], source: str) -> dict[str, str | None]:
    """DESCRIBE rows -> {PROPERTY: value}; column names case-insensitive; raise SnapshotError."""
    properties: dict[str, str | None] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise SnapshotError(
                f"{source}: row {index} is not an object; expected DESCRIBE SECURITY INTEGRATION rows "
                '{"property", "property_type", "property_value", "property_default"}'
            )
        columns = {str(key).lower(): value for key, value in row.items()}
        name = columns.get("property")
        if not isinstance(name, str) or not name.strip():
            raise SnapshotError(f'{source}: row {index} has no "property" name')
        value = columns.get("property_value")
        properties[name.strip().upper()] = None if value is None else str(value)
    return properties


def integration_from_properties(
    name: str,
    properties: Mapping[str, str | None],
    *,
    kind: str | None = None,
    created_on: datetime | None = None,
) -> SecurityIntegration:
    p = properties
    client_type = _text(p.get("OAUTH_CLIENT_TYPE"))
    return SecurityIntegration(
        name=name,
        client_id=_text(p.get("OAUTH_CLIENT_ID")),
        enabled=parse_bool(p.get("ENABLED")),
        client_type=client_type.upper() if client_type else None,
        redirect_uri=p.get("OAUTH_REDIRECT_URI") if "OAUTH_REDIRECT_URI" in p else None,
        issue_refresh_tokens=parse_bool(p.get("OAUTH_ISSUE_REFRESH_TOKENS")),
        refresh_token_validity=parse_int(p.get("OAUTH_REFRESH_TOKEN_VALIDITY")),
        allow_non_tls_redirect=parse_bool(p.get("OAUTH_ALLOW_NON_TLS_REDIRECT_URI")),
        enforce_pkce=parse_bool(p.get("OAUTH_ENFORCE_PKCE")),
        pre_authorized_roles=parse_list(p.get("PRE_AUTHORIZED_ROLES_LIST")),
        blocked_roles=parse_list(p.get("BLOCKED_ROLES_LIST")),
        network_policy=_text(p.get("NETWORK_POLICY")),
        rsa_public_key_fp=_text(p.get("OAUTH_CLIENT_RSA_PUBLIC_KEY_FP")),
        rsa_public_key_2_fp=_text(p.get("OAUTH_CLIENT_RSA_PUBLIC_KEY_2_FP")),
        type=kind,
        created_on=created_on,
        properties={k: v for k, v in p.items() if not k.startswith("OAUTH_CLIENT_SECRET")},
    )


def parse_secrets_cell(cell: Any, source: str) -> dict[str, str | None]:
    """The SYSTEM$SHOW_OAUTH_CLIENT_SECRETS cell (JSON text or object) -> lower-case keys.

    Raises SnapshotError without echoing the cell (it holds secrets).
    """
    data = cell
    if isinstance(cell, str):
        try:
            data = json.loads(cell)
        except json.JSONDecodeError:
            raise SnapshotError(f'{source}: "secrets" is not a JSON object (content not shown)') from None
    if not isinstance(data, Mapping):
        raise SnapshotError(f'{source}: "secrets" is not a JSON object (content not shown)')
    return {str(k).lower(): (None if v is None else str(v)) for k, v in data.items()}


def compare_secret(configured: Secret | None, secrets: Mapping[str, str | None] | None) -> SecretComparison:
    """Constant-time comparison with both Snowflake secrets; only the outcome is kept."""
    if secrets is None:
        return SecretComparison()
    client_id = _text(secrets.get("oauth_client_id"))
    primary = secrets.get("oauth_client_secret") or None
    secondary = secrets.get("oauth_client_secret_2") or None
    has_secondary = secondary is not None
    if configured is None or not configured:
        return SecretComparison(secret_client_id=client_id, has_secondary=has_secondary)
    if primary is None and secondary is None:  # an answer of another shape proves no mismatch
        return SecretComparison(
            SecretOutcome.UNAVAILABLE,
            "the SYSTEM$SHOW_OAUTH_CLIENT_SECRETS answer holds no OAUTH_CLIENT_SECRET",
            secret_client_id=client_id,
        )
    # Evaluate both comparisons every time: no early exit that would time which one matched.
    matches_primary = configured.matches(primary)
    matches_secondary = configured.matches(secondary)
    if matches_primary:
        outcome = SecretOutcome.PRIMARY
    elif matches_secondary:
        outcome = SecretOutcome.SECONDARY
    else:
        outcome = SecretOutcome.MISMATCH
    return SecretComparison(outcome, secret_client_id=client_id, has_secondary=has_secondary)


def parse_export(
    data: Any, configured_secret: Secret | None, source: str
) -> tuple[str, str, SecurityIntegration, SecretComparison]:
    """An offline export -> (name, account, integration, secret comparison); raise SnapshotError."""
    name, account, secrets = "", "", None
    if isinstance(data, Mapping):
        keys = {str(k).lower(): v for k, v in data.items()}
        rows = next((keys[k] for k in ("describe", "rows", "properties") if k in keys), None)
        if rows is None:
            raise SnapshotError(
                f"{source}: expected the rows of DESCRIBE SECURITY INTEGRATION (a JSON list), or an object with "
                '"describe": [rows]'
            )
        name = str(keys.get("name") or "").strip()
        account = str(keys.get("account") or "").strip()
        if keys.get("secrets") is not None:
            secrets = parse_secrets_cell(keys["secrets"], source)
    else:
        rows = data
    if not isinstance(rows, list):
        raise SnapshotError(f"{source}: expected the rows of DESCRIBE SECURITY INTEGRATION as a JSON list")
    if not rows:
        raise SnapshotError(f"{source}: the DESCRIBE SECURITY INTEGRATION rows are empty")
    properties = rows_to_properties(rows, source)
    return name, account, integration_from_properties(name, properties), compare_secret(configured_secret, secrets)
