"""The snowflake provider plug-in (offline snapshots and pure checks; live fetcher in fetch.py)."""

from __future__ import annotations

from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Integration
from oauthlint.providers.base import BaseProvider
from oauthlint.providers.snowflake.rules import RULES


class SnowflakeProvider(BaseProvider):
    name = "snowflake"
    rules = RULES

    def fetch(self, integration: Integration, settings: Any) -> Any:
        raise ProviderError("snowflake", "live fetch", "not supported yet")


provider = SnowflakeProvider()
