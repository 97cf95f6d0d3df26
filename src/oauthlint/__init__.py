"""oauthlint: lint live OAuth configuration against the identity providers' own APIs."""

from __future__ import annotations

__version__ = "0.1.0"
