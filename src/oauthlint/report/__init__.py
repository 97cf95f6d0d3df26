"""Output formats. Each format is one module with a ``RENDERER`` that implements :class:`Renderer`.

Formats are imported only when used, so ``oauthlint --help`` stays fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from oauthlint.errors import UsageError

if TYPE_CHECKING:
    from oauthlint.engine import Report
    from oauthlint.inventory import Inventory

FORMATS: dict[str, str] = {
    "text": "oauthlint.report.text",
    "json": "oauthlint.report.json_format",
    "sarif": "oauthlint.report.sarif",
    "junit": "oauthlint.report.junit",
    "github": "oauthlint.report.github",
    "prometheus": "oauthlint.report.prometheus",
}


@dataclass(frozen=True)
class RenderOptions:
    fail_on: str = "error"
    color: bool = False
    quiet: bool = False
    width: int = 100


class Renderer(Protocol):
    def findings(self, report: Report, options: RenderOptions) -> str: ...

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str: ...


def renderer(name: str) -> Renderer:
    module = FORMATS.get(name)
    if module is None:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return importlib.import_module(module).RENDERER  # type: ignore[no-any-return]
