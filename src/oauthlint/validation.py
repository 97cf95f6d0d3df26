"""Small validation helpers shared by the config loader and the providers' settings parsers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from oauthlint.errors import ConfigError


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``""``."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def reject_unknown_keys(raw: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """One ConfigError line for the first key not in ``allowed``, with a did-you-mean or the valid keys."""
    known = list(allowed)
    for key in raw:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"; valid keys: {', '.join(known)}"
            raise ConfigError(f"{where}: unknown key {str(key)!r}{hint}")
