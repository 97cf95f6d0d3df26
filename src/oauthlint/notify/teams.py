"""Microsoft Teams Workflows webhooks ("When a Teams webhook request is received"): an Adaptive Card.

Docs: https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
(Workflows accept Adaptive Cards only, not the retired connectors' MessageCard) and
https://adaptivecards.io/explorer/ . The body is a message with one attachment whose contentType is
``application/vnd.microsoft.card.adaptive``; the workflow answers 202 Accepted.
"""

from __future__ import annotations

from typing import Any

from oauthlint.model import Severity
from oauthlint.notify.alert import Alert

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
COLOR = {Severity.ERROR: "Attention", Severity.WARNING: "Warning", Severity.INFO: "Accent"}


def card(alert: Alert) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": alert.title, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": alert.summary, "isSubtle": True, "wrap": True},
    ]
    for item in alert.shown:
        lines = [
            {
                "type": "TextBlock",
                "text": f"{item.level}: {item.title} · {item.subject}",
                "weight": "Bolder",
                "color": COLOR[item.level],
                "wrap": True,
            },
            {"type": "TextBlock", "text": item.text, "wrap": True, "spacing": "None"},
        ]
        if item.owners:
            lines.append(
                {"type": "TextBlock", "text": "Owners: " + ", ".join(item.owners), "isSubtle": True, "wrap": True}
            )
        body.append({"type": "Container", "separator": True, "items": lines})
    if alert.hidden:
        body.append({"type": "TextBlock", "text": f"… and {alert.hidden} more", "isSubtle": True, "wrap": True})
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": body,
    }


def payload(alert: Alert) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [{"contentType": CONTENT_TYPE, "contentUrl": None, "content": card(alert)}],
    }
