"""The snowflake provider plug-in: Snowflake OAuth security integrations (``TYPE = OAUTH``, custom clients).

Modules: ``account`` (SF007 identifier/URL validation), ``snapshot`` (typed snapshot from DESCRIBE
rows), ``checks`` (pure), ``settings`` (``[providers.snowflake]``), ``fetch`` (live, imports the
connector lazily), ``audit`` (``--all`` and the credential listing), ``rules`` (catalog entries).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from oauthlint.model import Credential, Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.snowflake.account import AccountError, resolve
from oauthlint.providers.snowflake.checks import CHECKS
from oauthlint.providers.snowflake.rules import RULES
from oauthlint.providers.snowflake.settings import SnowflakeSettings, parse_settings
from oauthlint.providers.snowflake.snapshot import SnowflakeSnapshot, parse_export


class SnowflakeProvider(BaseProvider):
    name = "snowflake"
    rules = RULES
    checks = CHECKS
    offline_scopes = ("refresh_token",)
    integration_keys = MappingProxyType({"account": str, "account_url": str, "integration_name": str})

    def parse_settings(self, raw: Any, where: str) -> SnowflakeSettings:
        return parse_settings(raw, where)

    def parse_snapshot(self, data: Any, integration: Integration, source: str) -> SnowflakeSnapshot:
        name, account, si, secret = parse_export(data, integration.client_secret, source)
        if not name and integration.options.get("integration_name"):
            si = replace(si, name=str(integration.options["integration_name"]).upper())
        return SnowflakeSnapshot(scope=account_scope(integration, account), integration=si, secret=secret)

    def fetch(self, integration: Integration, settings: Any) -> SnowflakeSnapshot:
        from oauthlint.providers.snowflake.fetch import fetch

        return fetch(integration, settings)

    def credentials(self, integration: Integration, snapshot: Any) -> Iterator[Credential]:
        from oauthlint.providers.snowflake.audit import credentials

        return credentials(integration, snapshot)

    def scan_credentials(self, settings: Any, *, owners: bool = False) -> Iterator[Credential]:
        """``secrets --provider snowflake``: every OAuth integration in each configured account (owners: n/a)."""
        from oauthlint.providers.snowflake.audit import scan_secrets_live

        return scan_secrets_live(settings)


def account_scope(integration: Integration, fallback: str = "") -> str:
    """The account an integration names, in normal form; the export's ``account`` when it names none/a bad one."""
    try:
        return resolve(integration.options).scope
    except AccountError:
        pass
    if fallback:
        try:
            return resolve({"account": fallback}).scope
        except AccountError:
            return fallback.lower()
    return ""


provider = SnowflakeProvider()
