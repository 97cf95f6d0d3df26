"""Which providers exist: the built-ins plus whatever the ``oauthlint.providers`` entry points name.

Explicit, not discovered by scanning packages: a broken third-party plug-in is reported by name, and
loading a provider imports only its light modules (its client library is imported when it fetches).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator
from importlib.metadata import entry_points

from oauthlint.errors import UsageError
from oauthlint.providers.base import Provider

ENTRY_POINT_GROUP = "oauthlint.providers"

BUILTIN_PROVIDERS: dict[str, str] = {
    "azure": "oauthlint.providers.azure:provider",
    "connect": "oauthlint.providers.connect:provider",
    "custom": "oauthlint.providers.oidc:provider",  # Connect's "custom" template: any OIDC issuer
    "github": "oauthlint.providers.github:provider",
    "keycloak": "oauthlint.providers.keycloak:provider",
    "oidc": "oauthlint.providers.oidc:provider",
    "snowflake": "oauthlint.providers.snowflake:provider",
}


class ProviderRegistry:
    def __init__(self) -> None:
        self._targets: dict[str, str] = dict(BUILTIN_PROVIDERS)
        self._loaded: dict[str, Provider] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            self._targets[ep.name] = ep.value

    def register(self, provider: Provider) -> None:
        """Add a provider object directly (tests, embedding)."""
        if not isinstance(provider, Provider):
            raise TypeError(f"{provider!r} does not implement the Provider protocol")
        self._loaded[provider.name] = provider
        self._targets.setdefault(provider.name, "")

    def unregister(self, name: str) -> None:
        """Forget a provider added with :meth:`register` (tests)."""
        self._loaded.pop(name, None)
        if self._targets.get(name) == "":
            del self._targets[name]

    def names(self) -> list[str]:
        return sorted(self._targets)

    def get(self, name: str) -> Provider:
        if name in self._loaded:
            return self._loaded[name]
        target = self._targets.get(name)
        if target is None:
            raise UsageError(f"unknown provider {name!r}; known providers: {', '.join(self.names())}")
        provider = _load(name, target)
        self._loaded[name] = provider
        return provider

    def providers(self) -> Iterator[Provider]:
        for name in self.names():
            yield self.get(name)


def _load(name: str, target: str) -> Provider:
    module_name, _, attr = target.partition(":")
    try:
        obj = getattr(importlib.import_module(module_name), attr or "provider")
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"provider plug-in {name!r} ({target}) could not be loaded: {exc}") from None
    if not isinstance(obj, Provider):
        raise UsageError(f"provider plug-in {name!r} ({target}) does not implement the Provider protocol")
    return obj


@functools.cache
def registry() -> ProviderRegistry:
    return ProviderRegistry()
