"""Bytes → article text, or the reason the file is refused.

Every format that holds text (plain files, HTML pages) goes through here, so each refusal is
written once and reads the same everywhere: a file is either read whole and exact, or refused
with what to do about it, never half-read.
"""

from __future__ import annotations

from pathlib import Path


class Refusal(ValueError):
    """An input we will not read; the message is the reason a person can act on."""


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a file larger than one article can be, before reading it into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise Refusal(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for one article "
            "(raise CLAIMDIFF_MAX_BYTES if it really is one article)"
        )


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """The text of `data`, with LF line ends and no byte-order mark.

    Refuses binary data, text that is not in `encoding` (naming the first bad byte and its
    offset, so the file can be found and converted) and text with nothing in it.
    """
    if b"\x00" in data[:8192]:
        raise Refusal("binary file (it contains NUL bytes), not a text article")
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        name = "UTF-8" if codec == "utf-8-sig" else encoding
        raise Refusal(
            f"not {name} text: byte 0x{data[err.start]:02x} at offset {err.start} "
            "(convert it first, e.g. `iconv -f latin1 -t utf-8`)"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > max(8, len(text) // 100):
        raise Refusal(f"binary file ({controls} control characters), not a text article")
    if not text.strip():
        raise Refusal("empty file: no text to extract")
    return text


def read_text(path: Path, max_bytes: int) -> str:
    """The UTF-8 text of the file at `path`, or Refusal with the reason it is refused."""
    check_size(path, max_bytes)
    return decode(path.read_bytes())


def strip_blank_lines(text: str) -> str:
    """`text` without its leading and trailing blank lines; every other character kept as is
    (a line's own indentation and trailing spaces are the article's)."""
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])
