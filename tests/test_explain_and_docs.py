"""`explain` recognises every error of Connect's troubleshooting page; docs/rules.md is the catalog's, not stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oauthlint.explain import explain
from oauthlint.ruledocs import as_markdown
from oauthlint.rules import catalog

ROOT = Path(__file__).resolve().parents[1]
TROUBLESHOOTING = ROOT.parent / "shared" / "reference" / "connect-oauth-troubleshooting.txt"

# The runtime error each message must lead to (first-listed rules), or "runtime" for errors no config causes.
EXPECTED = {
    "No refresh token found in response": {"OL001"},
    "Connect API Error 215": "runtime",
    "No OAuth integrations have been associated": {"CN001"},
    "No OAuth session found": "runtime",
    "The config key client_secret must not be provided": {"OL002"},
    "JWT signature does not match locally computed signature": {"AZ009"},
    "AADSTS7000215": {"AZ004", "AZ005", "AZ008"},
    "AADSTS500113": {"AZ002"},
    "AADSTS50011:": {"AZ003"},
    "AADSTS7000222": {"AZ006", "AZ007"},
    "mismatch in the given redirect uri": {"SF002"},
    "251001: Account must be specified": {"SF007"},
    "unauthorized_client: Invalid client or Invalid client credentials": {"KC005"},
    "400 Bad Request: Invalid client or Invalid client credentials": {"KC006"},
}


def troubleshooting_messages() -> list[str]:
    text = TROUBLESHOOTING.read_text(encoding="utf-8")
    return [
        m.strip() for m in re.findall(r"^\s*•\s+(.+)$", text, re.MULTILINE) if not m.startswith(("Cause", "Solution"))
    ]


def test_the_reference_page_is_parsed() -> None:
    assert len(troubleshooting_messages()) == len(EXPECTED)


@pytest.mark.parametrize("message", troubleshooting_messages(), ids=lambda m: m[:40])
def test_every_troubleshooting_error_is_explained(message: str) -> None:
    key = next(k for k in EXPECTED if k in message)
    expected = EXPECTED[key]
    for text in (message, message[: max(30, len(message) // 2)], key):
        result = explain(text, catalog())
        if expected == "runtime":
            assert result.runtime_only and not result.rules, text
        else:
            found = {rule.code for rule in result.rules}
            assert expected <= found, (text, found)


def test_aadsts_codes_do_not_match_as_prefixes() -> None:
    found = {r.code for r in explain("AADSTS500113", catalog()).rules}
    assert "AZ002" in found and "AZ003" not in found
    assert [r.code for r in explain("AADSTS50011", catalog()).rules][:1] == ["AZ003"]


def test_explain_a_code_or_name(run_cli) -> None:
    assert [r.code for r in explain("az003", catalog()).rules] == ["AZ003"]
    assert [r.code for r in explain("keycloak-secret-mismatch", catalog()).rules] == ["KC005"]
    unknown = run_cli("explain", "something nobody has ever seen")
    assert unknown.code == 1 and "No rule matches" in unknown.out
    known = run_cli("explain", "AADSTS7000222: The provided client secret keys for app 'x' are expired.")
    assert known.code == 0 and "AZ006" in known.out


def test_rules_command_page_and_json(run_cli) -> None:
    page = run_cli("rules", "AZ003", "--no-color")
    assert page.code == 0 and "azure-redirect-uri-mismatch" in page.out and "Fix" in page.out
    as_json = run_cli("rules", "--format", "json")
    import json

    data = json.loads(as_json.out)
    assert [r["code"] for r in data] == list(catalog())
    assert all(r["name"] and r["severity"] in {"error", "warning", "info"} and r["remediation"] for r in data)


def test_catalog_codes_and_names_are_well_formed() -> None:
    names = [rule.name for rule in catalog().values()]
    assert len(names) == len(set(names))
    for code, rule in catalog().items():
        assert re.fullmatch(r"[A-Z]{2}\d{3}", code) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), code
        assert rule.summary and rule.remediation, code


def test_docs_rules_md_is_generated_from_the_catalog() -> None:
    docs = ROOT / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == as_markdown(list(catalog().values())), (
        "docs/rules.md is stale: run `make docs`"
    )
