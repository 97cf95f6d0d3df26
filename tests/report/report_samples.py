"""Reports and inventories built directly (no providers, no CLI) for the format, baseline and notify tests.

Every integration's secret is the canary; messages carry the characters each format must escape.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from oauthlint.config import Suppression
from oauthlint.engine import Report, SuppressedFinding
from oauthlint.inventory import Inventory, build
from oauthlint.model import AuthMode, Credential, Finding, Integration, Rule, Secret, Severity
from oauthlint.rules import OL001, OL003, OL004, OL005, OL006

CANARY = "canary-Sup3rS3cret-7f1c2e"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

TS001 = Rule(
    code="TS001",
    name="test-info-rule",
    severity=Severity.INFO,
    summary="An informational rule that only the tests define.",
    prevents="",
    remediation="Nothing to do.",
    provider="test",
)

CONFIG_TEXT = """\
connect_server = "https://connect.example.com"

[[integrations]]
name = "sales-dashboard"
provider = "azure"
client_secret = "${env:SALES_SECRET}"

[[integrations]]
name = 'warehouse'   # snowflake
provider = "snowflake"

[[integrations]]
name = "hr-portal"
provider = "keycloak"
"""

TRICKY = 'odd text: 100% sure, "quoted" <b>&amp;</b>\nsecond line\r\n::error::injected'


def integrations(config: Path) -> list[Integration]:
    source = f"{config}: integrations[{{}}]"
    return [
        Integration(
            name="sales-dashboard",
            provider="azure",
            client_id="11111111-2222-3333-4444-555555555555",
            client_secret=Secret(CANARY, source="env:SALES_SECRET"),
            scopes=("openid",),
            connect_server="https://connect.example.com",
            source=source.format(0),
        ),
        Integration(
            name="warehouse",
            provider="snowflake",
            client_id="SNOWCLIENT",
            client_secret=Secret(CANARY),
            source=source.format(1),
        ),
        Integration(
            name="hr-portal",
            provider="keycloak",
            auth_mode=AuthMode.PUBLIC,
            client_id="hr",
            client_secret=Secret(CANARY),
            source=source.format(2),
        ),
    ]


def make_report(config: Path) -> Report:
    items = integrations(config)
    findings = [
        Finding(
            OL001,
            "sales-dashboard",
            "azure",
            "Scopes lack offline_access: " + TRICKY,
            resource="app registration 'Sales' (appId 1111…)",
            scope="tenant-a",
            object_id="app-1",
        ),
        Finding(OL004, "sales-dashboard", "azure", "connect_server is http://connect", scope="tenant-a", object_id="x"),
        Finding(OL004, "sales-dashboard", "azure", "second OL004 finding", scope="tenant-a", object_id="y"),
        Finding(OL006, "warehouse", "snowflake", "clock skew of 5 minutes", scope="ACME-ORG", object_id="SNOW"),
        Finding(OL005, "hr-portal", "keycloak", "keycloak: GET clients failed: HTTP 403", object_id="keycloak"),
        Finding(TS001, "warehouse", "snowflake", "just so you know", scope="ACME-ORG", object_id="i"),
    ]
    suppressed = [
        SuppressedFinding(
            Finding(OL003, "warehouse", "snowflake", "no secret", scope="ACME-ORG", object_id="SNOW"),
            Suppression(rule="OL003", reason="rotation booked, see CHG-42", until=date(2026, 12, 31)),
        )
    ]
    core = ("OL001", "OL002", "OL003", "OL004", "OL005", "OL006")
    return Report(
        findings=findings,
        suppressed=suppressed,
        integrations=items,
        rules_run={i.name: core for i in items},
        generated_at=NOW,
    )


def make_inventory(failures: bool = True, within: timedelta | None = timedelta(days=30)) -> Inventory:
    def cred(name: str, days: float | None, **extra: object) -> Credential:
        return Credential(
            provider=str(extra.pop("provider", "azure")),
            scope=str(extra.pop("scope", "tenant-a")),
            owner_name=str(extra.pop("owner_name", "Sales")),
            owner_id="app-1",
            object_type="application",
            kind="password",
            name=name,
            credential_id=f"key-{name}",
            start=NOW - timedelta(days=300),
            end=None if days is None else NOW + timedelta(days=days),
            integration="sales-dashboard",
            **extra,  # type: ignore[arg-type]
        )

    credentials = [
        cred("old", -3, owners=("alice@example.com",)),
        cred("soon", 5, owners=("alice@example.com", "bob@example.com")),
        cred('we"ird\\name\nx', 20),
        cred("later", 200),
        cred("forever", None),
        cred("kc", 10, provider="keycloak", scope="realm-1", owner_name="hr"),
    ]
    return build(
        credentials,
        now=NOW,
        within=within,
        failures=["snowflake: DESCRIBE SECURITY INTEGRATION failed: 390100"] if failures else [],
    )
