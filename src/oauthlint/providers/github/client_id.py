"""Telling a GitHub App's client id from an OAuth App's, offline.

GitHub does not document the formats; these are the shapes seen in GitHub's own changelog and in real
Connect configurations (provider-facts.md §5). Treat the answer as a heuristic, never as a contract.
"""

from __future__ import annotations

import enum
import re


class AppKind(enum.StrEnum):
    GITHUB_APP = "github-app"
    OAUTH_APP = "oauth-app"
    UNKNOWN = "unknown"


GITHUB_APP_ID = re.compile(r"^Iv(?:1\.[0-9a-f]{16}|23[A-Za-z0-9]{16})$")
"""``Iv23`` + 16 (``Iv23li…``), legacy ``Iv1.`` + 16 hex."""
OAUTH_APP_ID = re.compile(r"^(?:Ov23[A-Za-z0-9]{16}|[0-9a-f]{20})$")
"""``Ov23`` + 16 (``Ov23li…``), legacy 20 hex digits."""


def classify_client_id(client_id: str | None) -> AppKind:
    text = (client_id or "").strip()
    if GITHUB_APP_ID.match(text):
        return AppKind.GITHUB_APP
    if OAUTH_APP_ID.match(text):
        return AppKind.OAUTH_APP
    return AppKind.UNKNOWN


def describe(client_id: str) -> str:
    """Why the id looks like an OAuth App's, for messages."""
    if client_id.startswith("Ov23"):
        return "the `Ov23` prefix of OAuth App client ids"
    return "the 20-hex-digit shape of legacy OAuth App client ids"
