"""The gazetteer's costs: building its index, loading it in a fresh process, memory, lookups.

    .venv/bin/python bench/bench_gazetteer.py [--cache-dir DIR] [--no-build] [--rounds 200]

What it measures:

- build: `Gazetteer.load` into an empty temporary cache folder, in a child process (reading the
  packages' data, linking regions, writing the cache); its peak resident memory too.
  `--no-build` skips it, loads the default cache folder (or `--cache-dir`) and reports the
  build time that cache's meta.json recorded.
- cold load: a new Python process that imports `pipeline.interpret.places` and loads the cache
  built above (or `--cache-dir`'s): the seconds `Gazetteer.load` takes, the process's whole wall
  time, and its resident memory (ru_maxrss) after loading.
- lookups, in that process: `mentions` on a paragraph of about 2,000 characters written for
  this benchmark (calls per second and milliseconds each), and `resolve` on its mentions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPH = (
    "Sudanese officials said on Tuesday that drones struck a fuel depot near El Fasher, the "
    "capital of North Darfur state, killing at least 12 people, while the paramilitary forces "
    "denied the claim. Witnesses in Nyala and Omdurman described heavy shelling overnight, and "
    "doctors said hospitals in Kassala were overwhelmed. In Syria, activists reported "
    "airstrikes on villages in Idlib province and near Aleppo; the Syrian monitor said fighting "
    "had also spread to Hama. Israeli jets hit targets in the Gaza Strip, and medics in Khan "
    "Younis said 30 people had died, among them children. Egyptian mediators met delegations in "
    "Cairo and Doha. Somali troops, backed by African forces, retook a town south of Mogadishu, "
    "officials said, and the fighters withdrew towards Baidoa. Reporters could not verify the "
    "figures. Many residents fled. Police said the curfew would hold until Friday. In Myanmar "
    "the army bombed Sagaing, and in Yemen missiles were fired from the coast; aid teams in Aden "
    "and Marib were safe. Officials in Odesa, Mykolaiv and Chernihiv reported drone attacks "
    "overnight; Moldova's president condemned them. «Ситуація в Одесі складна», — сказав "
    "чиновник; в Халебе и Идлибе продолжались бои. Μάχες στο Χαλέπι. قصف على حلب وخان يونس "
    "وبالفاشر، ومحافظة إدلب. The ministry said on Monday that 40 people were hurt in Latakia "
    "and Tartus, and that Hospital staff in Deir ez-Zor had asked for fuel. Sale of petrol was "
    "suspended in Aden, and Of the dead, 14 were women. Observers in Hebron and Nablus counted "
    "dozens of arrests; in Jenin, a refugee camp was raided again. The convoy reached Rafah "
    "before dusk, and aid trucks waited at the crossing. March came with rain. Later, the "
    "governor of Khartoum state said that families displaced from Wad Madani had reached "
    "Kosti and Port Sudan, where aid agencies opened two more camps on Thursday; in "
    "Homs and Daraa, electricity returned after a week, the agency reported."
)

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from pipeline.interpret.places import Gazetteer
imported = time.perf_counter()
g = Gazetteer.load(Path(sys.argv[1]))
loaded = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
text, rounds = sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
for _ in range(rounds):
    found = g.mentions(text, "en")
mention_s = (time.perf_counter() - t) / rounds
names = [m.text for m in found]
t = time.perf_counter()
for _ in range(rounds):
    for name in names:
        g.resolve(name, ["SD", "SY"])
resolve_s = (time.perf_counter() - t) / (rounds * max(len(names), 1))
print(json.dumps({
    "built_now": g.built_now, "import_s": imported - started, "load_s": loaded - imported,
    "rss_mb": rss, "mentions": len(found), "mention_s": mention_s, "resolve_s": resolve_s,
    "rss_after_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

BUILD = """
import resource, sys
from pathlib import Path
from pipeline.interpret.places import Gazetteer
g = Gazetteer.load(Path(sys.argv[1]))
print(g.built_now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _python(code: str, *args: str) -> tuple[str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip(), time.perf_counter() - started


def _default_cache() -> Path:
    """The cache folder `Gazetteer.load()` uses without an argument."""
    from pipeline.interpret.gazetteer.store import cache_root

    return cache_root(None).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="an existing cache, with --no-build")
    parser.add_argument(
        "--no-build", action="store_true", help="measure loading only (default cache folder)"
    )
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-gazetteer-") as tmp:
        cache = args.cache_dir or (_default_cache() if args.no_build else Path(tmp))
        if not args.no_build:
            if args.cache_dir is not None:
                sys.exit("--cache-dir with a build would overwrite nothing: add --no-build")
            out, seconds = _python(BUILD, str(cache))
            built_now, peak = out.split()
            rows.append(("build (fresh cache, child process)", f"{seconds:.1f} s"))
            rows.append(("build peak memory (ru_maxrss)", f"{float(peak):.0f} MB"))
            assert built_now == "True", out
        out, wall = _python(CHILD, str(cache), PARAGRAPH, str(args.rounds))
        result = json.loads(out)
        if result["built_now"]:
            rows.append(("(no cache was there: the cold load below built it)", ""))
        meta = next((cache / "gazetteer").glob("*/meta.json"), None)
        if args.no_build and meta is not None:
            recorded = json.loads(meta.read_text(encoding="utf-8"))["build_seconds"]
            rows.append(("build (as meta.json recorded it)", f"{recorded} s"))
        rows += [
            ("cold load: Gazetteer.load", f"{result['load_s'] * 1000:.0f} ms"),
            ("cold load: imports before it", f"{result['import_s'] * 1000:.0f} ms"),
            ("cold process, whole wall time (with lookups)", f"{wall:.2f} s"),
            ("resident memory after load (ru_maxrss)", f"{result['rss_mb']:.0f} MB"),
            ("resident memory after lookups", f"{result['rss_after_mb']:.0f} MB"),
            (
                f"mentions() on {len(PARAGRAPH):,} characters",
                f"{result['mention_s'] * 1000:.2f} ms",
            ),
            ("mentions() calls per second", f"{1 / result['mention_s']:,.0f}"),
            ("mentions found in the paragraph", str(result["mentions"])),
            ("resolve() per second (its mentions)", f"{1 / result['resolve_s']:,.0f}"),
        ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
