"""``oauthlint explain``: from a pasted runtime error (or a rule code) to the rules that predict it and the fix."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from oauthlint.model import Rule


@dataclass(frozen=True)
class RuntimeOnly:
    """A runtime error that no configuration causes: oauthlint cannot predict it, but can say what to do."""

    title: str
    patterns: tuple[str, ...]
    cause: str
    action: str


RUNTIME_ONLY: tuple[RuntimeOnly, ...] = (
    RuntimeOnly(
        title="Connect API Error 215: Invalid subject_token",
        patterns=(r"error 215", r"invalid subject_token", r"subject_token"),
        cause="Connect rejected the content's subject_token, most often because it expired.",
        action="Refresh the browser: Connect issues a fresh subject_token. No configuration change prevents it.",
    ),
    RuntimeOnly(
        title="ClientError: No OAuth session found",
        patterns=(r"no oauth session found", r"log in to the oauth integration before requesting credentials"),
        cause="The viewer has not logged in to the external OAuth application yet.",
        action=(
            "The viewer logs in: from the dashboard's login prompt or the Access tab of the Content Settings pane "
            "(Open Solo mode redirects automatically). Not a configuration error."
        ),
    ),
)


@dataclass(frozen=True)
class Explanation:
    rules: tuple[Rule, ...]
    runtime_only: tuple[RuntimeOnly, ...]

    @property
    def empty(self) -> bool:
        return not self.rules and not self.runtime_only


AADSTS = re.compile(r"AADSTS\d+", re.IGNORECASE)


def explain(text: str, rules: Mapping[str, Rule]) -> Explanation:
    """Match a rule code, or every rule whose ``error_patterns`` occur in the pasted text."""
    query = " ".join(text.split())
    code = query.upper()
    if code in rules:
        return Explanation((rules[code],), ())
    by_name = {rule.name: rule for rule in rules.values()}
    if query.lower() in by_name:
        return Explanation((by_name[query.lower()],), ())
    runtime = tuple(r for r in RUNTIME_ONLY if _matches(query, r.patterns))
    if runtime and not AADSTS.search(query):
        # "No OAuth session found" also contains words that generic patterns would catch; it is runtime-only.
        return Explanation((), runtime)
    matched = tuple(rule for rule in rules.values() if _matches(query, rule.error_patterns))
    if not matched and not runtime:
        # A fragment pasted from the middle of a message: compare words with what each rule prevents.
        runtime = tuple(r for r in RUNTIME_ONLY if _overlaps(query, r.title + " " + r.cause))
        matched = tuple(rule for rule in rules.values() if _overlaps(query, rule.prevents + " " + rule.summary))
    return Explanation(_most_specific(query, matched), runtime)


def _matches(query: str, patterns: tuple[str, ...]) -> bool:
    return any(re.search(_whole_code(pattern), query, re.IGNORECASE) for pattern in patterns)


WORD = re.compile(r"[a-z0-9_$]{3,}")
MIN_SHARED_WORDS = 3
MIN_SHARED_FRACTION = 0.75


def _overlaps(query: str, text: str) -> bool:
    """Most words of the query (a cut-off last word may be a prefix) occur in ``text``."""
    words = WORD.findall(query.lower())
    if len(words) < MIN_SHARED_WORDS:
        return False
    vocabulary = set(WORD.findall(text.lower()))
    shared = sum(1 for w in words[:-1] if w in vocabulary)
    last = words[-1]
    shared += 1 if any(v.startswith(last) for v in vocabulary) else 0
    return shared >= MIN_SHARED_WORDS and shared / len(words) >= MIN_SHARED_FRACTION


def _whole_code(pattern: str) -> str:
    """``AADSTS50011`` must not match inside ``AADSTS500113``: a bare error code ends at a non-digit."""
    return pattern + r"(?!\d)" if re.fullmatch(r"AADSTS\d+", pattern) else pattern


def _most_specific(query: str, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Rules naming an AADSTS code that appears in the text come first; the rest keep catalog order."""
    codes = {m.upper() for m in AADSTS.findall(query)}
    return tuple(sorted(rules, key=lambda rule: 0 if codes & {p.upper() for p in rule.error_patterns} else 1))
