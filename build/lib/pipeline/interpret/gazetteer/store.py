"""The gazetteer's index on disk and in memory: flat arrays a fresh process loads in well under a
second, without re-reading the 80 MB of GeoNames JSON.

Layout of `<cache>/gazetteer/<version>/`, where <version> hashes the data packages' versions and
the code that builds the index (an upgrade or a code change builds a new folder, and older ones
but one are removed; a half-written folder is never seen, since a build writes beside it and
renames):

- `index.pickle`: the entries' columns (names, coordinates, populations, country and admin1
  codes) and the name index: the 64-bit BLAKE2b hashes of every key, sorted, with for each an
  offset into one postings array (entry number << 1 | flags) and whether some longer key starts
  with it (so that matching a text stops as soon as no name can continue). Arrays are stored as
  bytes and read through `memoryview.cast`, which copies nothing.
- `fuzzy.txt`: the ASCII keys, sorted, one a line, read (by memory map) only when a name has no
  exact match, one two-letter bucket at a time.
- `latin.pickle`: the ASCII keys (one word of LATIN_MIN_LENGTH letters or more) of the
  settlements of LATIN_ONLY_POPULATION people or more that have no name in Cyrillic or no name
  in Greek, by first two letters and length ("kr10"), read
  only when a word of those scripts has no other reading (`matching`).
- `common-<language>.pickle`: the language's common words with their frequency.
- `meta.json`: versions, counts, build time and the region link counts per country.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
import pickle
import shutil
import tempfile
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.interpret.gazetteer import sources
from pipeline.interpret.gazetteer.build import (
    LATIN_MIN_LENGTH,
    LATIN_ONLY_POPULATION,
    SCRIPT_BITS,
    Built,
)

FORMAT = 2
INDEX_FILE = "index.pickle"
BUILD_CODE = ("build.py", "keys.py", "sources.py", "store.py")


def key_hash(name_key: str) -> int:
    return int.from_bytes(hashlib.blake2b(name_key.encode(), digest_size=8).digest(), "little")


def cache_root(cache_dir: Path | None) -> Path:
    """`cache_dir` (default $CLAIMDIFF_CACHE_DIR, else ~/.cache/claimdiff), subfolder gazetteer."""
    if cache_dir is None:
        env = os.environ.get("CLAIMDIFF_CACHE_DIR")
        cache_dir = Path(env) if env else Path.home() / ".cache" / "claimdiff"
    return Path(cache_dir) / "gazetteer"


def version() -> str:
    """The cache's key: this format, the data packages' versions and the code that builds the
    index and its keys, so that any change to either builds a new cache."""
    digest = hashlib.sha256(json.dumps(sources.package_versions(), sort_keys=True).encode())
    digest.update(str(FORMAT).encode())
    here = Path(__file__).parent
    for name in BUILD_CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


PRUNE_AFTER_DAYS = 7


def _prune(root: Path, keep: Path) -> None:
    """Remove caches of other versions not used for a week (a running process of another
    version reads its files lazily: a cache it may still use is never removed under it)."""
    import time

    cutoff = time.time() - PRUNE_AFTER_DAYS * 86400
    for other in root.iterdir():
        if not other.is_dir() or other == keep or other.name.startswith("."):
            continue
        if max((f.stat().st_atime for f in other.iterdir()), default=0.0) < cutoff:
            shutil.rmtree(other, ignore_errors=True)


def _bytes(typecode: str, values: Any) -> bytes:
    return array(typecode, values).tobytes()


def write(built: Built, folder: Path, started: float) -> None:
    """Pack `built` into `folder` atomically (written beside it, then renamed); `started` is
    the `time.perf_counter()` of the build's start, for meta.json."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder.parent))
    tmp.chmod(0o755)
    try:
        _write_into(built, tmp, started)
        try:
            tmp.rename(folder)
        except OSError:  # another process finished first: its copy is as good
            if not (folder / INDEX_FILE).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_into(built: Built, tmp: Path, started: float) -> None:
    postings = built.postings
    longer: set[str] = set()
    for k in postings:
        words = k.split(" ")
        for n in range(1, len(words)):
            longer.add(" ".join(words[:n]))
    hashed = sorted((key_hash(k), k) for k in set(postings) | longer)
    hashes, offsets, flat, more = array("Q"), array("I", [0]), array("I"), bytearray()
    for h, k in hashed:
        hashes.append(h)
        flat.extend(sorted(set(postings.get(k, ())), key=lambda e: -built.pop[e >> 1]))
        offsets.append(len(flat))
        more.append(k in longer)
    n_keys = len(hashed)
    del hashed
    ascii_keys = sorted({k for k in postings if k.isascii() and len(k) >= 4})
    _write_latin(built, ascii_keys, tmp)
    buckets: dict[str, tuple[int, int]] = {}
    with open(tmp / "fuzzy.txt", "wb") as f:
        for k in ascii_keys:
            start = f.tell()
            f.write(k.encode() + b"\n")
            lo, _ = buckets.get(k[:2], (start, 0))
            buckets[k[:2]] = (lo, f.tell())
    codes = sorted({c for c in built.country if c})
    admin1_codes = sorted({a for a in built.admin1 if a})
    code_of = {c: i for i, c in enumerate(codes)}
    admin1_of = {a: i for i, a in enumerate(admin1_codes)}
    data = {
        "n_settlements": built.n_settlements,
        "n_regions": len(built.namesake),
        "gids": _bytes("q", built.gids),
        "codes": built.codes,
        "names": "\x1f".join(built.names),
        "lat": _bytes("d", built.lat),
        "lon": _bytes("d", built.lon),
        "pop": _bytes("q", built.pop),
        "country": _bytes("H", (code_of.get(c, 0xFFFF) for c in built.country)),
        "country_codes": codes,
        "admin1": _bytes("I", (admin1_of.get(a, 0xFFFFFFFF) for a in built.admin1)),
        "admin1_codes": admin1_codes,
        "admin1_names": [built.admin1_names.get(a) for a in admin1_codes],
        "namesake": _bytes("q", built.namesake),
        "scripts": bytes(built.scripts),
        "hashes": hashes.tobytes(),
        "offsets": offsets.tobytes(),
        "postings": flat.tobytes(),
        "longer": bytes(more),
        "buckets": buckets,
    }
    with open(tmp / INDEX_FILE, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    for language in sorted(sources.wordfreq_languages()):
        with open(tmp / f"common-{language}.pickle", "wb") as f:
            pickle.dump(sources.common_words(language), f, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {
        "format": FORMAT,
        "packages": sources.package_versions(),
        "entries": len(built.names),
        "settlements": built.n_settlements,
        "regions": len(built.namesake),
        "keys": n_keys,
        "build_seconds": round(time.perf_counter() - started, 1),  # reading, linking, writing
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "region_links": built.links,
    }
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")


def _write_latin(built: Built, ascii_keys: list[str], tmp: Path) -> None:
    """latin.pickle: see the module docstring."""
    wanted = SCRIPT_BITS["CYRILLIC"] | SCRIPT_BITS["GREEK"]
    by_letter: dict[str, list[str]] = {}
    for k in ascii_keys:
        if len(k) < LATIN_MIN_LENGTH or " " in k:
            continue
        for posting in built.postings[k]:
            e = posting >> 1
            lacking = wanted & ~built.scripts[e]
            if e < built.n_settlements and built.pop[e] >= LATIN_ONLY_POPULATION and lacking:
                by_letter.setdefault(f"{k[:2]}{len(k)}", []).append(k)
                break
    with open(tmp / "latin.pickle", "wb") as f:
        pickle.dump(by_letter, f, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass(frozen=True, slots=True)
class Hit:
    """What one key names: entries (number << 1 | flags, most populous first) and whether a
    longer key starts with it."""

    postings: tuple[int, ...]
    longer: bool


class Index:
    """The loaded index: columns by entry number, and key lookups."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with open(folder / INDEX_FILE, "rb") as f:
            data: dict[str, Any] = pickle.load(f)
        self._data = data  # keeps the bytes the views below read
        self.n_settlements: int = data["n_settlements"]
        self.n_regions: int = data["n_regions"]
        self.gids = memoryview(data["gids"]).cast("q")
        self.codes: list[str] = data["codes"]
        self.names: list[str] = data["names"].split("\x1f")
        self.lat = memoryview(data["lat"]).cast("d")
        self.lon = memoryview(data["lon"]).cast("d")
        self.pop = memoryview(data["pop"]).cast("q")
        self.country = memoryview(data["country"]).cast("H")
        self.country_codes: list[str] = data["country_codes"]
        self.admin1 = memoryview(data["admin1"]).cast("I")
        self.admin1_codes: list[str] = data["admin1_codes"]
        self.admin1_names: list[str | None] = data["admin1_names"]
        self.namesake = memoryview(data["namesake"]).cast("q")
        self.scripts: bytes = data["scripts"]
        self._hashes = memoryview(data["hashes"]).cast("Q")
        self._offsets = memoryview(data["offsets"]).cast("I")
        self._postings = memoryview(data["postings"]).cast("I")
        self._longer: bytes = data["longer"]
        self._buckets: dict[str, tuple[int, int]] = data["buckets"]
        self.code_index = {c: self.n_settlements + i for i, c in enumerate(self.codes)}
        self._common: dict[str, dict[str, float]] = {}
        self._fuzzy: mmap.mmap | None = None
        self._latin: dict[str, list[str]] | None = None
        self._near: dict[str, list[str]] = {}  # latin_keys' answers

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, name_key: str) -> Hit | None:
        h = key_hash(name_key)
        i = bisect_left(self._hashes, h)
        if i == len(self._hashes) or self._hashes[i] != h:
            return None
        lo, hi = self._offsets[i], self._offsets[i + 1]
        return Hit(tuple(self._postings[lo:hi]), bool(self._longer[i]))

    def settlement_of(self, geonameid: int) -> int | None:
        i = bisect_left(self.gids, geonameid)
        return i if i < self.n_settlements and self.gids[i] == geonameid else None

    def coordinates(self, entry: int) -> tuple[float, float] | None:
        lat, lon = self.lat[entry], self.lon[entry]
        return None if math.isnan(lat) or math.isnan(lon) else (lat, lon)

    def common(self, language: str) -> dict[str, float]:
        """The common words of `language` (English for a language wordfreq lacks)."""
        if language not in self._common:
            path = self.folder / f"common-{language}.pickle"
            if not path.is_file():
                path = self.folder / "common-en.pickle"
            with open(path, "rb") as f:
                self._common[language] = pickle.load(f)
        return self._common[language]

    def fuzzy_bucket(self, prefix: str) -> list[str]:
        """The ASCII keys that start with the two letters `prefix`."""
        span = self._buckets.get(prefix[:2])
        if span is None:
            return []
        if self._fuzzy is None:
            with open(self.folder / "fuzzy.txt", "rb") as f:
                self._fuzzy = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return self._fuzzy[span[0] : span[1]].decode().splitlines()

    def latin_keys(self, letters: str, length: int) -> list[str]:
        """The keys of latin.pickle that start with the two `letters` and have one character
        more or less than `length`, or as many."""
        if self._latin is None:
            with open(self.folder / "latin.pickle", "rb") as f:
                self._latin = pickle.load(f)
        bucket = f"{letters}{length}"
        if bucket not in self._near:
            lengths = (length - 1, length, length + 1)
            self._near[bucket] = [k for n in lengths for k in self._latin.get(f"{letters}{n}", ())]
        return self._near[bucket]

    def meta(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "meta.json").read_text("utf-8"))
        return data


_LOADED: dict[Path, Index] = {}


def open_index(cache_dir: Path | None) -> tuple[Index, bool]:
    """The index of the current package versions and code, built first if the cache lacks it;
    and whether this call built it. A process loads each cache folder once and shares it."""
    folder = cache_root(cache_dir) / version()
    if folder in _LOADED and (folder / INDEX_FILE).is_file():
        return _LOADED[folder], False
    built_now = False
    if not (folder / INDEX_FILE).is_file():
        from pipeline.interpret.gazetteer.build import build

        started = time.perf_counter()
        built = build()
        write(built, folder, started)
        del built
        built_now = True
        _prune(folder.parent, folder)
    _LOADED[folder] = Index(folder)
    return _LOADED[folder], built_now
