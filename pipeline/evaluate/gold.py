"""Gold annotations of a corpus (tests/corpora/README.md): facts per document, incidents and
the divergences with their expected verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schemas import Scope, measures, record_specs


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class GoldFact:
    """One hand-annotated fact: numeric (`measure` and interval) or a field (`field`, `value`)."""

    document_id: str
    record_type: str
    quote: str
    language: str = "en"
    measure: str | None = None
    phrase: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    scope: Scope = Scope.INCIDENT
    field: str | None = None
    value: str | None = None
    alternatives: tuple[str, ...] = ()
    incident: str | None = None

    @property
    def numeric(self) -> bool:
        return self.measure is not None


@dataclass(frozen=True)
class GoldDivergence:
    incident: str
    measure: str
    verdict: str
    why: str = ""


@dataclass
class Gold:
    name: str
    folder: Path
    facts: list[GoldFact] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)  # document_id → language
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)
    divergences: list[GoldDivergence] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)


def _entry(path: Path, n: int, raw: dict[str, Any], document_id: str, language: str) -> GoldFact:
    where = f"{path.name} entry {n}"
    record_type = raw.get("record_type")
    if record_type not in {s.name for s in record_specs()}:
        raise GoldError(f"{where}: unknown record_type {record_type!r}")
    common = {
        "document_id": document_id, "record_type": record_type, "language": language,
        "quote": str(raw.get("quote", "")), "incident": raw.get("incident"),
    }  # fmt: skip
    if "measure" in raw:
        if raw["measure"] not in measures():
            raise GoldError(f"{where}: unknown measure {raw['measure']!r}")
        try:
            scope = Scope(raw.get("scope", "incident"))
        except ValueError:
            raise GoldError(f"{where}: unknown scope {raw.get('scope')!r}") from None
        return GoldFact(
            **common, measure=raw["measure"], phrase=str(raw.get("phrase", "")),
            value_min=_number(where, raw, "value_min", True),
            value_max=_number(where, raw, "value_max", False), scope=scope,
        )  # fmt: skip
    if "field" in raw:
        return GoldFact(
            **common,
            field=str(raw["field"]),
            value=str(raw.get("value", "")),
            alternatives=tuple(str(a) for a in raw.get("alternatives") or ()),
        )
    raise GoldError(f"{where}: an entry needs a measure or a field")


def _number(where: str, raw: dict[str, Any], key: str, required: bool) -> float | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise GoldError(f"{where}: {key} is missing")
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise GoldError(f"{where}: {key} must be a number, not {value!r}") from None


def load_gold(folder: Path) -> Gold:
    """A corpus's gold: `folder` is the corpus folder (holding gold/ and incidents/) or its
    gold/ folder."""
    folder = folder.resolve()
    root = folder.parent if folder.name == "gold" else folder
    gold_dir = root / "gold"
    if not gold_dir.is_dir():
        raise GoldError(f"no gold/ folder under {root}")
    gold = Gold(root.name, root)
    for path in sorted(gold_dir.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise GoldError(f"{path}: not YAML: {error}") from None
        document_id = str(data.get("document_id") or path.stem)
        language = str(data.get("language") or "en")
        gold.documents[document_id] = language
        for n, raw in enumerate(data.get("facts") or [], start=1):
            if not isinstance(raw, dict):
                raise GoldError(f"{path.name} entry {n}: an entry is a mapping")
            gold.facts.append(_entry(path, n, raw, document_id, language))
    incident_files = (
        sorted((root / "incidents").glob("*.yaml")) if (root / "incidents").is_dir() else []
    )
    for path in incident_files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise GoldError(f"{path}: not YAML: {error}") from None
        if not isinstance(data, dict):
            raise GoldError(f"{path}: expected a mapping with incidents, divergences, apart")
        for key, body in (data.get("incidents") or {}).items():
            if key in gold.incidents:
                raise GoldError(f"{path}: incident {key} is declared twice")
            gold.incidents[str(key)] = body or {}
        for n, raw in enumerate(data.get("divergences") or [], start=1):
            missing = [
                k
                for k in ("incident", "measure", "verdict")
                if not isinstance(raw, dict) or k not in raw
            ]
            if missing:
                raise GoldError(f"{path}: divergence {n} lacks {', '.join(missing)}")
            if raw["verdict"] not in ("agree", "compatible", "conflict"):
                raise GoldError(
                    f"{path}: divergence {n}: verdict must be agree, compatible or conflict"
                )
            gold.divergences.append(
                GoldDivergence(
                    str(raw["incident"]),
                    str(raw["measure"]),
                    str(raw["verdict"]),
                    str(raw.get("why", "")),
                )
            )
        gold.apart += [(str(a), str(b)) for a, b in data.get("apart") or []]
    return gold
