"""The one record type that flows through the pipeline.

A reader makes a :class:`Source` (the raw bytes decoded, plus whatever metadata
came with them); ``Document`` carries it with the row being built. Each step
reads the fields it needs and fills its own, spaCy-style; the row is a plain
dict whose keys are the contract's fields (``schema/article.schema.json``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


class ArticleError(ValueError):
    """A problem with one article: it is reported (file, reason) and skipped."""


@dataclass(frozen=True)
class Rejected:
    """An input that could not become a row, and why."""
    path: str
    reason: str


@dataclass(frozen=True)
class Source:
    path: str                 # relative to the raw folder, POSIX separators (+ "#N" inside multi-article files)
    raw: bytes                # the article's own bytes (the id is derived from them)
    text: str                 # decoded source text that every source offset indexes
    format: str               # text | jsonl | html | warc
    file_sha256: str          # sha256 of the whole raw file
    file_bytes: int
    metadata: dict = field(default_factory=dict)  # url, outlet, published, authors, license, language, collection, retrieved_at, title
    extractor: tuple[str, str] = ("corpus.segment", "1")
    repairs: tuple[str, ...] = ()  # what was repaired in ``text`` before segmenting (e.g. ftfy's mojibake fixes)

    @property
    def id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]


@dataclass
class Document:
    source: Source
    row: dict[str, Any] = field(default_factory=dict)
    # Results of shared analyses (e.g. the spaCy parse of each block) that several
    # annotators read; never written out.
    cache: dict[str, Any] = field(default_factory=dict)

    def block_texts(self) -> list[tuple[dict, str]]:
        text = self.row["text"]
        return [(b, text[b["start"]:b["end"]]) for b in self.row["blocks"]]
