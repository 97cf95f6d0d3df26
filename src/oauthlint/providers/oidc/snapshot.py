"""The oidc snapshot: the issuer's discovery document plus the outcome of the secret probe.

Offline snapshot format (DESIGN.md "Offline snapshots"): the discovery document exactly as
``GET <issuer>/.well-known/openid-configuration`` returns it, or, to include a probe outcome,
``{"discovery": {...}, "probe": {"status": 401, "error": "invalid_client", "error_description": "..."}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oauthlint.errors import SnapshotError
from oauthlint.model import Integration
from oauthlint.providers.oidc.probe import ProbeResult, classify

WELL_KNOWN = "/.well-known/openid-configuration"
LIST_FIELDS = (
    "scopes_supported",
    "grant_types_supported",
    "response_types_supported",
    "token_endpoint_auth_methods_supported",
    "code_challenge_methods_supported",
)
URL_FIELDS = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


@dataclass(frozen=True)
class OidcSnapshot:
    discovery: Mapping[str, Any]
    discovery_url: str
    scope: str
    """The issuer."""
    probe: ProbeResult | None = None
    server_date: datetime | None = None
    observed_at: datetime | None = None

    def text(self, key: str) -> str | None:
        value = self.discovery.get(key)
        return value if isinstance(value, str) else None

    def listed(self, key: str) -> tuple[str, ...] | None:
        """A ``*_supported`` list, or None when the issuer does not publish it."""
        value = self.discovery.get(key)
        return tuple(value) if isinstance(value, list) else None


def validate_discovery(doc: Any, source: str) -> Mapping[str, Any]:
    """Check the shape of a discovery document (SnapshotError naming ``source``)."""
    if not isinstance(doc, Mapping):
        raise SnapshotError(f"{source}: expected an OpenID Provider configuration (a JSON object)")
    if not isinstance(doc.get("issuer"), str) or not doc["issuer"]:
        raise SnapshotError(f"{source}: no 'issuer': not an OpenID Provider configuration")
    for key in URL_FIELDS:
        if key in doc and not isinstance(doc[key], str):
            raise SnapshotError(f"{source}: {key}: expected a URL string")
    for key in LIST_FIELDS:
        value = doc.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise SnapshotError(f"{source}: {key}: expected a list of strings")
    return doc


def parse_snapshot(data: Any, integration: Integration, source: str) -> OidcSnapshot:
    probe: ProbeResult | None = None
    if isinstance(data, Mapping) and isinstance(data.get("discovery"), Mapping):
        doc = validate_discovery(data["discovery"], f"{source}: discovery")
        raw_probe = data.get("probe")
        if raw_probe is not None:
            probe = _parse_probe(raw_probe, f"{source}: probe")
    else:
        doc = validate_discovery(data, source)
    issuer = str(doc["issuer"])
    return OidcSnapshot(discovery=dict(doc), discovery_url=issuer.rstrip("/") + WELL_KNOWN, scope=issuer, probe=probe)


def _parse_probe(raw: Any, where: str) -> ProbeResult:
    if not isinstance(raw, Mapping):
        raise SnapshotError(f"{where}: expected {{'status': 401, 'error': 'invalid_client'}}")
    status = raw.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise SnapshotError(f"{where}: status: expected the HTTP status code")
    error, description = raw.get("error", ""), raw.get("error_description", "")
    if not isinstance(error, str) or not isinstance(description, str):
        raise SnapshotError(f"{where}: error and error_description must be strings")
    return classify(status, error, description, endpoint=str(raw.get("endpoint", "")))
