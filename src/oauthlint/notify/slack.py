"""Slack incoming webhooks: ``{"text": fallback, "blocks": [...]}`` (Block Kit).

Docs: https://api.slack.com/messaging/webhooks and https://api.slack.com/reference/block-kit/blocks —
a header's plain_text is at most 150 characters, a section's text at most 3000, a message at most 50 blocks.
mrkdwn needs ``&``, ``<`` and ``>`` escaped (https://api.slack.com/reference/surfaces/formatting#escaping).
A webhook answers 200 ``ok``; errors are 4xx with a short code (``invalid_payload``, ``no_service``);
rate limiting is 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from oauthlint.model import Severity
from oauthlint.notify.alert import Alert

MARK = {Severity.ERROR: ":red_circle:", Severity.WARNING: ":large_yellow_circle:", Severity.INFO: ":large_blue_circle:"}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def payload(alert: Alert) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(alert.title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(escape(alert.summary), 3000)}},
    ]
    for item in alert.shown:
        line = f"{MARK[item.level]} *{escape(item.title)}* · `{escape(item.subject)}`\n{escape(item.text)}"
        if item.owners:
            line += f"\nOwners: {escape(', '.join(item.owners))}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _cut(line, 3000)}})
    if alert.hidden:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"… and {alert.hidden} more"}]})
    return {"text": f"{alert.title}. {alert.summary}", "blocks": blocks}
