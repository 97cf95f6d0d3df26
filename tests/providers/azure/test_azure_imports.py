"""The azure plug-in stays light at import: msal and the HTTP stack load only when a live check runs."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_provider_does_not_import_msal() -> None:
    code = (
        "import sys; import oauthlint.providers.azure as a; a.provider.rules; "
        "print(sorted(m for m in ('msal', 'requests', 'oauthlint.providers.azure.fetch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_provider_attributes() -> None:
    from oauthlint.providers.azure import provider

    assert provider.offline_scopes == ("offline_access",)
    assert dict(provider.integration_keys) == {"tenant_id": str, "resource": str, "probe": bool}
    assert callable(provider.scan_credentials) and callable(provider.scan_findings)
