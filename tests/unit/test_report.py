"""pipeline.report on a real database built through the store, and in headless Chromium.

The database is created by `Store(path).open()` (the real schema) and filled with plain SQL
INSERTs that follow pipeline/store/sql/base.sql. Every sentence, outlet and name here is written
for these tests."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.report import load, render, write_report
from pipeline.report.data import Claim, DivergenceRow, IncidentRow, ReportData
from pipeline.report.map import clip, countries, simplify, view_for
from pipeline.store import Store, StoreError, connect_read_only

EVIL = 'Officials said <script>alert("x")</script> & 14 people died in the blaze.'
CYRILLIC = "Най-малко 20 души са загинали при пожара в склада, съобщиха от пожарната."
CYRILLIC_GLOSS = "At least 20 people died in the warehouse fire, the fire service said."
ARABIC = "قال خفر السواحل إن 31 شخصا ما زالوا في عداد المفقودين بعد غرق العبارة."
ARABIC_GLOSS = "The coast guard said 31 people are still missing after the ferry sank."
FIRE, FERRY, MARKET, TALKS = (
    "Warehouse fire — Plovdiv", "Ferry capsized — Sfax", "Market blast — Stara Zagora",
    "Port workers' <union> talks",
)  # fmt: skip
RED, AMBER, GREEN, GREY = "#c0271a", "#d08a00", "#1a7f37", "#8a929b"

DOCUMENTS = [  # document_id, outlet, language
    ("doc-en-1", "Harbour Courier", "en"),
    ("doc-en-2", "Morning Ledger", "en"),
    ("doc-bg-1", "Вечерен вестник", "bg"),
    ("doc-ar-1", "Sahil Daily", "ar"),
    ("doc-en-3", None, "en"),
]


def report(document_id: str, lo: float, hi: float | None, phrase: str, quote: str,
           gloss: str | None = None) -> dict[str, Any]:  # fmt: skip
    outlet, language = next((o, lang) for d, o, lang in DOCUMENTS if d == document_id)
    return {"document_id": document_id, "outlet": outlet, "language": language,
            "value_min": lo, "value_max": hi, "phrase": phrase, "quote": quote,
            "statements": 1, "gloss": gloss}  # fmt: skip


INCIDENTS = [  # id, label, record_type, event_type, date, place, country, lat, lon
    ("fire@plovdiv", FIRE, "event", "remote_explosive_landmine_ied", date(2031, 3, 4), "Plovdiv",
     "BG", 42.15, 24.75),
    ("ferry@sfax", FERRY, "event", "attack", date(2031, 3, 9), "Sfax", "TN",
     34.74, 10.76),
    ("blast@stara-zagora", MARKET, "event", "grenade", date(2031, 2, 20), "Stara Zagora",
     "BG", 42.43, 25.63),
    ("talks@unknown", TALKS, "talks", None, None, None, None, None, None),
]  # fmt: skip

DIVERGENCES = [  # incident_id, measure, verdict, reports
    ("ferry@sfax", "missing", "compatible", [
        report("doc-en-1", 27, 33, "about 30", "About 30 passengers are missing, the port said."),
        report("doc-ar-1", 31, 31, "31", ARABIC, ARABIC_GLOSS),
    ]),
    ("fire@plovdiv", "killed", "conflict", [
        report("doc-en-2", 14, 14, "14", EVIL),
        report("doc-bg-1", 20, None, "Най-малко 20", CYRILLIC, CYRILLIC_GLOSS),
    ]),
    ("fire@plovdiv", "injured", "agree", [
        report("doc-en-2", 6, 6, "six", "Six workers were hurt."),
        report("doc-en-3", 6, 6, "6", "Another 6 were treated for burns."),
    ]),
    ("blast@stara-zagora", "injured", "agree", [
        report("doc-en-1", 3, 3, "three", "Three shoppers were hurt by the blast."),
        report("doc-en-3", 3, 3, "3", "The blast wounded 3 people."),
    ]),
]  # fmt: skip


def build(path: Path) -> Path:
    """A database with the real schema, filled as the pipeline's contract says."""
    Store(path).open()
    con = duckdb.connect(str(path))
    try:
        for document_id, outlet, language in DOCUMENTS:
            text = f"An article by {outlet or 'an unnamed outlet'}."
            con.execute(
                "INSERT INTO documents (document_id, source_path, part, source_format, outlet, "
                "published, language, language_source, text_sha256, chars, relevant, status, "
                "model, prompt_version, schema_version, run_id, text) "
                "VALUES (?, ?, 1, 'text', ?, DATE '2031-03-10', ?, 'metadata', ?, ?, true, 'ok', "
                "'test-model', 'p7', '2', 'run-1', ?)",
                [document_id, f"{document_id}.txt", outlet, language, "0" * 64, len(text), text],
            )
        for incident_id, label, kind, event, day, place, country, lat, lon in INCIDENTS:
            con.execute(
                "INSERT INTO incidents (incident_id, label, record_type, event_type, date, "
                "date_precision, place_name, country, latitude, longitude, n_documents, "
                "n_records) VALUES (?, ?, ?, ?, ?, 'day', ?, ?, ?, ?, 2, 2)",
                [incident_id, label, kind, event, day, place, country, lat, lon],
            )
        for n, (incident_id, measure, verdict, reports) in enumerate(DIVERGENCES):
            label = next(i[1] for i in INCIDENTS if i[0] == incident_id)
            languages = len({r["language"] for r in reports})
            con.execute(
                "INSERT INTO divergences VALUES ('number', ?, ?, ?, ?, ?, ?, ?, ?)",
                [incident_id, label, measure, len(reports), len(reports), languages, reports,
                 verdict],
            )  # fmt: skip
            for r in reports:
                con.execute(
                    "INSERT INTO facts (fact_id, document_id, record_id, record_type, field, "
                    "measure, value_min, value_max, qualifier, unit, phrase, scope, reason, "
                    "incident_id, language, quote, char_start, char_end, phrase_start, "
                    "phrase_end) VALUES (?, ?, ?, 'casualty', ?, ?, ?, ?, 'exact', 'count', ?, "
                    "'incident', 'test', ?, ?, ?, 0, 10, 0, 2)",
                    [f"{r['document_id']}:{n}:{measure}", r["document_id"],
                     f"{r['document_id']}:{n}", measure, measure, r["value_min"],
                     r["value_max"], r["phrase"], incident_id, r["language"], r["quote"]],
                )  # fmt: skip
        con.execute(
            "INSERT INTO names VALUES ('Radko Velinov', 'Radko Velinov', 'doc-en-1', 3), "
            "('Radko Velinov', 'Radko Velinoff', 'doc-en-2', 1)"
        )
        con.execute(
            "INSERT INTO runs (run_id, started_at, finished_at, model, cassette_mode, "
            "prompt_version, schema_version, documents) VALUES "
            "('run-1', TIMESTAMP '2031-03-10 08:00', TIMESTAMP '2031-03-10 08:05', 'test-model', "
            "'replay', 'p7', '2', 5)"
        )
        con.execute(
            "INSERT INTO failures VALUES ('run-1', 'doc-xx', 'doc-xx.txt', 'read', NULL, NULL, "
            "'not UTF-8', TIMESTAMP '2031-03-10 08:01'), ('run-1', 'doc-en-3', 'doc-en-3.txt', "
            "'validation', 2, 'casualty', 'quote not found', TIMESTAMP '2031-03-10 08:02')"
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the module: the tests only read it."""
    return build(tmp_path_factory.mktemp("report") / "claims.duckdb")


def loaded(path: Path) -> ReportData:
    con = connect_read_only(path)
    try:
        return load(con, source=path.name)
    finally:
        con.close()


@pytest.fixture(scope="module")
def html(db: Path) -> str:
    return render(loaded(db))


def cards(page: str) -> list[str]:
    return page.split('<section class="incident ')[1:]


# --- render -----------------------------------------------------------------------------------


def test_article_text_is_escaped(html: str) -> None:
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <mark>14</mark> people" in html
    assert "Port workers&#39; &lt;union&gt; talks" in html


def test_conflicts_come_first_then_compatible_agree_and_none(html: str) -> None:
    found = cards(html)
    assert [c.split('"')[0] for c in found] == ["conflict", "compatible", "agree", "none"]
    assert [FIRE in found[0], FERRY in found[1], MARKET in found[2]] == [True, True, True]
    killed, injured = found[0].split('<div class="divergence ')[1:]
    assert killed.startswith('conflict"') and injured.startswith('agree"')  # worst first
    assert '<span class="badge conflict">conflict</span>' in killed
    assert "No figure of this incident is reported by two outlets." in found[3]


def test_header_counts(html: str) -> None:
    stats = re.findall(r"<b>(\d+)</b><span>(\w+)</span>", html)
    assert [(name, int(n)) for n, name in stats] == [
        ("documents", 5),
        ("incidents", 4),
        ("divergences", 4),
        ("conflicts", 1),
        ("languages", 3),
    ]
    assert '<div class="stat alert">\n<b>1</b><span>conflicts</span>' in html
    assert "run-1" in html and "test-model" in html and "replay" in html


MARKER = re.compile(r'<a href="#incident-(\d+)" class="marker (\w+)"><title>([^<]*)</title>'
                    r'<circle [^>]*fill="(#[0-9a-f]{6})"')  # fmt: skip


def test_one_marker_per_located_incident_in_its_verdict_colour(html: str) -> None:
    markers = MARKER.findall(html)
    assert len(markers) == 3 == html.count('class="marker ')
    by_number = {int(n): (verdict, fill) for n, verdict, _, fill in markers}
    assert by_number == {1: ("conflict", RED), 2: ("compatible", AMBER), 3: ("agree", GREEN)}
    tooltips = {int(n): title for n, _, title, _ in markers}
    assert tooltips[1].startswith(f"{FIRE} — 2031-03-04 — ")
    assert "killed: conflict" in tooltips[1] and "injured: agree" in tooltips[1]


def test_the_map_is_cropped_to_the_incidents_and_draws_their_countries(html: str) -> None:
    svg = html.split('<svg class="map"')[1].split("</svg>")[0]
    assert "<title>Bulgaria</title>" in svg and "<title>Tunisia</title>" in svg
    assert "<title>Brazil</title>" not in svg and "<title>Japan</title>" not in svg
    view = view_for([(24.75, 42.15), (10.76, 34.74), (25.63, 42.43)])
    assert -10 < view.west < 10.76 and 25.63 < view.east < 45
    assert view_for([(24.75, 42.15), (-120.0, -30.0)]).west == -180  # spread: the world


def test_an_incident_without_coordinates_is_listed_under_the_map(html: str) -> None:
    where = html.split('<section class="where">')[1].split("</section>")[0]
    unplaced = where.split('<div class="unplaced">')[1]
    assert "Not on the map: no coordinates" in unplaced
    assert 'href="#incident-4"' in unplaced and "Port workers&#39; &lt;union&gt; talks" in unplaced
    assert 'class="num none"' in unplaced


def test_quotes_carry_their_language_and_glosses_are_marked(html: str) -> None:
    assert '<q class="quote" lang="bg" dir="auto"><mark>Най-малко 20</mark> души' in html
    arabic = html.split('<q class="quote" lang="ar" dir="rtl">')[1].split("</q>")[0]
    assert "<mark>31</mark>" in arabic and "خفر السواحل" in arabic
    assert f'<span class="mt">machine translation</span> {ARABIC_GLOSS}' in html
    assert html.count("machine translation</span>") == 2
    assert '<span class="lang">bg</span>' in html


def test_charts_show_points_bars_and_open_ended_arrows(html: str) -> None:
    killed = cards(html)[0].split('<div class="divergence ')[1]
    chart = killed.split('<svg class="chart conflict"')[1].split("</svg>")[0]
    assert 'class="open"' in chart and "<path" in chart  # "Най-малко 20": an arrow
    assert "<circle" in chart and f'fill="{RED}"' in chart  # 14: a point, in the verdict colour
    assert "≥ 20" in chart and ">14<" in chart
    ferry = cards(html)[1]
    assert '<rect x="' in ferry.split('<svg class="chart compatible"')[1]  # 27–33: a bar
    assert "27–33" in ferry


def test_names_failures_and_attribution(html: str) -> None:
    names = html.split('<section class="names">')[1].split("</section>")[0]
    assert "Radko Velinoff" in names and "Morning Ledger" in names
    assert "<b>Radko Velinov</b>" in names
    assert '<b class="failed">2 failures</b>' in html and "read 1" in html
    assert "countryinfo (MIT licence" in html


def test_nothing_is_fetched_and_nothing_runs(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(|@import""", html)
    assert "http://" not in html and "https://" not in html


def spread(n: int) -> IncidentRow:
    """The nth of many incidents scattered over the world, each with a conflict."""
    claims = (
        Claim("a", "Outlet A", "en", 10, 10, "10", "Ten died."),
        Claim("b", "Outlet B", "fr", 12, None, "plus de 11", "Plus de 11 morts."),
    )
    return IncidentRow(
        incident_id=f"i{n}", label=f"Incident {n}", record_type="event", event_type=None,
        date=date(2031, 1, 1 + n % 28), date_precision=None, place_name=f"Town {n}",
        admin1=None, country=None, latitude=-50 + (n * 37) % 110,
        longitude=-170 + (n * 53) % 340, n_documents=2, n_records=2,
        divergences=(DivergenceRow("killed", "conflict", "count", 2, 2, 2, claims),),
    )  # fmt: skip


def test_thirty_incidents_make_a_small_page() -> None:
    incidents = tuple(spread(n) for n in range(30))
    page = render(ReportData(source="many.duckdb", incidents=incidents, documents=60))
    assert page.count('class="marker ') == 30
    assert '<svg class="map" viewBox="0 0 960 378.7"' in page  # spread: the world
    assert len(page.encode("utf-8")) < 500_000


def test_map_geometry_helpers() -> None:
    square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)]
    assert sorted(clip(square, (0, 0, 10, 10))) == [(0, 0), (0, 5), (5, 0), (5, 5)]
    assert clip(square, (20, 20, 30, 30)) == []
    assert simplify([(0, 0), (0.2, 0.3), (1, 1), (1.1, 1)]) == [(0, 0), (1, 1)]
    assert {c.alpha2 for c in countries()} >= {"BG", "TN", "PT", "BR"}


# --- write_report -----------------------------------------------------------------------------


def test_write_report_writes_the_page(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    write_report(db, out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and FIRE in page and "claims.duckdb" in page


def test_a_missing_or_foreign_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        write_report(tmp_path / "none.duckdb", tmp_path / "report.html")
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE birds (name VARCHAR)")
    con.close()
    with pytest.raises(StoreError, match="another program"):
        write_report(foreign, tmp_path / "report.html")


def test_an_unwritable_output_is_a_store_error(db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot write the report"):
        write_report(db, blocker / "report.html")


def test_an_empty_database_renders(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    Store(path).open()
    out = tmp_path / "report.html"
    write_report(path, out)
    page = out.read_text(encoding="utf-8")
    assert "No incident has coordinates." in page and "no run recorded" in page


# --- in a browser -----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def png_rows(data: bytes, limit: int) -> list[bytes]:
    """The first `limit` pixel rows of an 8-bit RGB or RGBA PNG (Chromium's screenshots), with
    the filters undone (pure Python: a few hundred rows are quick, 2,000 are not)."""
    idat, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour_type in (2, 6)
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(height, limit)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install -y chromium)")
def test_the_page_renders_in_headless_chromium(db: Path, tmp_path: Path) -> None:
    out, png = tmp_path / "report.html", tmp_path / "report.png"
    write_report(db, out)
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={png}", "--window-size=1200,2000", out.as_uri(),
    ]  # fmt: skip
    ran = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert ran.returncode == 0, ran.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 2000)
    assert len(data) > 50_000  # a blank 1200×2000 page compresses to a few kilobytes
    rows = png_rows(data, limit=300)  # the header: title, counts, the conflicts' red
    assert len(set(rows)) > 100  # text, not a blank page
    bpp = len(rows[0]) // 1200
    pixels = {row[i : i + 3] for row in rows for i in range(0, len(row), bpp)}
    assert bytes.fromhex(RED[1:]) in pixels  # the conflicts count is drawn in red
    assert len(pixels) > 50


def test_run_info_is_read(db: Path) -> None:
    data = loaded(db)
    assert data.last_run is not None and data.last_run.finished_at == datetime(2031, 3, 10, 8, 5)
    assert data.languages == (("en", 3), ("ar", 1), ("bg", 1))
    assert data.failures_by_stage == (("read", 1), ("validation", 1))
