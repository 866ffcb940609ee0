"""The README's command reference is the CLI's own --help: CI runs `make test`, not `make check`,
so drift must fail here too."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli.reference import markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def generated_section(text: str) -> str:
    start = text.index("]]] -->", text.index("from pipeline.cli.reference import markdown"))
    end = text.index("<!-- [[[end]]] -->", start)
    return text[start + len("]]] -->") : end].strip()


def test_readme_reference_matches_help() -> None:
    assert generated_section(README.read_text(encoding="utf-8")) == markdown().strip(), (
        "README's CLI reference drifted from --help: run `make docs`"
    )


def test_reference_lists_every_command() -> None:
    from typer.main import get_command

    from pipeline.cli import app

    text = markdown()
    for name in getattr(get_command(app), "commands", {}):
        assert f"### `claimdiff {name}`" in text
