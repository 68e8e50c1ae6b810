"""WARC files (web archives): every HTML response record is a page for the HTML reader.

The record's target URI and WARC-Date give ``url`` and ``retrieved_at`` (a fact
of the archive, not the build's clock); an article's path is ``file#offset``.
"""
from __future__ import annotations

import io
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..document import ArticleError, Rejected, Source
from . import html


def _records(raw: bytes) -> Iterator[tuple[int, str, str, bytes]]:
    stream = ArchiveIterator(io.BytesIO(raw))
    try:
        for record in stream:
            if record.rec_type != "response" or not record.http_headers:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            payload = record.content_stream().read()
            yield (stream.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI"),
                   record.rec_headers.get_header("WARC-Date"), payload)
    except ArchiveLoadFailed as e:
        raise ArticleError(f"not a valid WARC file: {e}") from None


def _source(offset, uri, date, payload, rel, meta, sha256, file_bytes) -> Source:
    meta = dict(meta)
    meta.setdefault("url", uri)
    if date:
        meta.setdefault("retrieved_at", date)
    return html.extract(payload, f"{rel}#{offset}", meta, sha256, file_bytes, payload, fmt="warc")


def read(raw: bytes, rel: str, meta: dict, sha256: str) -> Iterator[Source | Rejected]:
    if not raw.strip():
        raise ArticleError("empty file")
    for offset, uri, date, payload in _records(raw):
        try:
            yield _source(offset, uri, date, payload, rel, meta, sha256, len(raw))
        except ArticleError as e:
            yield Rejected(f"{rel}#{offset}", str(e))


def reread(raw: bytes, rel: str, part: str, sha256: str) -> Source:
    for offset, uri, date, payload in _records(raw):
        if str(offset) == part:
            return _source(offset, uri, date, payload, rel, {}, sha256, len(raw))
    raise ArticleError(f"no HTML record at offset {part}")
