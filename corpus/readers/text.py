"""Plain-text dumps: one article per file, title on the first line.

Source offsets index the file's bytes decoded as UTF-8, exactly: nothing is
repaired here, since a repair would move every offset after it.
"""
from __future__ import annotations

from typing import Iterator

from ..document import ArticleError, Source


def decode(raw: bytes) -> str:
    """UTF-8, strictly: a wrong guess at an encoding would shift every offset."""
    if not raw.strip():
        raise ArticleError("empty file")
    if b"\x00" in raw[:65536]:
        raise ArticleError("binary file (NUL bytes); if it is UTF-16 text, convert it to UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"not valid UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r}); convert the file to UTF-8") from None


def read(raw: bytes, rel: str, meta: dict, sha256: str) -> Iterator[Source]:
    yield Source(path=rel, raw=raw, text=decode(raw), format="text", file_sha256=sha256,
                 file_bytes=len(raw), metadata=meta)


def reread(raw: bytes, rel: str, part: str, sha256: str) -> Source:
    return next(read(raw, rel, {}, sha256))
