"""HTML pages: main text and metadata by trafilatura.

The source text that offsets index is the extractor's output: the title, the
page's description (its standfirst) when the body does not contain it, and the
main text, separated by blank lines. Page metadata (title, date, authors, URL)
fills what the manifest does not give.
"""
from __future__ import annotations

import gzip
from importlib.metadata import version
from typing import Iterator

import trafilatura

from ..document import ArticleError, Source
from .repair import clean_line, repair

EXTRACTOR = ("trafilatura", version("trafilatura"))


def extract(page: bytes, path: str, meta: dict, sha256: str, file_bytes: int, raw: bytes, fmt: str = "html") -> Source:
    try:
        doc = trafilatura.bare_extraction(page, url=meta.get("url"), with_metadata=True, include_comments=False,
                                          include_tables=False, include_images=False, deduplicate=False)
    except Exception as e:  # lxml raises on pages it cannot parse
        raise ArticleError(f"HTML could not be parsed: {type(e).__name__}: {e}") from None
    if doc is None or not (doc.text or "").strip():
        raise ArticleError("no main text found in the HTML page")
    meta = dict(meta)
    title = clean_line(meta.get("title") or doc.title or "")
    body, repairs = repair(doc.text)
    parts = [title] if title else []
    description = clean_line(doc.description or "")
    if description and description[:60] not in body:
        parts.append(description)
    parts.append(body)
    if title:
        meta["title"] = title
    if not meta.get("url") and doc.url:
        meta["url"] = doc.url
    if not meta.get("published") and doc.date:
        meta["published"] = doc.date
    if not meta.get("authors") and doc.author:
        site = (doc.sitename or "").removesuffix(".fr").strip().lower()
        meta["authors"] = [a.strip() for a in doc.author.split(";") if a.strip() and a.strip().lower() != site]
    return Source(path=path, raw=raw, text="\n\n".join(parts), format=fmt, file_sha256=sha256, file_bytes=file_bytes,
                  metadata=meta, extractor=EXTRACTOR, repairs=repairs)


def _page(raw: bytes, rel: str) -> bytes:
    if rel.lower().endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ArticleError(f"not a valid gzip file: {e}") from None
    return raw


def read(raw: bytes, rel: str, meta: dict, sha256: str) -> Iterator[Source]:
    if not raw.strip():
        raise ArticleError("empty file")
    yield extract(_page(raw, rel), rel, meta, sha256, len(raw), raw)


def reread(raw: bytes, rel: str, part: str, sha256: str) -> Source:
    return extract(_page(raw, rel), rel, {}, sha256, len(raw), raw)
