"""Readers turn the files of a raw folder into :class:`~corpus.document.Source` records.

``read_folder`` walks the folder in sorted order (so builds are deterministic),
attaches metadata from ``manifest.jsonl`` and ``<file>.meta.json`` sidecars, and
yields a ``Rejected`` for every file it cannot read, with the reason, instead
of stopping.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from pathlib import Path
from typing import Iterator

from ..document import ArticleError, Rejected, Source
from ..metadata import check_keys
from . import html, jsonl, text, warc

MANIFEST = "manifest.jsonl"
SIDECAR_SUFFIX = ".meta.json"
# Files that live in a raw folder but are not articles.
NOT_INPUT_SUFFIXES = (SIDECAR_SUFFIX, ".gold.json", ".md", ".src")  # .src: gold markup (scripts/make_gold.py)

# file name ending -> reader(bytes, path, file metadata, sha256) -> Sources (or Rejected items inside a file)
READERS = {
    ".txt": text.read,
    ".jsonl": jsonl.read,
    ".html": html.read, ".htm": html.read, ".html.gz": html.read,
    ".warc": warc.read, ".warc.gz": warc.read,
}
FORMATS = {"text": text, "jsonl": jsonl, "html": html, "warc": warc}


def reader_for(name: str):
    name = name.lower()
    # longest ending first, so that .html.gz wins over .gz
    return next((READERS[s] for s in sorted(READERS, key=len, reverse=True) if name.endswith(s)), None)


def load_manifest(raw_dir: Path) -> tuple[dict[str, dict], list[Rejected]]:
    """({path: metadata}, rejected lines). A bad line costs that line, not the manifest."""
    path = raw_dir / MANIFEST
    if not path.exists():
        return {}, []
    out, rejected = {}, []
    root = raw_dir.resolve()
    for n, line in enumerate(path.read_bytes().decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{MANIFEST}#{n}"
        try:
            record = json.loads(line)
            rel = record.pop("path")
        except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as e:
            rejected.append(Rejected(where, f"not a JSON object with a `path` ({e})"))
            continue
        try:
            check_keys(record, where)
        except ArticleError as e:
            rejected.append(Rejected(where, str(e)))
            continue
        if not isinstance(rel, str) or Path(rel).is_absolute() or not (root / rel).resolve().is_relative_to(root):
            rejected.append(Rejected(where, f"path {rel!r} is outside the raw folder"))
        elif not (raw_dir / rel).is_file():
            rejected.append(Rejected(where, f"path {rel!r} names no file in the raw folder"))
        elif rel in out:
            rejected.append(Rejected(where, f"path {rel!r} is listed twice; the first entry is used"))
        else:
            out[rel] = record
    return out, rejected


def _input_files(raw_dir: Path) -> Iterator[Path | Rejected]:
    for dirpath, dirnames, filenames in os.walk(raw_dir):  # os.walk does not follow directory links
        here = Path(dirpath)
        for d in sorted(dirnames):
            if (here / d).is_symlink():
                yield Rejected((here / d).relative_to(raw_dir).as_posix(), "is a link to a folder; links are not followed")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            if name.startswith(".") or name == MANIFEST or name.endswith(NOT_INPUT_SUFFIXES):
                continue
            yield here / name


def source_of(raw_dir: str | os.PathLike, source_path: str, fmt: str) -> Source | None:
    """Read one article again from its raw file (``path`` or ``path#part``), for the validator."""
    rel, _, part = source_path.partition("#")
    root = Path(raw_dir).resolve()
    path = Path(raw_dir) / rel
    if not path.resolve().is_relative_to(root) or path.is_symlink() or not path.is_file():
        return None  # a path from a dataset row never leads outside the raw folder
    raw = path.read_bytes()
    return FORMATS[fmt].reread(raw, rel, part, hashlib.sha256(raw).hexdigest())


def _existing(raw_dir: str | os.PathLike) -> Path:
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    return raw_dir


def read_folder(raw_dir: str | os.PathLike) -> Iterator[Source | Rejected]:
    raw_dir = _existing(raw_dir)
    manifest, rejected = load_manifest(raw_dir)
    yield from rejected
    for path in _input_files(raw_dir):
        if isinstance(path, Rejected):
            yield path
            continue
        rel = path.relative_to(raw_dir).as_posix()
        try:
            yield from _read_file(raw_dir, path, rel, manifest.get(rel, {}))
        except ArticleError as e:
            yield Rejected(rel, str(e))


def _read_file(raw_dir: Path, path: Path, rel: str, manifest_meta: dict) -> Iterator[Source]:
    if path.is_symlink():
        raise ArticleError("is a symbolic link; links are not followed (copy the file into the raw folder)")
    reader = reader_for(path.name)
    if reader is None:
        raise ArticleError(f"unsupported format {path.suffix or '(no suffix)'!r} (supported: {', '.join(sorted(READERS))})")
    meta = dict(manifest_meta)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        try:
            side = json.loads(sidecar.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ArticleError(f"sidecar {sidecar.name} is not valid JSON: {e}") from None
        if not isinstance(side, dict):
            raise ArticleError(f"sidecar {sidecar.name} is not a JSON object")
        check_keys(side, f"sidecar {sidecar.name}")
        meta.update(side)  # the sidecar, next to the file, wins over the manifest
    meta.setdefault("collection", raw_dir.resolve().name)
    raw = path.read_bytes()
    yield from reader(raw, rel, meta, hashlib.sha256(raw).hexdigest())


class Replay:
    """Reads the folder once for two passes: the items a first pass takes (the build's
    boilerplate-learning sample) are kept and handed again to the second pass, which then
    reads on from where the first stopped. Kept items are bounded by ``budget`` bytes of
    source; past it nothing is kept and the second pass reads the folder again."""

    def __init__(self, raw_dir: str | os.PathLike, budget: int = 256 << 20):
        self.raw_dir = _existing(raw_dir)  # now, not at the first read: the build starts workers before it
        self.budget = budget
        self._items = iter(read_folder(raw_dir))
        self._kept: deque | None = deque()
        self._size = 0

    def first_pass(self) -> Iterator[Source | Rejected]:
        for item in self._items:
            if self._kept is not None:
                self._kept.append(item)
                self._size += (len(item.raw) + 4 * len(item.text)) if isinstance(item, Source) else 0
                if self._size > self.budget:
                    self._kept = None  # too large to keep: the second pass reads the folder again
            yield item

    def second_pass(self) -> Iterator[Source | Rejected]:
        if self._kept is None:
            yield from read_folder(self.raw_dir)
            return
        while self._kept:
            yield self._kept.popleft()  # released as it goes
        yield from self._items
