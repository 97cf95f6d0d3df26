"""oauthlint's short error hierarchy.

- :class:`UsageError` and its children: the user's input is wrong. One line on stderr, exit 2.
- :class:`ProviderError`: a provider could not be queried. Becomes the finding OL005, never a crash.
"""

from __future__ import annotations


class OauthlintError(Exception):
    """Base of every error oauthlint raises on purpose."""


class UsageError(OauthlintError):
    """A mistake in flags, config or input files; the message is one readable line."""


class ConfigError(UsageError):
    """A mistake in oauthlint.toml / [tool.oauthlint]; the message names the file and the key."""


class SnapshotError(UsageError):
    """An offline snapshot file is unreadable or not in the provider's own format."""


class ProviderError(OauthlintError):
    """A provider could not be asked. ``operation`` says what was attempted, the message says why.

    The message must never contain a secret or a token; fetchers build it from status codes and error
    codes, not from request bodies.
    """

    def __init__(self, provider: str, operation: str, reason: str) -> None:
        super().__init__(f"{provider}: {operation} failed: {reason}")
        self.provider = provider
        self.operation = operation
        self.reason = reason
