"""``--select`` / ``--ignore``: rule codes or prefixes, as in ruff (``AZ``, ``AZ00``, ``AZ003``, ``ALL``)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oauthlint.errors import UsageError
from oauthlint.model import Rule

ALL = "ALL"
ALWAYS_ON = frozenset({"OL005"})
"""A check that could not run is never silenced by select/ignore: that would be a silent pass."""


@dataclass(frozen=True)
class RuleSelection:
    select: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls, select: Iterable[str], ignore: Iterable[str], rules: Mapping[str, Rule], where: str
    ) -> RuleSelection:
        return cls(
            select=validated(select, rules, f"{where} select") or (ALL,),
            ignore=validated(ignore, rules, f"{where} ignore"),
        )

    def enabled(self, code: str) -> bool:
        return _enabled(self, code)

    def decide(self, code: str) -> bool:
        if code in ALWAYS_ON:
            return True
        selected = _best_match(code, self.select)
        ignored = _best_match(code, self.ignore)
        if selected < 0:
            return False
        # The more specific selector wins, as in ruff: --select AZ --ignore AZ007 drops AZ007 only,
        # --ignore AZ --select AZ003 keeps AZ003.
        return ignored < selected


@functools.lru_cache(maxsize=4096)
def _enabled(selection: RuleSelection, code: str) -> bool:
    return selection.decide(code)


def validated(values: Iterable[str], rules: Mapping[str, Rule], where: str) -> tuple[str, ...]:
    """Normalised selectors (comma lists split, upper-cased); an unknown one is a UsageError naming ``where``."""
    return tuple(_validate(selector, rules, where) for selector in _split(values))


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def _validate(selector: str, rules: Mapping[str, Rule], where: str) -> str:
    if selector == ALL or any(code.startswith(selector) for code in rules):
        return selector
    hint = difflib.get_close_matches(selector, list(rules), n=1)
    suggestion = f" (did you mean {hint[0]}?)" if hint else ""
    raise UsageError(f"{where}: unknown rule code or prefix {selector!r}{suggestion}; see `oauthlint rules`")


def _best_match(code: str, selectors: tuple[str, ...]) -> int:
    """Length of the longest selector matching ``code`` (ALL counts as 0), or -1 if none matches."""
    best = -1
    for selector in selectors:
        if selector == ALL:
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best
