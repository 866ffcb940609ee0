"""The paths a person named → the article files to read, in a stable order.

Folders are expanded recursively into the files ingest can read, sorted so that a run reads
the same files in the same order every time. Hidden files and folders (".git",
".ipynb_checkpoints", editor backups) are skipped: they are never articles, and a checkpoint
copy of an article would be a duplicate id. A path that names nothing readable is a
SourceError, so the person hears of it instead of losing it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from schemas.data import SourceError

STDIN = "-"


def discover(
    paths: Iterable[str | Path], suffixes: Sequence[str]
) -> Iterator[Path | SourceError | str]:
    """Each named file as given, each folder's files with one of `suffixes` (sorted, hidden
    ones skipped), "-" for standard input, and a SourceError for what cannot be read."""
    for raw in paths:
        if str(raw) == STDIN:  # the command line hands it over as Path("-")
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            files = _folder_files(path, suffixes)
            if not files:
                patterns = [f"*{suffix}" for suffix in suffixes]
                listed = ", ".join(patterns[:-1]) + f" or {patterns[-1]}"
                yield SourceError(str(path), path.name, f"folder holds no {listed} files")
            yield from files
        elif path.is_file():
            yield path
        elif path.exists():
            yield SourceError(str(path), path.stem, "not a regular file")
        else:
            yield SourceError(str(path), path.stem, "no such file or folder")


def _folder_files(folder: Path, suffixes: Sequence[str]) -> list[Path]:
    wanted = {suffix.lower() for suffix in suffixes}
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # do not descend into hidden folders
        for name in names:
            path = Path(root) / name
            if not name.startswith(".") and path.suffix.lower() in wanted and path.is_file():
                found.append(path)
    return sorted(found)
