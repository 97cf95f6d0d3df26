"""What a token endpoint's answer to a client-credentials request says about the client secret (pure).

RFC 6749 §5.2 defines the errors. Only two answers decide anything:

- ``invalid_client`` (400 or 401), or any other 401 (§5.2 reserves 401 for failed client authentication): the
  secret is rejected (or the client id is unknown, or the authentication method is not allowed for it);
- a 2xx (a token was issued) or ``unauthorized_client`` ("the *authenticated* client is not authorized to use
  this authorization grant type"): the secret was accepted.

``unsupported_grant_type``, ``invalid_scope``, ``invalid_request``, ``invalid_grant`` are inconclusive: the
RFC does not say that the server authenticates the client before it validates the grant, and some servers
(Keycloak checks the grant type first) do not. Keycloak answers a wrong secret with
``unauthorized_client`` + "Invalid client or Invalid client credentials" (keycloak#16923), so an
``unauthorized_client`` whose description speaks of invalid client credentials counts as a rejection; any other
``unauthorized_client`` counts as accepted even with 401, which is how Keycloak answers a right secret of a
client without service accounts ("Client not enabled to retrieve service account").
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

CREDENTIALS_REJECTED = re.compile(
    r"invalid client credentials|invalid client secret|client authentication failed|bad client credentials", re.I
)


class ProbeOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INCONCLUSIVE = "inconclusive"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ProbeResult:
    outcome: ProbeOutcome
    endpoint: str = ""
    http_status: int | None = None
    error: str = ""
    """The OAuth ``error`` code, never the body."""
    detail: str = ""
    """Why the outcome follows, for messages."""


def classify(status: int, error: str = "", description: str = "", endpoint: str = "") -> ProbeResult:
    """Classify a token endpoint's answer (status, OAuth ``error``, ``error_description``)."""
    error = error.strip()
    if 200 <= status < 300:
        return ProbeResult(ProbeOutcome.ACCEPTED, endpoint, status, "", "a token was issued (discarded unread)")
    # unauthorized_client first: Keycloak sends it with 401 both for a wrong secret and, after authenticating
    # the client, for "Client not enabled to retrieve service account" (provider-facts.md §4.2, §4.3).
    if error == "unauthorized_client":
        if CREDENTIALS_REJECTED.search(description):
            why = (
                f"HTTP {status} unauthorized_client 'Invalid client credentials' (Keycloak's answer to a wrong secret)"
            )
            return ProbeResult(ProbeOutcome.REJECTED, endpoint, status, error, why)
        why = "unauthorized_client: the client was authenticated but may not use the client_credentials grant"
        return ProbeResult(ProbeOutcome.ACCEPTED, endpoint, status, error, why)
    if error == "invalid_client" or status == 401:
        why = f"HTTP {status} {error}".strip() + ": client authentication failed (RFC 6749 §5.2)"
        return ProbeResult(ProbeOutcome.REJECTED, endpoint, status, error, why)
    why = f"HTTP {status} {error or 'without an OAuth error'}: says nothing about the secret"
    return ProbeResult(ProbeOutcome.INCONCLUSIVE, endpoint, status, error, why)
