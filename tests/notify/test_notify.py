"""--notify: payload shapes checked by local servers (webhook receiver, STARTTLS SMTP), retries, failures."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from report_samples import CANARY, make_inventory, make_report

from conftest import SMTP_PASSWORD, SMTP_USER, Mailbox, Webhook
from oauthlint.engine import Report
from oauthlint.errors import UsageError
from oauthlint.notify import NotifyError, build_alert, notify, parse_target, parse_targets
from oauthlint.notify.http import retry_after
from oauthlint.notify.teams import CONTENT_TYPE

ENV = {"OAUTHLINT_SMTP_PASSWORD": SMTP_PASSWORD}


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return make_report(tmp_path / "oauthlint.toml")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# --- targets -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "display"),
    [
        ("https://hooks.slack.com/services/T000/B000/XXXXSECRETTOKEN", "slack", "slack (hooks.slack.com)"),
        (
            "https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=TOKEN",
            "teams",
            "teams (prod-12.westus.logic.azure.com)",
        ),
        (
            "https://default1234.ab.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x?sig=T",
            "teams",
            "teams (default1234.ab.environment.api.powerplatform.com)",
        ),
        ("https://contoso.webhook.office.com/webhookb2/abc", "teams", "teams (contoso.webhook.office.com)"),
        ("slack+https://chat.example.com/hooks/T", "slack", "slack (chat.example.com)"),
        ("teams+http://127.0.0.1:8080/hook", "teams", "teams (127.0.0.1)"),
        ("smtp://mail.example.com?to=ops@example.com", "email", "smtp (mail.example.com:587)"),
        ("smtps://mail.example.com?to=ops@example.com", "email", "smtp (mail.example.com:465)"),
    ],
)
def test_target_detection(url: str, kind: str, display: str) -> None:
    target = parse_target(url, {})
    assert (target.kind, target.display) == (kind, display)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/hook/SECRETPATH", "cannot tell the service from the host; write slack+https"),
        ("http://hooks.slack.com/services/SECRETPATH", "webhook URLs carry a token; use https"),
        ("ftp://example.com/SECRETPATH", "expected an https webhook URL or smtp://"),
        (
            "smtp://user:SECRETPATH@mail.example.com?to=a@example.com",
            "put the SMTP password in OAUTHLINT_SMTP_PASSWORD",
        ),
        ("smtp://mail.example.com", "to=: give one or more e-mail addresses"),
        ("smtp://mail.example.com?to=nobody", "to=: give one or more e-mail addresses"),
        ("smtp://bob@mail.example.com?to=a@example.com", "needs the password in the environment variable"),
        ("smtp://mail.example.com?to=a@example.com&cc=SECRETPATH", "unknown query key 'cc'"),
    ],
)
def test_bad_targets_are_one_line_usage_errors_without_the_token(url: str, expected: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_targets([url], environ={})
    message = str(info.value)
    assert expected in message
    assert "SECRETPATH" not in message
    assert "\n" not in message


def test_smtp_url_details() -> None:
    target = parse_target(
        "smtp://alerts%40example.com@mail.example.com:2525?to=a@example.com,b@example.com&owners=1", ENV
    )
    assert target.smtp is not None
    assert target.smtp.user == "alerts@example.com"
    assert target.smtp.sender == "alerts@example.com"
    assert target.smtp.recipients == ("a@example.com", "b@example.com")
    assert target.smtp.port == 2525 and target.smtp.owners and not target.smtp.implicit_tls


def test_retry_after_parsing() -> None:
    assert retry_after("3", 1.0) == 3.0
    assert retry_after("Wed, 21 Oct 2026 07:28:00 GMT", 1.0) == 1.0
    assert retry_after("99999", 1.0) == 60.0
    assert retry_after(None, 2.0) == 2.0


# --- what is sent --------------------------------------------------------------------------------------------


def test_alert_holds_what_fails_the_run(report: Report) -> None:
    errors = build_alert(report, "error")
    assert errors is not None
    assert {item.level.name for item in errors.items} == {"ERROR"}
    assert len(errors.items) == 4
    assert errors.title == "oauthlint: 4 findings at or above error"
    warnings = build_alert(report, "warning")
    assert warnings is not None and len(warnings.items) == 5
    assert build_alert(report, "never") is None
    assert build_alert(Report(), "info") is None


def test_alert_for_secrets_mirrors_the_exit_code() -> None:
    alert = build_alert(make_inventory(), "error")
    assert alert is not None
    titles = [item.title for item in alert.items]
    assert titles.count("credentials could not be listed") == 1
    assert titles.count("credential expired") == 1
    assert titles.count("credential expiring") == 3  # due within --within fails `secrets` at any --fail-on
    assert alert.title == "oauthlint: 4 credentials expired or due, 1 provider not listed"
    quiet = make_inventory(failures=False, within=None)
    only_expired = build_alert(quiet, "error")
    assert only_expired is not None and len(only_expired.items) == 1


def test_nothing_to_report_sends_nothing(webhook: Webhook, report: Report) -> None:
    report.findings = [f for f in report.findings if f.level.name != "ERROR"]
    assert notify([f"slack+{webhook.url('/slack')}"], report, "error") == []
    assert webhook.received == []


def test_slack_payload_shape(webhook: Webhook, report: Report) -> None:
    lines = notify([f"slack+{webhook.url('/slack')}"], report, "error")
    assert lines == ["slack (127.0.0.1): sent"]
    (request,) = webhook.received
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert set(body) == {"text", "blocks"}
    assert body["text"].startswith("oauthlint: 4 findings at or above error")
    header, summary, *items = body["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "oauthlint: 4 findings at or above error"},
    }
    assert summary["type"] == "section" and summary["text"]["type"] == "mrkdwn"
    assert len(items) == 4 and len(body["blocks"]) <= 50
    first = next(b["text"]["text"] for b in items if "OL001" in b["text"]["text"])
    assert first.startswith(":red_circle: *OL001 missing-offline-scope* · `sales-dashboard`")
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in first  # Slack mrkdwn escaping of the finding text
    assert all(len(block["text"]["text"]) <= 3000 for block in items)


def test_teams_payload_shape(webhook: Webhook, report: Report) -> None:
    webhook.plan("/teams", (202, {}, "", 0.0))
    notify([f"teams+{webhook.url('/teams')}"], report, "warning")
    (body,) = webhook.bodies("/teams")
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    title, _summary, *containers = card["body"]
    assert title["type"] == "TextBlock" and title["text"] == "oauthlint: 5 findings at or above warning"
    assert [c["type"] for c in containers] == ["Container"] * 5
    assert containers[0]["items"][0]["color"] == "Attention"
    assert containers[-1]["items"][0]["color"] == "Warning"


def test_many_items_are_capped(webhook: Webhook, report: Report) -> None:
    report.findings = [replace(report.findings[0], object_id=str(n)) for n in range(60)]
    notify([f"slack+{webhook.url('/slack')}"], report, "error")
    body = webhook.bodies("/slack")[0]
    assert len(body["blocks"]) == 2 + 25 + 1
    assert body["blocks"][-1]["elements"][0]["text"] == "… and 35 more"


# --- delivery: retries, failures, timeouts -------------------------------------------------------------------


def test_429_waits_retry_after_then_succeeds(webhook: Webhook, report: Report) -> None:
    webhook.plan("/slack", (429, {"Retry-After": "7"}, "rate_limited", 0.0), (503, {}, "", 0.0))
    sleeps = Sleeps()
    notify([f"slack+{webhook.url('/slack')}"], report, "error", sleep=sleeps)
    assert len(webhook.bodies("/slack")) == 3
    assert sleeps == [7.0, 2.0]  # Retry-After honoured, then exponential backoff


def test_5xx_until_the_last_attempt_fails(webhook: Webhook, report: Report) -> None:
    webhook.plan("/slack", *[(500, {}, "", 0.0)] * 3)
    with pytest.raises(NotifyError) as info:
        notify([f"slack+{webhook.url('/slack')}"], report, "error", sleep=Sleeps(), attempts=3)
    assert str(info.value) == "notify: 1 of 1 deliveries failed: slack (127.0.0.1): HTTP 500 after 3 attempts"
    assert info.value.exit_code == 3
    assert len(webhook.received) == 3


def test_4xx_is_not_retried_and_names_no_url(webhook: Webhook, report: Report) -> None:
    webhook.plan("/services/T0/B0/TOKEN123", (404, {}, "no_service", 0.0))
    sleeps = Sleeps()
    ok = f"slack+{webhook.url('/ok')}"
    with pytest.raises(NotifyError) as info:
        notify([f"slack+{webhook.url('/services/T0/B0/TOKEN123')}", ok], report, "error", sleep=sleeps)
    message = str(info.value)
    assert message == "notify: 1 of 2 deliveries failed: slack (127.0.0.1): HTTP 404 no_service"
    assert "TOKEN123" not in message
    assert sleeps == []
    assert len(webhook.bodies("/ok")) == 1  # the other target was still tried


def test_timeout_is_a_failed_delivery(webhook: Webhook, report: Report) -> None:
    webhook.plan("/slow", *[(200, {}, "ok", 1.0)] * 2)
    with pytest.raises(NotifyError, match=r"no answer within 0.2s after 2 attempts"):
        notify([f"slack+{webhook.url('/slow')}"], report, "error", timeout=0.2, attempts=2, sleep=Sleeps())


def test_connection_refused_is_a_failed_delivery(report: Report) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(NotifyError, match=r"connection failed \(ConnectionError\) after 1 attempt$"):
        notify([f"teams+http://127.0.0.1:{port}/x"], report, "error", attempts=1, sleep=Sleeps())


# --- e-mail ----------------------------------------------------------------------------------------------------


def _parse(raw: bytes) -> Any:
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_email_over_starttls_with_login(mailbox: Mailbox, report: Report) -> None:
    url = f"smtp://{SMTP_USER.replace('@', '%40')}@127.0.0.1:{mailbox.port}?to=ops@example.com"
    lines = notify([url], report, "error", environ=ENV, ssl_context=mailbox.client_context)
    assert lines == [f"smtp (127.0.0.1:{mailbox.port}): sent"]
    assert mailbox.logins == [SMTP_USER]
    ((sender, recipients, raw),) = mailbox.messages
    assert (sender, recipients) == (SMTP_USER, ["ops@example.com"])
    mail = _parse(raw)
    assert mail["Subject"] == "oauthlint: 4 findings at or above error"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_content()
    assert "[error] OL001 missing-offline-scope · sales-dashboard" in text
    assert SMTP_PASSWORD.encode() not in raw


def test_secrets_alert_is_routed_to_owners(mailbox: Mailbox) -> None:
    url = f"smtp://127.0.0.1:{mailbox.port}?to=ops@example.com&from=oauthlint@example.com&owners=1"
    lines = notify([url], make_inventory(), "error", environ={}, ssl_context=mailbox.client_context)
    assert lines == [f"smtp (127.0.0.1:{mailbox.port}): sent (+2 to owners)"]
    by_recipient = {tuple(r): _parse(raw) for _, r, raw in mailbox.messages}
    assert set(by_recipient) == {("ops@example.com",), ("alice@example.com",), ("bob@example.com",)}
    alice = by_recipient[("alice@example.com",)].get_content()
    assert "expired on 2026-11-22 (3 days ago)" in alice and "'soon'" in alice
    bob = by_recipient[("bob@example.com",)].get_content()
    assert "'soon'" in bob and "'old'" not in bob


def test_email_over_implicit_tls(tls_mailbox: Mailbox, report: Report) -> None:
    url = f"smtps://127.0.0.1:{tls_mailbox.port}?to=ops@example.com&from=a@example.com"
    notify([url], report, "error", environ={}, ssl_context=tls_mailbox.client_context)
    assert len(tls_mailbox.messages) == 1


def test_server_without_starttls_is_refused(plain_mailbox: Mailbox, report: Report) -> None:
    url = f"smtp://127.0.0.1:{plain_mailbox.port}?to=ops@example.com&from=a@example.com"
    with pytest.raises(NotifyError, match="does not offer STARTTLS; refusing to send in plain text"):
        notify([url], report, "error", environ={}, ssl_context=plain_mailbox.client_context)
    assert plain_mailbox.messages == []


def test_wrong_password_is_a_failed_delivery(mailbox: Mailbox, report: Report) -> None:
    url = f"smtp://{SMTP_USER.replace('@', '%40')}@127.0.0.1:{mailbox.port}?to=ops@example.com"
    with pytest.raises(NotifyError, match=r"login refused \(535\)") as info:
        notify(
            [url], report, "error", environ={"OAUTHLINT_SMTP_PASSWORD": "wrong-pw"}, ssl_context=mailbox.client_context
        )
    assert "wrong-pw" not in str(info.value)


def test_untrusted_certificate_is_a_failed_delivery(mailbox: Mailbox, report: Report) -> None:
    import ssl

    url = f"smtp://127.0.0.1:{mailbox.port}?to=ops@example.com&from=a@example.com"
    with pytest.raises(NotifyError, match=r"TLS failed"):
        notify([url], report, "error", environ={}, ssl_context=ssl.create_default_context())


# --- no secret in any message ----------------------------------------------------------------------------------


def test_no_secret_in_any_payload(webhook: Webhook, mailbox: Mailbox, report: Report) -> None:
    # a careless provider message that quotes the configured secret is scrubbed before it is sent
    report.findings.append(replace(report.findings[0], message=f"the token endpoint said {CANARY}", object_id="z"))
    targets = [
        f"slack+{webhook.url('/slack')}",
        f"teams+{webhook.url('/teams')}",
        f"smtp://127.0.0.1:{mailbox.port}?to=ops@example.com&from=a@example.com",
    ]
    notify(targets, report, "info", environ={}, ssl_context=mailbox.client_context)
    notify(targets, make_inventory(), "error", environ={}, ssl_context=mailbox.client_context)
    assert len(webhook.received) == 4 and len(mailbox.messages) == 2
    for request in webhook.received:
        assert CANARY.encode() not in request.body
        assert b"***" in request.body or b"credential" in request.body
    for _, _, raw in mailbox.messages:
        assert CANARY.encode() not in raw


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T000/B000/XXXXSECRETTOKEN",
        "teams+https://prod-1.westus.logic.azure.com/workflows/a/invoke?sig=XXXXSECRETTOKEN",
    ],
)
def test_target_repr_hides_the_webhook_token(url: str) -> None:
    target = parse_target(url, {})
    assert target.url.endswith("XXXXSECRETTOKEN")  # still usable for delivery
    for text in (repr(target), str(target), f"{target}", repr([target])):
        assert "XXXXSECRETTOKEN" not in text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/services/T0/B0/TOKEN789xyz", "unknown webhook TOKEN789xyz"),  # a receiver that echoes the token
        ("/services/T0/B0/TOKEN789xyz", "not found: /services/T0/B0/TOKEN789xyz"),
        ("/hook?sig=TOKEN789xyz", "bad sig=TOKEN789xyz"),
    ],
)
def test_error_body_echoing_the_token_is_not_passed_on(webhook: Webhook, report: Report, path: str, body: str) -> None:
    webhook.plan(path, (403, {}, body, 0.0))
    with pytest.raises(NotifyError) as info:
        notify([f"slack+{webhook.url(path)}"], report, "error", sleep=Sleeps())
    assert "TOKEN789xyz" not in str(info.value)
    assert str(info.value).endswith("slack (127.0.0.1): HTTP 403")
