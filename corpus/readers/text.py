"""Plain-text dumps: one article per file, title on the first line.

Source offsets index the file's bytes decoded as UTF-8, exactly: nothing is
repaired here, since a repair would move every offset after it.
"""
from __future__ import annotations

import codecs
from typing import Iterator

import ftfy
from ftfy.badness import is_bad

from ..document import ArticleError, Source


def decode(raw: bytes) -> str:
    """UTF-8, strictly: a wrong guess at an encoding would shift every offset, and a repair
    would too, so text dumps with mojibake are rejected rather than silently altered."""
    if not raw.strip():
        raise ArticleError("empty file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleError("UTF-16 text (byte-order mark); convert the file to UTF-8")
    if b"\x00" in raw[:65536]:
        raise ArticleError("binary file (NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"not valid UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r}); "
                           "probably Latin-1 or Windows-1252: convert the file to UTF-8") from None
    if is_bad(text):
        fixed = ftfy.fix_text(text)
        first = next((i for i, (a, b) in enumerate(zip(text, fixed)) if a != b), 0)
        raise ArticleError(f"mojibake (UTF-8 read as another encoding) near character {first}: {text[first:first + 20]!r}; "
                           "repair the file (e.g. with ftfy) before building")
    return text


def read(raw: bytes, rel: str, meta: dict, sha256: str) -> Iterator[Source]:
    yield Source(path=rel, raw=raw, text=decode(raw), format="text", file_sha256=sha256,
                 file_bytes=len(raw), metadata=meta)


def reread(raw: bytes, rel: str, part: str, sha256: str) -> Source:
    return next(read(raw, rel, {}, sha256))
