"""The README documents every command-line option, with an example command that uses it."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from oauthlint.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def example_commands() -> list[str]:
    """Every `oauthlint …` command in the README's shell blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    joined = "\n".join(block.replace("\\\n", " ") for block in blocks)
    return [line for line in joined.splitlines() if "oauthlint " in line]


def test_every_option_has_an_example_command() -> None:
    commands = example_commands()
    missing = set()
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help" and not any(opt in line for line in commands):
                    missing.add(f"{name} {opt}")
    assert not missing, f"README has no example command for: {sorted(missing)}"
