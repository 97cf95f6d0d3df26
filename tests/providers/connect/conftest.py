"""Register the github, oidc and connect providers until the lead adds them to the built-in registry."""

from __future__ import annotations

import contextlib
import importlib

from oauthlint.registry import registry

for _name in ("github", "oidc", "connect"):
    if _name not in registry().names():
        with contextlib.suppress(ImportError):  # a sibling provider not written yet
            registry().register(importlib.import_module(f"oauthlint.providers.{_name}").provider)
