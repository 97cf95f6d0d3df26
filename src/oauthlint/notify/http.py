"""POST a JSON payload to a webhook with a timeout and bounded retries.

Retried: connection errors, timeouts, 5xx, and 429 (waiting ``Retry-After`` seconds, capped). Not retried:
other 4xx (a wrong or revoked webhook does not heal). Errors name the service and host, never the URL's
path or query, which hold the webhook's token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from oauthlint.errors import OauthlintError

MAX_RETRY_AFTER = 60.0
_SHORT_BODY = re.compile(r"^[\w .:,/-]{1,80}$")


class DeliveryFailed(OauthlintError):
    """One delivery failed for good; the message is one line without the URL."""


def retry_after(value: str | None, default: float) -> float:
    """Seconds from a ``Retry-After`` header (delta-seconds; an HTTP date falls back to ``default``), capped."""
    if value is None:
        return default
    try:
        seconds = float(value.strip())
    except ValueError:
        return default
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def post_json(
    url: str,
    payload: Any,
    *,
    timeout: float,
    attempts: int,
    sleep: Callable[[float], None],
    backoff: float = 1.0,
) -> int:
    """POST and return the final 2xx status; raise :class:`DeliveryFailed` after the last attempt."""
    import requests

    reason = ""
    for attempt in range(1, attempts + 1):
        wait = backoff * 2 ** (attempt - 1)
        try:
            response = requests.post(url, json=payload, timeout=timeout, allow_redirects=False)
        except requests.Timeout:
            reason = f"no answer within {timeout:g}s"
        except requests.RequestException as exc:
            reason = f"connection failed ({type(exc).__name__})"
        else:
            if 200 <= response.status_code < 300:
                return response.status_code
            reason = f"HTTP {response.status_code}" + _body_hint(response.text, url)
            if response.status_code == 429:
                wait = retry_after(response.headers.get("Retry-After"), wait)
            elif not 500 <= response.status_code < 600:
                raise DeliveryFailed(reason)
        if attempt < attempts:
            sleep(wait)
    raise DeliveryFailed(f"{reason} after {attempts} attempt{'s' if attempts != 1 else ''}")


def _body_hint(text: str, url: str) -> str:
    """Slack answers with a short error code (``no_service``); pass that on, nothing longer, and nothing that
    echoes a piece of the URL's path or query (the token)."""
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    if not _SHORT_BODY.match(first):
        return ""
    parts = urlsplit(url)
    pieces = re.split(r"[/?&=]", f"{parts.path}?{parts.query}")
    if any(len(piece) >= 4 and piece in first for piece in pieces):
        return ""
    return f" {first}"
