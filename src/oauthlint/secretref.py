"""Secret references: ``${env:VAR}`` and ``${file:PATH}``, resolved into :class:`~oauthlint.model.Secret`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from oauthlint.errors import ConfigError
from oauthlint.model import Secret

REFERENCE = re.compile(r"^\$\{(?P<kind>env|file):(?P<target>[^}]+)\}$")
ANY_REFERENCE = re.compile(r"\$\{[^}]*\}")
SECRET_KEY_WORDS = ("secret", "password", "token", "passphrase", "private_key", "api_key")


def looks_secret(key: str) -> bool:
    """Keys whose values are secrets: ``client_secret``, ``password``, ``api_key``, ``private_key_passphrase`` …"""
    lowered = key.lower()
    if lowered.endswith(("_env", "_file", "_path", "_uri", "_url", "_endpoint", "_method", "_timeout")):
        return False
    return any(word in lowered for word in SECRET_KEY_WORDS)


def resolve(value: str, where: str, *, base_dir: Path, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Resolve one value. Returns ``(text, source)``; ``source`` is ``inline``, ``env:VAR`` or ``file:PATH``.

    A value that contains ``${`` but is not exactly one well-formed reference is an error, so a typo such
    as ``$env:X`` or ``${ENV:X}`` never passes through as a literal secret.
    """
    env = os.environ if environ is None else environ
    match = REFERENCE.match(value.strip())
    if match is None:
        if ANY_REFERENCE.search(value) or value.strip().startswith("${"):
            raise ConfigError(f"{where}: malformed reference; expected ${{env:NAME}} or ${{file:PATH}}")
        return value, "inline"
    kind, target = match["kind"], match["target"].strip()
    if kind == "env":
        if target not in env:
            raise ConfigError(f"{where}: environment variable {target} is not set")
        text = env[target]
        if not text:
            raise ConfigError(f"{where}: environment variable {target} is empty")
        return text, f"env:{target}"
    path = Path(os.path.expanduser(target))
    if not path.is_absolute():
        path = base_dir / path
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read {path}: {exc.strerror or exc}") from None
    if not text:
        raise ConfigError(f"{where}: {path} is empty")
    return text, f"file:{target}"


def resolve_secret(value: str, where: str, *, base_dir: Path, environ: Mapping[str, str] | None = None) -> Secret:
    text, source = resolve(value, where, base_dir=base_dir, environ=environ)
    return Secret(text, source=source)
