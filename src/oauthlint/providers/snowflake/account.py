"""Snowflake account identifiers and account URLs (rule SF007), validated before any connection.

Formats (https://docs.snowflake.com/user-guide/admin-account-identifier):

- ``<orgname>-<account_name>``: the preferred form. The organization name is letters and digits; the
  account name letters, digits and underscores (in host names underscores become hyphens).
- the legacy account locator, optionally with region and cloud: ``xy12345``, ``xy12345.us-east-2``,
  ``xy12345.us-east-2.aws``, ``xy12345.east-us-2.azure``.
- either of those followed by ``.privatelink`` (``xy12345.us-east-1.privatelink``,
  ``myorg-myacct.privatelink``), and the connection-redirect form ``<orgname>-<connection>.global``.

The host is ``<identifier>.snowflakecomputing.com``; Connect's ``account_url`` is ``https://<host>``.
The connector's own checks (5.x: only ``[A-Za-z0-9._-]``; 4.x: ``^[A-Za-z0-9_-]+$`` per dot-separated
part) come too late and say too little (``251001``, errno 7, ``251007``); this module names the form expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DOMAIN = "snowflakecomputing.com"
CLOUDS = frozenset({"aws", "azure", "gcp"})
EXPECTED = "<orgname>-<account_name> (e.g. myorg-myaccount) or an account locator such as xy12345.us-east-2.aws"

_ORG_ACCOUNT = re.compile(r"^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9_][A-Za-z0-9_-]*$")
_LOCATOR = re.compile(r"^[A-Za-z]+[0-9][A-Za-z0-9]*$")
_REGION = re.compile(r"^[a-z]+(?:-[a-z]+)*-?[0-9]*$")
_ALLOWED = re.compile(r"^[A-Za-z0-9._-]+$")
_USERINFO = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?)[^/@]*@")


def _shown(text: str) -> str:
    """``text`` as messages may quote it: a ``user:password@`` part becomes ``***@``."""
    return _USERINFO.sub(r"\1***@", text)


class AccountError(ValueError):
    """A malformed account identifier or account URL; the message names the expected form."""


@dataclass(frozen=True)
class Account:
    """A validated Snowflake account: what the connector needs and what findings use as scope."""

    identifier: str
    """As the connector's ``account`` expects it: ``myorg-myaccount``, ``xy12345.us-east-2.aws``."""
    host: str
    """``<identifier>.snowflakecomputing.com`` with underscores turned into hyphens."""

    @property
    def url(self) -> str:
        return f"https://{self.host}"

    @property
    def scope(self) -> str:
        """A normal form for fingerprints: lower case, hyphens for underscores (``myorg-my-account``)."""
        return self.host.removesuffix(".cn").removesuffix("." + DOMAIN).replace("_", "-")

    @property
    def account_name(self) -> str:
        """The first label: what the connector sends as ACCOUNT_NAME at login."""
        return self.identifier.split(".", 1)[0]


def parse_account(text: str) -> Account:
    """Validate an account identifier (the ``account`` key); raise AccountError naming the expected form."""
    value, text = text.strip(), _shown(text)
    if not value:
        raise AccountError(f"account is empty; expected {EXPECTED}")
    if "://" in value:
        raise AccountError(
            f"account {text!r} is a URL, not an account identifier; use account = {_identifier_from_url(value)!r}"
            " or put the URL in account_url"
        )
    lowered = value.lower().rstrip("/")
    if lowered.endswith("." + DOMAIN) or lowered.endswith("." + DOMAIN + ".cn") or "/" in value:
        ident = lowered.split("/", 1)[0].removesuffix(".cn").removesuffix("." + DOMAIN)
        raise AccountError(
            f"account {text!r} is a host name, not an account identifier; use account = {ident!r}"
            f" (the connector appends .{DOMAIN} itself)"
        )
    if not _ALLOWED.match(value):
        bad = next(ch for ch in value if not re.match(r"[A-Za-z0-9._-]", ch))
        raise AccountError(f"account {text!r} contains {bad!r}; expected {EXPECTED}")
    parts = value.split(".")
    if any(not part for part in parts):
        raise AccountError(f"account {text!r} has an empty part between dots; expected {EXPECTED}")
    head, rest = parts[0], [p.lower() for p in parts[1:]]
    if rest and rest[-1] == "privatelink":
        rest = rest[:-1]
    if "-" in head:
        return _org_account(text, value, head, rest)
    return _locator(text, value, head, rest)


def _org_account(text: str, value: str, head: str, rest: list[str]) -> Account:
    if not _ORG_ACCOUNT.match(head):
        raise AccountError(
            f"account {text!r}: {head!r} is not <orgname>-<account_name> (the organization name is letters and "
            f"digits, the account name starts with a letter); expected {EXPECTED}"
        )
    if rest == ["global"] or not rest:
        return Account(value, _host(value))
    if rest and (rest[-1] in CLOUDS or _REGION.match(rest[0])):
        raise AccountError(
            f"account {text!r} mixes forms: an <orgname>-<account_name> identifier takes no region or cloud; "
            f"use account = {head!r}"
        )
    raise AccountError(f"account {text!r}: unexpected {'.'.join(rest)!r} after {head!r}; expected {EXPECTED}")


def _locator(text: str, value: str, head: str, rest: list[str]) -> Account:
    sql_form = len(rest) == 1 and "-" not in rest[0] and rest[0] not in CLOUDS and rest[0] != "global"
    if not _LOCATOR.match(head):
        if sql_form:
            raise AccountError(
                f"account {text!r} uses the SQL form <orgname>.<account_name>; the connector and account URLs "
                f"need {head}-{rest[0]}"
            )
        if not rest:
            raise AccountError(
                f"account {text!r} looks like an account name without its organization; expected {EXPECTED}"
            )
        raise AccountError(
            f"account {text!r}: {head!r} is neither <orgname>-<account_name> nor a locator; expected {EXPECTED}"
        )
    if not rest:
        return Account(value, _host(value))
    region, cloud = rest[0], rest[1:]
    if region in CLOUDS:
        raise AccountError(f"account {text!r} names a cloud without a region; expected e.g. {head}.us-east-2.{region}")
    if sql_form or "-" not in region or not _REGION.match(region):
        raise AccountError(
            f"account {text!r}: {region!r} is not a Snowflake region id (e.g. us-east-2, east-us-2); "
            f"for <orgname>.<account_name> the connector needs {head}-{region}"
        )
    if len(cloud) > 1 or (cloud and cloud[0] not in CLOUDS):
        raise AccountError(
            f"account {text!r}: {'.'.join(cloud)!r} is not a cloud; expected aws, azure or gcp "
            f"(e.g. {head}.{region}.aws)"
        )
    return Account(value, _host(value))


def parse_account_url(text: str) -> Account:
    """Validate Connect's ``account_url``: ``https://<identifier>.snowflakecomputing.com``, nothing more."""
    value, text = text.strip(), _shown(text)
    if "://" not in value:
        hint = _USERINFO.sub(r"\1", value).rstrip("/")
        if not hint.lower().endswith(DOMAIN):
            hint = f"{hint}.{DOMAIN}"
        raise AccountError(f"account_url {text!r} is not a URL; expected https://{hint}")
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if host == "app.snowflake.com":
        segments = [seg for seg in parts.path.split("/") if seg]
        hint = f"https://{segments[0]}-{segments[1]}.{DOMAIN}" if len(segments) >= 2 else f"https://<account>.{DOMAIN}"
        raise AccountError(f"account_url {text!r} is a Snowsight address; Connect needs {hint}")
    if parts.scheme.lower() != "https":
        raise AccountError(f"account_url {text!r} must use https (https://{host or '<account>.' + DOMAIN})")
    if not host.endswith("." + DOMAIN) and not host.endswith("." + DOMAIN + ".cn"):
        raise AccountError(f"account_url {text!r}: host {host!r} is not <account>.{DOMAIN}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise AccountError(f"account_url {text!r} must be only the scheme and host: https://{host}")
    try:
        port = parts.port
    except ValueError:
        raise AccountError(f"account_url {text!r} has an invalid port") from None
    if port not in (None, 443):
        raise AccountError(f"account_url {text!r} names port {port}; Snowflake serves https on 443 only")
    ident = host.removesuffix(".cn").removesuffix("." + DOMAIN)
    account = parse_account(ident)
    return Account(account.identifier, host)


def resolve(options: Mapping[str, Any]) -> Account:
    """The account an integration points at, from ``account`` and/or ``account_url`` (they must agree)."""
    raw_account = options.get("account")
    raw_url = options.get("account_url")
    account = parse_account(str(raw_account)) if _given(raw_account) else None
    from_url = parse_account_url(str(raw_url)) if _given(raw_url) else None
    if account is None and from_url is None:
        raise AccountError(
            "no account or account_url; set account_url = 'https://<orgname>-<account_name>.snowflakecomputing.com'"
            " (Connect's field) or account = '<orgname>-<account_name>'"
        )
    if account is not None and from_url is not None and account.scope != from_url.scope:
        raise AccountError(
            f"account {account.identifier!r} and account_url {_shown(str(raw_url))!r} name different accounts"
        )
    return from_url or account  # type: ignore[return-value]


def _given(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _host(identifier: str) -> str:
    return f"{identifier.lower().replace('_', '-')}.{DOMAIN}"


def _identifier_from_url(value: str) -> str:
    host = (urlsplit(value).hostname or "").lower()
    return host.removesuffix(".cn").removesuffix("." + DOMAIN) or "<orgname>-<account_name>"
