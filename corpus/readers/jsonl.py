"""JSON Lines: one article a line, ``text`` plus metadata fields.

The source text that offsets index is the ``text`` field (mojibake repaired,
recorded in provenance), preceded by the ``title`` and a blank line when the text
does not already start with it. Each line's bytes make the article's id; a bad
line is rejected as ``file#line`` and the rest of the file is read.
"""
from __future__ import annotations

import json
from typing import Iterator

from ..document import ArticleError, Rejected, Source
from .repair import clean_line, repair

# JSON key -> metadata key; keys not listed (e.g. "country", "file") are ignored.
FIELDS = {"title": "title", "url": "url", "outlet": "outlet", "date": "published", "published": "published",
          "authors": "authors", "author": "authors", "language": "language", "lang": "language",
          "license": "license", "retrieved_at": "retrieved_at", "collection": "collection"}


def compose(title: str | None, body: str) -> str:
    """Title and body as one source text; the title is not repeated when the body starts with it."""
    if title and not body.lstrip().startswith(title):
        return f"{title}\n\n{body}"
    return body


def _source(line: bytes, rel: str, n: int, file_meta: dict, sha256: str, file_bytes: int) -> Source:
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ArticleError(f"not a JSON object: {e}") from None
    if not isinstance(record, dict):
        raise ArticleError("not a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise ArticleError("no `text` string")
    meta = dict(file_meta)
    for key, target in FIELDS.items():
        value = record.get(key)
        if value in (None, "", []):
            continue
        if target == "authors" and isinstance(value, str):
            value = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
        elif target != "authors":
            if not isinstance(value, str):
                raise ArticleError(f"`{key}` is {type(value).__name__}, not a string")
            value = clean_line(value)
        meta[target] = value
    body, repairs = repair(body)
    title = meta.get("title")
    if title:
        title, title_repairs = repair(title)
        meta["title"], repairs = title, repairs + title_repairs
    return Source(path=f"{rel}#{n}", raw=line, text=compose(title, body), format="jsonl", file_sha256=sha256,
                  file_bytes=file_bytes, metadata=meta, extractor=("corpus.readers.jsonl", "1"), repairs=tuple(dict.fromkeys(repairs)))


def read(raw: bytes, rel: str, meta: dict, sha256: str) -> Iterator[Source | Rejected]:
    if not raw.strip():
        raise ArticleError("empty file")
    for n, line in enumerate(raw.split(b"\n"), 1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            yield _source(line, rel, n, meta, sha256, len(raw))
        except ArticleError as e:
            yield Rejected(f"{rel}#{n}", str(e))


def reread(raw: bytes, rel: str, part: str, sha256: str) -> Source:
    line = raw.split(b"\n")[int(part) - 1].rstrip(b"\r")
    return _source(line, rel, int(part), {}, sha256, len(raw))
