"""The validator: JSON Schema on every row, the contract's invariants, the Arrow schema.

``row_errors`` checks one row (the build runs it on every row before writing);
``validate_dataset`` checks a published folder and returns every problem as a
message that names the file, the row and the field.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import jsonschema
import pyarrow.parquet as pq

from . import schema
from .segment import SEPARATOR

TOP_LEVEL = {f"medtop:{i:02d}000000" for i in range(1, 18)}


@lru_cache(maxsize=2)
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    node = schema.json_schema() if kind == "articles" else schema.mention_json_schema()
    return jsonschema.Draft202012Validator(node, format_checker=jsonschema.FormatChecker())


def _is_date(value) -> bool:
    """The ``date`` format as jsonschema's FormatChecker reads it (RFC 3339 full-date)."""
    if not isinstance(value, str):
        return True
    try:
        return len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


@lru_cache(maxsize=2)
def _gate(kind: str):
    """The same schema compiled to Python code (fastjsonschema): ~30× faster than jsonschema
    on a valid row, so the build checks every row with it and asks jsonschema only for the
    messages of a row it rejects. Every keyword our schema uses means the same in its draft 7."""
    node = schema.json_schema() if kind == "articles" else schema.mention_json_schema()
    return fastjsonschema.compile(node, formats={"date": _is_date}, use_default=False)


def _path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(row)"


def schema_errors(row: dict, kind: str = "articles") -> list[str]:
    value = schema.to_json_value(row)
    try:
        _gate(kind)(value)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema names every field that is wrong
    return [f"{_path(e.absolute_path)}: {e.message}"
            for e in sorted(_validator(kind).iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))]


def _span(errors, where, text, start, end, expected=None):
    """Check a [start, end) span of ``text``; returns True when it is usable."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        errors.append(f"{where}: span [{start}, {end}) is not inside text of length {len(text)} with start < end")
        return False
    if expected is not None and text[start:end] != expected:
        errors.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {expected!r}")
    return True


def invariant_errors(row: dict, source_text: str | None = None) -> list[str]:
    """The SPEC invariants beyond JSON Schema; ``source_text`` enables the source checks."""
    errors: list[str] = []
    text = row["text"]
    blocks = row["blocks"]
    # blocks: in order, not overlapping, joining exactly to text
    pieces, prev_end, prev_src_end = [], -1, -1
    for i, b in enumerate(blocks):
        where = f"blocks[{i}]"
        if not _span(errors, where, text, b["start"], b["end"]):
            continue
        if b["start"] <= prev_end or b["source_start"] < prev_src_end:
            errors.append(f"{where}: overlaps or is out of order with the block before")
        if b["source_end"] - b["source_start"] != b["end"] - b["start"]:
            errors.append(f"{where}: source span length {b['source_end'] - b['source_start']} != text span length {b['end'] - b['start']}")
        elif source_text is not None and source_text[b["source_start"]:b["source_end"]] != text[b["start"]:b["end"]]:
            errors.append(f"{where}: text[{b['start']}:{b['end']}] differs from source[{b['source_start']}:{b['source_end']}]")
        pieces.append(text[b["start"]:b["end"]])
        prev_end, prev_src_end = b["end"], b["source_end"]
    if SEPARATOR.join(pieces) != text:
        errors.append(f"text: is not the blocks joined by {SEPARATOR!r}")
    titles = [b for b in blocks if b["type"] == "title"]
    if len(titles) != 1:
        errors.append(f"blocks: {len(titles)} title blocks, expected exactly 1")
    elif text[titles[0]["start"]:titles[0]["end"]] != row["title"]:
        errors.append("title: differs from the text of the title block")

    def block_of(s, e):
        return next((i for i, b in enumerate(blocks) if b["start"] <= s and e <= b["end"]), None)

    # entity mentions: inside one block, not overlapping, ids unique
    spans, ids = [], set()
    for i, m in enumerate(row["entities"]):
        where = f"entities[{i}]"
        if m["id"] in ids:
            errors.append(f"{where}.id: {m['id']!r} is used twice")
        ids.add(m["id"])
        if _span(errors, where, text, m["start"], m["end"], m["text"]):
            if block_of(m["start"], m["end"]) is None:
                errors.append(f"{where}: mention [{m['start']}, {m['end']}) crosses a block boundary")
            spans.append((m["start"], m["end"], i))
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
        if s2 < e1:
            errors.append(f"entities[{i2}]: overlaps entities[{i1}]")
    # quotes: spans in text; speaker_entity names an entity of the row
    entity_names = {m["entity"] for m in row["entities"]}
    ids = set()
    for i, q in enumerate(row["quotes"]):
        where = f"quotes[{i}]"
        if q["id"] in ids:
            errors.append(f"{where}.id: {q['id']!r} is used twice")
        ids.add(q["id"])
        _span(errors, where, text, q["start"], q["end"], q["text"])
        for part in ("speaker", "cue"):
            s, e = q[f"{part}_start"], q[f"{part}_end"]
            if (s is None) != (e is None):
                errors.append(f"{where}.{part}_start: {part}_start and {part}_end must both be null or both set")
            elif s is not None:
                _span(errors, f"{where}.{part}", text, s, e, q[part])
        if q["speaker_entity"] is not None and q["speaker_entity"] not in entity_names:
            errors.append(f"{where}.speaker_entity: {q['speaker_entity']!r} is not the entity of any mention in this row")
    # topics: unique codes; when topics are given, at least one top-level code
    codes = [t["code"] for t in row["topics"]]
    if len(set(codes)) != len(codes):
        errors.append("topics: a code appears twice")
    if codes and not TOP_LEVEL & set(codes):
        errors.append("topics: no top-level IPTC Media Topic code")
    if row.get("duplicate_of") == row["id"]:
        errors.append("duplicate_of: an article cannot duplicate itself")
    # provenance: removed spans ordered, and (with the source) kept + removed cover every non-blank character
    removed = row["provenance"]["removed"]
    for i, r in enumerate(removed):
        if r["source_start"] >= r["source_end"]:
            errors.append(f"provenance.removed[{i}]: start >= end")
    if source_text is not None:
        errors.extend(_coverage_errors(row, source_text))
    return errors


def _coverage_errors(row: dict, src: str) -> list[str]:
    covered = bytearray(len(src))
    spans = [(b["source_start"], b["source_end"], "blocks") for b in row["blocks"]]
    spans += [(r["source_start"], r["source_end"], "provenance.removed") for r in row["provenance"]["removed"]]
    for s, e, where in spans:
        if not 0 <= s < e <= len(src):
            return [f"{where}: source span [{s}, {e}) is outside the source (length {len(src)})"]
        if any(covered[s:e]):
            return [f"{where}: source span [{s}, {e}) is claimed twice (kept and removed, or removed twice)"]
        covered[s:e] = b"\x01" * (e - s)
    lost = [i for i, ch in enumerate(src) if not covered[i] and not ch.isspace() and ch != "\ufeff"]
    if lost:
        i = lost[0]
        return [f"provenance.removed: {len(lost)} non-blank source characters are neither kept nor removed, first at {i}: {src[i:i + 30]!r}"]
    return []


def row_errors(row: dict, source_text: str | None = None) -> list[str]:
    errors = schema_errors(row)
    if errors:  # invariants assume the shape is right
        return errors
    return invariant_errors(row, source_text)


@dataclass
class Report:
    files: int = 0
    rows: int = 0       # in every config
    articles: int = 0
    errors: list[str] = None

    def __post_init__(self):
        self.errors = self.errors or []

    @property
    def ok(self) -> bool:
        return not self.errors


ARTICLE_CONFIGS = ("articles", "articles_by_outlet", "articles_by_date")


def validate_dataset(folder: str | Path, raw_dir: str | Path | None = None, max_errors: int = 200) -> Report:
    """Check every Parquet file of a published folder; ``raw_dir`` enables the source checks.

    Every article config must hold the same articles, each once; no near-duplicate
    cluster may span two splits of a config; the mentions table must match the
    entities of the ``articles`` config.
    """
    folder = Path(folder)
    report = Report()
    ids_by_config: dict[str, dict[str, str]] = {}
    article_mentions: dict[str, int] = {}
    mention_counts: dict[str, int] = {}
    for config in (*ARTICLE_CONFIGS, "mentions"):
        files = sorted((folder / config).glob("*.parquet"))
        if config == "articles" and not files:
            report.errors.append(f"{folder}: no Parquet files under {config}/")
        expected = schema.mention_arrow_schema() if config == "mentions" else schema.arrow_schema()
        seen = ids_by_config.setdefault(config, {}) if config != "mentions" else {}
        cluster_split: dict[str, str] = {}
        references: list[tuple[str, str, str]] = []
        for f in files:
            name = f.relative_to(folder).as_posix()
            split = f.name.split("-")[0]
            report.files += 1
            try:
                actual = pq.read_schema(f).remove_metadata()
                table = pq.read_table(f)
            except Exception as e:  # a truncated or corrupt file: say so and go on
                report.errors.append(f"{name}: cannot read Parquet ({type(e).__name__}: {e})")
                continue
            if not actual.equals(expected):
                report.errors.append(f"{name}: Arrow schema differs from the one derived from schema/: {_schema_diff(actual, expected)}")
                continue
            if table.num_rows == 0:
                report.errors.append(f"{name}: empty shard (0 rows) breaks load_dataset")
            for n, row in enumerate(table.to_pylist()):
                report.rows += 1
                if config == "mentions":
                    where = f"{name} row {n} (article {row.get('article_id')})"
                    errors = schema_errors(row, "mentions")
                    mention_counts[row.get("article_id")] = mention_counts.get(row.get("article_id"), 0) + 1
                else:
                    where = f"{name} row {n} (id {row.get('id')})"
                    if config == "articles":
                        report.articles += 1
                        source, file_sha = _source(raw_dir, row)
                        errors = row_errors(row, source.text if source else None)
                        if file_sha is not None and file_sha != row["provenance"]["source_sha256"]:
                            errors.append(f"provenance.source_sha256: does not match the raw file {row['provenance']['source_path']}")
                        article_mentions[row["id"]] = len(row["entities"])
                    else:
                        errors = schema_errors(row)
                    if row["id"] in seen:
                        errors.append(f"id: {row['id']!r} is also in {seen[row['id']]}")
                    seen.setdefault(row["id"], where)
                    references += [(where, fld, row[fld]) for fld in ("duplicate_of", "near_duplicate_cluster") if row.get(fld)]
                    cluster = row.get("near_duplicate_cluster")
                    if cluster and cluster_split.setdefault(cluster, split) != split:
                        errors.append(f"near_duplicate_cluster: cluster {cluster} is in both {cluster_split[cluster]} and {split}: it leaks across splits")
                report.errors.extend(f"{where}: {e}" for e in errors)
                if len(report.errors) >= max_errors:
                    report.errors.append(f"stopped after {max_errors} errors")
                    return report
        for where, field_name, target in references:
            if target not in seen:
                report.errors.append(f"{where}: {field_name}: {target!r} is not the id of an article in the dataset")
    base = set(ids_by_config.get("articles", {}))
    for config in ARTICLE_CONFIGS[1:]:
        if (folder / config).exists() and set(ids_by_config.get(config, {})) != base:
            report.errors.append(f"{config}: holds {len(ids_by_config.get(config, {}))} articles, not the same "
                                 f"{len(base)} as `articles`")
    if (folder / "mentions").exists() or any(article_mentions.values()):
        for aid in sorted(set(article_mentions) | set(mention_counts)):
            if article_mentions.get(aid, 0) != mention_counts.get(aid, 0):
                report.errors.append(f"mentions: article {aid} has {article_mentions.get(aid, 0)} entities but {mention_counts.get(aid, 0)} mention rows")
    return report


def _source(raw_dir, row):
    """(the row's source re-read from its raw file, that file's sha256), when the file is at hand."""
    from .document import ArticleError
    from .readers import source_of

    if raw_dir is None:
        return None, None
    prov = row["provenance"]
    path = Path(raw_dir) / prov["source_path"].partition("#")[0]
    if not path.resolve().is_relative_to(Path(raw_dir).resolve()) or not path.is_file():
        return None, None  # never read outside the raw folder, whatever a row says
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha != prov["source_sha256"]:
        return None, sha
    try:
        return source_of(raw_dir, prov["source_path"], prov["source_format"]), sha
    except (ArticleError, IndexError, ValueError):
        return None, sha


def _schema_diff(actual, expected) -> str:
    a, e = {f.name: f.type for f in actual}, {f.name: f.type for f in expected}
    parts = [f"missing column {n}" for n in e if n not in a]
    parts += [f"unexpected column {n}" for n in a if n not in e]
    parts += [f"column {n} is {a[n]}, expected {e[n]}" for n in e if n in a and a[n] != e[n]]
    if not parts and actual.names != expected.names:
        parts.append(f"column order {actual.names} != {expected.names}")
    return "; ".join(parts) or "metadata or nullability differ"
