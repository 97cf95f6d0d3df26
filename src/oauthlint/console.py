"""The rich console every human-readable output renders into: colour only when asked, plain text otherwise."""

from __future__ import annotations

import io

from rich.console import Console

from oauthlint.model import Severity

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def buffered_console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    """A console that writes into a string buffer (the CLI decides where the text goes)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
    )
    return console, buffer
