"""Wikidata linking from the alias table ``resources/wikidata_aliases.tsv``.

The table is tab-separated with a header row and the columns
``qid, type, name, lang, alias``: one row per (entity, surface form). Lookups
go through :func:`normalize`, which folds case, accents, apostrophes, dashes
and white space, so ``Elysée``, ``ÉLYSÉE`` and ``élysée`` find the same rows, and
``l’UE`` / ``l'UE`` are the same string.

Nothing is guessed: an alias that names several different QIDs links only when
the mention's label, or an exact canonical-name match, leaves exactly one;
otherwise the lookup returns ``None``.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

COLUMNS = ("qid", "type", "name", "lang", "alias")
LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})
_QID = re.compile(r"Q[1-9][0-9]*")

_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′ʹ＇"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-_]+")
_SPACES = re.compile(r"\s+")
_DROP_PUNCT = re.compile(r"[.«»\"“”„()\[\]{}]")  # "U.E." = "UE"; quotes and brackets never matter


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The lookup key of a surface form: case-, accent-, apostrophe- and dash-insensitive."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_APOSTROPHES).casefold()
    text = _DROP_PUNCT.sub("", text)
    text = _DASHES.sub(" ", text)
    text = text.replace("' ", "'")
    return _SPACES.sub(" ", text).strip()


_ARTICLES = ("le ", "la ", "les ", "l'")


def _first_words(key: str) -> list[str]:
    out = [key.split()[0]]
    for a in _ARTICLES:
        if key.startswith(a) and len(key) > len(a):
            out.append(key[len(a):].split()[0])
    return out


@dataclass(frozen=True)
class Entry:
    qid: str
    type: str
    name: str
    lang: str
    alias: str


class AliasTable:
    """Surface form → candidate entries, with an unambiguous ``lookup``."""

    def __init__(self, entries: list[Entry] | tuple[Entry, ...] = (), source: str = "(empty)", digest: str = ""):
        self.source = source
        self.digest = digest
        index: dict[str, dict[str, Entry]] = {}
        names: dict[str, set[str]] = {}
        for e in entries:
            key = normalize(e.alias)
            if not key:
                continue
            # one entry per QID for a key; the first row for a QID wins (file order)
            index.setdefault(key, {}).setdefault(e.qid, e)
            names.setdefault(e.qid, set()).add(normalize(e.name))
        self._index = {k: tuple(v.values()) for k, v in index.items()}
        self._names = names
        self.size = len(entries)
        # the first word of every key, and of every key without its article (`caire` of `le caire`):
        # a word that starts no key cannot start a name of the table
        self.first_words = frozenset(w for k in self._index for w in _first_words(k))
        # first words of multi-word person aliases (`marine` of `Marine Le Pen`): first names
        self.person_first_words = frozenset(
            k.split()[0] for k, es in self._index.items() if " " in k and any(e.type == "PER" for e in es))

    def __len__(self) -> int:
        return self.size

    def __contains__(self, text: str) -> bool:
        return normalize(text) in self._index

    def candidates(self, text: str) -> tuple[Entry, ...]:
        return self._index.get(normalize(text), ())

    def lookup(self, text: str, label: str | None = None) -> Entry | None:
        """The one entry ``text`` names, or None when it is unknown or ambiguous.

        With a ``label``, candidates of that type are preferred; when none has
        it the others are considered (the model's label may be the wrong one,
        and the table's type then corrects it).
        """
        key = normalize(text)
        cands = self._index.get(key, ())
        if not cands:
            return None
        if label is not None:
            same = tuple(c for c in cands if c.type == label)
            cands = same or cands
        if len(cands) == 1:
            return cands[0]
        exact = [c for c in cands if key in self._names.get(c.qid, ())]
        if len(exact) == 1:
            return exact[0]
        return None

    def type_of(self, text: str) -> str | None:
        """The type every candidate of ``text`` agrees on, else None."""
        types = {c.type for c in self.candidates(text)}
        return types.pop() if len(types) == 1 else None


def read_table(path: str | os.PathLike) -> AliasTable:
    """Parse a TSV alias table; rows with a bad QID or type are skipped, not fatal."""
    path = Path(path)
    raw = path.read_bytes()
    entries = []
    rows = csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for n, row in enumerate(rows):
        if not row or row[0].startswith("#"):
            continue
        if n == 0 and [c.strip().lower() for c in row[:5]] == list(COLUMNS):
            continue  # the header
        if len(row) < 5:
            continue
        qid, typ, name, lang, alias = (c.strip() for c in row[:5])
        typ = typ.upper()
        if not _QID.fullmatch(qid) or typ not in LABELS or not alias:
            continue
        entries.append(Entry(qid, typ, name or alias, lang, alias))
    return AliasTable(entries, source=str(path), digest=hashlib.sha256(raw).hexdigest()[:12])


def default_path() -> Path:
    return Path(str(resources.files("corpus.resources").joinpath("wikidata_aliases.tsv")))


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> AliasTable:
    return read_table(path)


def load(path: str | os.PathLike | None = None) -> AliasTable:
    """The alias table at ``path`` (default: the packaged one), read once per process.

    When the packaged table is absent the result is an empty table: every
    mention then stays unlinked, which is the honest answer.
    """
    p = Path(path) if path is not None else default_path()
    if not p.is_file():
        if path is not None:
            raise FileNotFoundError(f"alias table {p} does not exist")
        return AliasTable()
    return _load(str(p), p.stat().st_mtime_ns)
