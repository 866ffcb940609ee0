"""The HTML report: from hand-made data, and from the seeds' replayed database in Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import CASSETTES, SEEDS
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import (
    Claim,
    Divergence,
    DocumentRow,
    Fact,
    FailureRow,
    Incident,
    NameVariants,
    ReportData,
    Spelling,
    format_interval,
    interval_chart,
    load_report_data,
    nice_ticks,
    render_report,
    sort_incidents,
)
from pipeline.store import query

EVIL_QUOTE = 'He said <script>alert("x")</script> & "more than 104" were hurt.'
REMOTE = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
    re.IGNORECASE,
)


def claim(
    document_id: str,
    lo: float,
    hi: float | None,
    phrase: str,
    outlet: str | None = None,
    quote: str | None = None,
) -> Claim:
    return Claim(document_id, outlet, lo, hi, phrase, quote or f"They said {phrase} were hurt.")


def bridge() -> Incident:
    injured = Divergence(
        "injured",
        "conflict",
        (
            claim("doc-a", 69, 69, "69", outlet="Outlet A"),
            claim("doc-b", 105, None, "more than 104", outlet="Npr.org", quote=EVIL_QUOTE),
        ),
    )
    killed = Divergence(
        "killed", "agree", (claim("doc-a", 7, None, "at least seven"), claim("doc-b", 7, None, "7"))
    )
    lone = Fact("doc-a", "Outlet A", "distance_km", 10, 20, "about", "km", "10-20 km", "10-20 km")
    return Incident(
        "bridge@bryansk", "Bridge collapse — Bryansk", "bridge_collapse", "Bryansk", 2, 2,
        divergences=(injured, killed), single_facts=(lone,),
    )  # fmt: skip


def sample() -> ReportData:
    calm = Incident(
        "talks", "Peace <talks>", "talks", None, 3, 5,
        divergences=(Divergence("area_km2", "compatible", (
            claim("doc-a", 400, 500, "400 to 500"), claim("doc-c", 450, 450, "450"),
        ), unit="km2"),),
    )  # fmt: skip
    return ReportData(
        documents=(
            DocumentRow("doc-a", "Outlet A", model="qwen-test", prompt_version="p1", facts=3),
            DocumentRow("doc-b", "Npr.org", model="qwen-test", prompt_version="p1", facts=2),
            DocumentRow("doc-c", None, relevant=False, status="skipped"),
        ),
        incidents=(calm, bridge()),
        names=(
            NameVariants(
                "Zelenskyy",
                (
                    Spelling("Zelenskyy", "doc-a", "Outlet A", 3),
                    Spelling("Zelensky", "doc-b", None, 1),
                ),
            ),
        ),
        failures=(FailureRow("doc-c", None, "validation", 2, "attack", "quote <b>not</b> found"),),
        source="test.duckdb",
    )


# --- render_report on hand-made data --------------------------------------------------------


def test_article_text_is_escaped() -> None:
    html = render_report(sample())
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Peace &lt;talks&gt;" in html
    assert "quote &lt;b&gt;not&lt;/b&gt; found" in html


def test_a_conflict_gets_the_conflict_badge_and_comes_first() -> None:
    html = render_report(sample())
    sections = html.split('<section class="incident')[1:]
    assert "Bridge collapse — Bryansk" in sections[0]  # conflicts first, whatever the input order
    injured = next(b for b in sections[0].split('<div class="divergence')[1:] if "Injured" in b)
    assert injured.startswith(' conflict"')
    assert '<span class="badge conflict">conflict</span>' in injured
    assert '<span class="badge agree">agree</span>' in sections[0]
    assert '<span class="badge compatible">compatible</span>' in sections[1]
    assert "<b>1</b><span>conflicts</span>" in html


def test_intervals_render_as_points_bars_and_open_ended_arrows() -> None:
    html = render_report(sample())
    assert "≥ 105" in html  # the open-ended "more than 104"
    assert 'class="open"' in html and 'fill="url(#open-fade)"' in html
    assert 'id="open-fade"' in html
    assert "<circle" in html  # 69, a point
    assert "400–500 km²" in html  # a closed interval, with its unit


def test_open_ended_bar_runs_to_the_right_edge() -> None:
    chart = interval_chart(bridge().divergences[0])
    point, open_ended = chart.bars
    assert (point.shape, open_ended.shape) == ("point", "open")
    assert open_ended.x1 == chart.plot_right > open_ended.x0 > point.x0
    assert [t.label for t in chart.ticks] == ["0", "25", "50", "75", "100", "125"]


def test_facts_only_one_document_reports_are_listed() -> None:
    html = render_report(sample())
    assert "Reported by one document only" in html
    assert "10–20 km" in html


def test_names_failures_and_summary() -> None:
    html = render_report(sample())
    assert "Name spellings" in html and "Zelensky" in html and "doc-b (1)" in html
    assert "<h2>Failures</h2>" in html
    assert "qwen-test" in html and "p1" in html
    assert "<b>3</b><span>documents</span>" in html
    assert "<b>2</b><span>named outlets</span>" in html


def test_nothing_is_fetched_from_the_network() -> None:
    html = render_report(sample())
    assert not REMOTE.search(html)
    assert "http://" not in html and "https://" not in html
    assert REMOTE.search('<img src="https://example.org/x.png">')  # the check itself works


def test_an_empty_database_still_renders() -> None:
    html = render_report(ReportData())
    assert "claimdiff report" in html and "<h2>Failures</h2>" not in html


def test_sort_and_formatting_helpers() -> None:
    calm = Incident("a", "A", "k", None, 9, 9)
    assert [i.incident_id for i in sort_incidents([calm, bridge()])] == ["bridge@bryansk", "a"]
    assert format_interval(105, None) == "≥ 105"
    assert format_interval(4300, None, "km") == "≥ 4,300 km"
    assert format_interval(427.5, 472.5) == "427.5–472.5"
    assert nice_ticks(4997) == [0, 1000, 2000, 3000, 4000, 5000]
    assert nice_ticks(0) == [0, 1]


# --- the seeds' report, in a browser --------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.html from seeds/ replayed into a fresh database with the CLI."""
    tmp = tmp_path_factory.mktemp("report")
    db, out = tmp / "seeds.duckdb", tmp / "report.html"
    mp = pytest.MonkeyPatch()
    for name in ("CLAIMDIFF_BASE_URL", "CLAIMDIFF_MODEL", "CLAIMDIFF_API_KEY", "OPENAI_API_KEY",
                 "CLAIMDIFF_MODE"):  # fmt: skip
        mp.delenv(name, raising=False)
    mp.setenv("CLAIMDIFF_CASSETTES_DIR", str(CASSETTES))
    mp.chdir(tmp)
    try:
        runner = CliRunner()
        ran = runner.invoke(app, ["run", str(SEEDS), "--replay", "--db", str(db)])
        assert ran.exit_code == 0, ran.output
        reported = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
        assert reported.exit_code == 0, reported.output
    finally:
        mp.undo()
    return out


def test_seeds_report_data(seeds_report: Path) -> None:
    db = seeds_report.with_name("seeds.duckdb")
    data = load_report_data(db)
    assert data.incidents[0].conflicts > 0
    _, rows = query(db, "SELECT count(*) FROM divergences WHERE verdict = 'conflict'")
    assert data.conflicts == rows[0][0] > 0
    bryansk = next(i for i in data.incidents if i.place == "Bryansk")
    injured = next(d for d in bryansk.divergences if d.measure == "injured")
    assert {c.phrase for c in injured.claims} == {"69", "more than 104"}
    single = sum(len(i.single_facts) for i in data.incidents) + len(data.unassigned)
    compared = sum(c.statements for i in data.incidents for d in i.divergences for c in d.claims)
    assert single + compared == data.facts  # every fact is on the page


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = chromium()
    assert binary is not None
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(chromium() is None, reason="no chromium binary (apt-get install chromium)")
def test_seeds_report_in_headless_chromium(seeds_report: Path, tmp_path: Path) -> None:
    url = seeds_report.as_uri()
    dumped = run_chromium(tmp_path, "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr
    dom = dumped.stdout
    bryansk = next(s for s in dom.split("<section")[1:] if "Bridge collapse onto a train" in s)
    assert "Bryansk" in bryansk
    injured = next(b for b in bryansk.split('<div class="divergence')[1:] if "Injured" in b)
    assert '<span class="badge conflict">conflict</span>' in injured
    assert ">69<" in injured and "more than 104" in injured
    assert "≥ 105" in injured and '<svg class="chart"' in injured

    png = tmp_path / "report.png"
    shot = run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", url)
    assert shot.returncode == 0, shot.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)


def test_report_command_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no database" in missing.output
