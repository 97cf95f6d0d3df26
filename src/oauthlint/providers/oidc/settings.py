"""``[providers.oidc]``: how oauthlint talks to issuers (one table for every issuer).

```toml
[providers.oidc]
timeout = 10            # seconds
ca_bundle = "/etc/ssl/internal-ca.pem"
retries = 2             # extra attempts for discovery GETs (connection errors, 429, 502-504)
probe = true            # send a client-credentials token request to check the configured secret (OI004)
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oauthlint.errors import ConfigError
from oauthlint.validation import reject_unknown_keys

KEYS = ("timeout", "ca_bundle", "retries", "probe")


@dataclass(frozen=True)
class HttpOptions:
    timeout: float = 10.0
    """Seconds for connecting and for each read."""
    ca_bundle: str | None = None
    """A PEM file of trusted CAs (an internal CA); None: requests' default trust store."""
    retries: int = 2
    """Extra attempts for a GET after a connection failure or a 429/502/503/504."""
    backoff: float = 0.5
    max_retry_after: float = 10.0

    @property
    def verify(self) -> bool | str:
        return self.ca_bundle or True


@dataclass(frozen=True)
class OidcSettings:
    http: HttpOptions = field(default_factory=HttpOptions)
    probe: bool = True


def parse_settings(raw: Any, where: str) -> OidcSettings:
    if raw is None:
        return OidcSettings()
    if isinstance(raw, OidcSettings):
        return raw
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table [providers.oidc]")
    reject_unknown_keys(raw, KEYS, where)
    timeout = raw.get("timeout", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 300:
        raise ConfigError(f"{where}: timeout: expected seconds between 0 and 300, got {timeout!r}")
    retries = raw.get("retries", 2)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 5:
        raise ConfigError(f"{where}: retries: expected 0 to 5, got {retries!r}")
    probe = raw.get("probe", True)
    if not isinstance(probe, bool):
        raise ConfigError(f"{where}: probe: expected true or false")
    ca_bundle = raw.get("ca_bundle")
    if ca_bundle is not None:
        if not isinstance(ca_bundle, str):
            raise ConfigError(f"{where}: ca_bundle: expected a path to a PEM file")
        if not Path(ca_bundle).expanduser().is_file():
            raise ConfigError(f"{where}: ca_bundle: no such file {ca_bundle}")
        ca_bundle = str(Path(ca_bundle).expanduser())
    return OidcSettings(http=HttpOptions(timeout=float(timeout), ca_bundle=ca_bundle, retries=retries), probe=probe)
