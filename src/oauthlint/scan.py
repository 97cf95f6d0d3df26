"""Gathering credentials for ``oauthlint secrets``: account-wide scans where a provider offers one, else the
credentials visible in each configured integration's snapshot. A provider that cannot be asked is reported,
never skipped silently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from oauthlint.config import Config
from oauthlint.engine import describe_exception, obtain_snapshot
from oauthlint.errors import ProviderError, UsageError
from oauthlint.model import Credential, scrub_known_secrets
from oauthlint.registry import registry


def collect_credentials(
    config: Config, *, provider: str | None, owners: bool, **scan_options: Any
) -> tuple[Iterator[Credential], list[str]]:
    """Credentials streamed one by one (a 100,000-app tenant is never held in memory here), and a list
    that fills with one line per failure while the stream is consumed."""
    if provider is not None:
        registry().get(provider)  # unknown provider: usage error now, not later
    names = (
        [provider] if provider else sorted({i.provider for i in config.integrations} | set(config.provider_settings))
    )
    failures: list[str] = []
    return _stream(config, names, provider is not None, owners, failures, scan_options), failures


def _stream(
    config: Config,
    names: list[str],
    account_wide: bool,
    owners: bool,
    failures: list[str],
    scan_options: dict[str, Any],
) -> Iterator[Credential]:
    for name in names:
        plugin = registry().get(name)
        settings = config.provider_settings.get(name)
        scanner = getattr(plugin, "scan_credentials", None)
        if account_wide and scanner is not None and settings is not None:
            try:
                yield from scanner(settings, owners=owners, **scan_options)
            except ProviderError as exc:
                failures.append(scrub_known_secrets(str(exc)))
            except Exception as exc:  # a scanner bug is a failed listing, never a crash or a silent pass
                failures.append(f"{name}: unexpected error: {describe_exception(exc)}")
            continue
        integrations = [i for i in config.integrations if i.provider == name]
        if account_wide and not integrations:
            raise UsageError(
                f"secrets --provider {name}: configure [providers.{name}] for an account-wide scan, "
                f"or [[integrations]] with provider = {name!r}"
            )
        for integration in integrations:
            try:
                snapshot: Any = obtain_snapshot(integration, plugin, settings)
                yield from plugin.credentials(integration, snapshot)
            except ProviderError as exc:
                failures.append(f"{integration.name}: {scrub_known_secrets(str(exc))}")
            except UsageError:
                raise
            except Exception as exc:
                failures.append(f"{integration.name}: unexpected error: {describe_exception(exc)}")
