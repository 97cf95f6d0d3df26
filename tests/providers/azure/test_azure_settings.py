"""[providers.azure] validation: one line per mistake, naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from oauthlint.errors import ConfigError, ProviderError
from oauthlint.model import Integration, Secret
from oauthlint.providers.azure.settings import parse_settings

BASE = {"tenant_id": "t1", "client_id": "reader", "client_secret": "CANARY-settings-secret"}


def test_single_table() -> None:
    settings = parse_settings(dict(BASE), "oauthlint.toml: providers.azure")
    tenant = settings.tenants[0]
    assert tenant.graph_endpoint == "https://graph.microsoft.com"
    assert tenant.authority_host == "https://login.microsoftonline.com"
    assert isinstance(tenant.client_secret, Secret) and "CANARY" not in repr(tenant)
    assert tenant.verify is True


@pytest.mark.parametrize(
    ("cloud", "authority", "graph"),
    [
        ("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us"),
        ("china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"),
    ],
)
def test_national_clouds(cloud: str, authority: str, graph: str) -> None:
    tenant = parse_settings({**BASE, "cloud": cloud}, "w").tenants[0]
    assert (tenant.authority_host, tenant.graph_endpoint) == (authority, graph)


def test_custom_hosts_and_ca_bundle() -> None:
    tenant = parse_settings(
        {
            **BASE,
            "authority_host": "https://127.0.0.1:8443/",
            "graph_endpoint": "https://127.0.0.1:8443",
            "ca_bundle": "ca.pem",
        },
        "w",
    ).tenants[0]
    assert tenant.authority_host == "https://127.0.0.1:8443"
    assert tenant.verify == "ca.pem"


def test_secret_object_is_accepted() -> None:
    secret = Secret("CANARY-x", source="env:X")
    assert parse_settings({**BASE, "client_secret": secret}, "w").tenants[0].client_secret is secret


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**BASE, "tenant": "x"}, r"unknown key 'tenant' \(did you mean 'tenant_id'\?\)"),
        ({"client_id": "r", "client_secret": "s"}, "tenant_id: required"),
        ({**BASE, "tenant_id": "common"}, "is not a tenant"),
        ({"tenant_id": "t", "client_id": "r"}, "set client_secret or certificate_path"),
        ({**BASE, "certificate_path": "c.pem"}, "not both"),
        ({**BASE, "cloud": "germany"}, "unknown cloud 'germany'"),
        ({**BASE, "graph_endpoint": "http://graph"}, "must be an https:// URL"),
        ({**BASE, "timeout": 0}, "timeout: expected a positive number"),
        ({**BASE, "probe": "no"}, "probe: expected true or false"),
        ({**BASE, "page_size": 5000}, "page_size"),
        ("x", "expected a table or an array of tables"),
    ],
)
def test_mistakes(raw: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_settings(raw, "oauthlint.toml: providers.azure")
    assert "CANARY" not in str(info.value)


def test_several_tenants_and_selection() -> None:
    settings = parse_settings(
        [{**BASE, "tenant_id": "T1", "name": "prod"}, {**BASE, "tenant_id": "t2"}], "oauthlint.toml: providers.azure"
    )
    integ = Integration("x", "azure", options={"tenant_id": "t2"})
    assert settings.for_integration(integ).tenant_id == "t2"
    assert settings.for_integration(Integration("x", "azure", options={"tenant_id": "prod"})).tenant_id == "T1"
    with pytest.raises(ProviderError, match="set tenant_id on the integration"):
        settings.for_integration(Integration("x", "azure"))
    with pytest.raises(ProviderError, match=r"no \[providers\.azure\] entry has tenant_id = 't3'"):
        settings.for_integration(Integration("x", "azure", options={"tenant_id": "t3"}))
    assert [t.tenant_id for t in settings.tenant("prod")] == ["T1"]
    assert all(not t.probe for t in settings.with_overrides(probe=False).tenants)
    with pytest.raises(ConfigError, match="configured twice"):
        parse_settings([BASE, BASE], "w")


def test_no_settings() -> None:
    with pytest.raises(ProviderError, match=r"no \[providers\.azure\] credentials"):
        parse_settings(None, "w").for_integration(Integration("x", "azure"))


def test_authority_and_instance_discovery() -> None:
    from oauthlint.providers.azure.fetch import _authority, _instance_discovery

    public = parse_settings(dict(BASE), "w").tenants[0]
    assert _authority(public) == "https://login.microsoftonline.com/t1" and _instance_discovery(public)
    gov = parse_settings({**BASE, "cloud": "usgov"}, "w").tenants[0]
    assert _authority(gov) == "https://login.microsoftonline.us/t1" and _instance_discovery(gov)
    custom = parse_settings({**BASE, "authority_host": "https://login.example.org"}, "w").tenants[0]
    assert not _instance_discovery(custom)  # msal would otherwise reject an unknown host (invalid_instance)


def test_unreadable_reader_certificate_is_a_provider_error(tmp_path: Path) -> None:
    """A PEM whose certificate block does not parse is OL005 with a one-line reason, not a raw ValueError."""
    from oauthlint.providers.azure.fetch import _thumbprint

    pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(ProviderError, match="certificate"):
        _thumbprint(pem, tmp_path / "reader.pem")


def test_msal_error_dict_of_odd_shape_is_read_without_crashing() -> None:
    """``error_codes`` is a list of ints in Entra's answers; anything else must not crash the probe's reading."""
    from oauthlint.providers.azure.fetch import _error_and_codes

    assert _error_and_codes({"error": "invalid_client", "error_codes": [7000215]}) == ("invalid_client", (7000215,))
    odd = {"error": "Bad Thing!", "error_codes": ["x", None], "error_description": "AADSTS7000222: expired"}
    assert _error_and_codes(odd) == ("error", (7000222,))
