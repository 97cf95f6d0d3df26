"""The azure provider plug-in (offline snapshots and pure checks; live fetcher in fetch.py)."""

from __future__ import annotations

from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Integration
from oauthlint.providers.azure.rules import RULES
from oauthlint.providers.base import BaseProvider


class AzureProvider(BaseProvider):
    name = "azure"
    rules = RULES

    def fetch(self, integration: Integration, settings: Any) -> Any:
        raise ProviderError("azure", "live fetch", "not supported yet")


provider = AzureProvider()
