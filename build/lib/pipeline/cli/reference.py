"""The command reference of the README, generated from each command's --help (cog keeps the
README in step: `make docs` writes it, `make check` fails when it drifts)."""

from __future__ import annotations

import os

from typer.main import get_command
from typer.testing import CliRunner


def command_help(*args: str) -> str:
    """The --help text of `claimdiff ARGS`, as a terminal of 100 columns shows it, plain."""
    from pipeline.cli import app

    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(
        app, [*args, "--help"], env=env, terminal_width=100, prog_name="claimdiff"
    )
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def markdown() -> str:
    """One section per command, in the order `claimdiff --help` lists them."""
    from pipeline.cli import app

    group = get_command(app)
    names = list(getattr(group, "commands", {}))
    parts = ["```text", command_help(), "```", ""]
    for name in names:
        parts += [f"### `claimdiff {name}`", "", "```text", command_help(name), "```", ""]
    return "\n".join(parts)
