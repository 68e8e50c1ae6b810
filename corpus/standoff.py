"""The text-free ("standoff") release, and rehydration from the user's own raw files.

News text belongs to its publishers. A standoff release keeps everything a
dataset says *about* the text (offsets, blocks with their source offsets,
annotations, metadata, provenance) and none of the publisher's words: ``text``
and ``title`` become their sha256, and the strings that are slices of the text
(entity mention ``text``; quote ``text``, ``speaker`` and ``cue``) are removed,
their offsets kept. Whoever holds the raw files (``provenance.source_path``,
checked against ``provenance.source_sha256``) rebuilds every row exactly with
:func:`rehydrate`: the text is the blocks' source spans joined by
``corpus.segment.SEPARATOR``, and each removed string is ``text[start:end]``.

Everything here derives from the article contract (``corpus.schema``): the
standoff JSON Schema and Arrow schema are the contract with the fields of
:data:`HASHED` and :data:`SPANS` replaced or removed. Every other string field of
the contract must be listed in :data:`KEPT` with the reason it carries no
publisher text, so a field added to the contract later stops the standoff
release until someone decides what happens to it.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import click
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from . import card, plots, schema, splits
from .__about__ import DATASET_VERSION, PIPELINE_VERSION
from .document import ArticleError
from .readers import source_of
from .segment import SEPARATOR
from .writer import MENTION_SPLIT, REPORT as BUILD_REPORT_NAME, Spill, publishing, spilled_rows, write_configs, write_json, write_table

log = logging.getLogger("corpus")

STANDOFF_VERSION = "1"
REPORT = "standoff_report.json"
REHYDRATE_REPORT = "rehydrate_report.json"
ITEM = "[]"  # a path step into the items of an array

# Fields replaced by the sha256 (hex) of their UTF-8 bytes: path -> name of the hash field.
HASHED = {
    ("text",): "text_sha256",
    ("title",): "title_sha256",
}
# Strings that are slices of ``text``: path -> (start field, end field) of the same item.
SPANS = {
    ("entities", ITEM, "text"): ("start", "end"),
    ("quotes", ITEM, "text"): ("start", "end"),
    ("quotes", ITEM, "speaker"): ("speaker_start", "speaker_end"),
    ("quotes", ITEM, "cue"): ("cue_start", "cue_end"),
}
# Every other string of the contract, and why it is kept: none is the publisher's prose.
KEPT = {
    ("id",): "content hash of the raw bytes",
    ("url",): "where the article is published: how a user finds their own copy",
    ("outlet", "id"): "outlet registry",
    ("outlet", "name"): "outlet registry",
    ("outlet", "domain"): "outlet registry",
    ("outlet", "country"): "outlet registry",
    ("outlet", "ownership"): "outlet registry",
    ("language",): "ISO 639-1 code",
    ("published",): "a date",
    ("published_source",): "enumeration",
    ("authors", ITEM): "names of the authors (bibliographic metadata, not prose)",
    ("blocks", ITEM, "type"): "enumeration",
    ("entities", ITEM, "id"): "annotation id",
    ("entities", ITEM, "label"): "enumeration",
    ("entities", ITEM, "entity"): "the name of the thing mentioned (a person, place or organisation): a fact, "
                                  "and what groups mentions and resolves speaker_entity",
    ("entities", ITEM, "wikidata_id"): "Wikidata QID",
    ("entities", ITEM, "annotator"): "name@version of software",
    ("quotes", ITEM, "id"): "annotation id",
    ("quotes", ITEM, "kind"): "enumeration",
    ("quotes", ITEM, "speaker_entity"): "an entity name, as entities[].entity",
    ("quotes", ITEM, "annotator"): "name@version of software",
    ("topics", ITEM, "code"): "IPTC Media Topic code",
    ("topics", ITEM, "label"): "IPTC Media Topic label (IPTC's words, not the publisher's)",
    ("topics", ITEM, "annotator"): "name@version of software",
    ("duplicate_of",): "an article id",
    ("near_duplicate_cluster",): "an article id",
    ("provenance", "source_path"): "file name in the raw folder",
    ("provenance", "source_sha256"): "hash of the raw file",
    ("provenance", "source_format"): "enumeration",
    ("provenance", "collection"): "collection name",
    ("provenance", "retrieved_at"): "a time stamp",
    ("provenance", "license"): "what is known of the article's rights",
    ("provenance", "extractor", "name"): "software",
    ("provenance", "extractor", "version"): "software",
    ("provenance", "pipeline_version"): "software",
    ("provenance", "dataset_version"): "release number",
    ("provenance", "repairs", ITEM): "what was repaired, in the software's words",
    ("provenance", "outlet_source"): "enumeration",
    ("provenance", "annotators", ITEM, "task"): "software",
    ("provenance", "annotators", ITEM, "name"): "software",
    ("provenance", "annotators", ITEM, "version"): "software",
    ("provenance", "annotators", ITEM, "model"): "software",
    ("provenance", "annotators", ITEM, "status"): "enumeration",
    ("provenance", "annotators", ITEM, "reason"): "why an annotator was skipped, in the software's words",
    ("provenance", "removed", ITEM, "reason"): "id of a boilerplate rule",
}


def dotted(path: tuple) -> str:
    """``("quotes", ITEM, "speaker")`` -> ``quotes[].speaker``."""
    return ".".join(path).replace(f".{ITEM}", ITEM)


class StandoffError(ValueError):
    """A row that cannot be released without its text (a removed string is not a slice of it)."""


@dataclass
class RehydrationError(ValueError):
    """One article could not be rebuilt from the raw folder: which, from which file, and why."""
    article_id: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"article {self.article_id} ({self.path}): {self.reason}"


# --- the schema ------------------------------------------------------------------------------

def _types(node: dict) -> set:
    t = node.get("type")
    return set(t) if isinstance(t, list) else {t}


def _string_paths(node: dict, path: tuple = ()) -> list[tuple]:
    """Paths of every string-valued leaf of a JSON Schema node (ITEM steps into arrays)."""
    types = _types(node)
    if "object" in types:
        return [p for k, sub in node["properties"].items() for p in _string_paths(sub, path + (k,))]
    if "array" in types:
        return _string_paths(node["items"], path + (ITEM,))
    return [path] if "string" in types else []


def unclassified_fields() -> list[str]:
    """String fields of the contract that the standoff neither removes nor keeps on purpose."""
    known = set(HASHED) | set(SPANS) | set(KEPT)
    return [dotted(p) for p in _string_paths(schema.json_schema()) if p not in known]


def _hash_node(name: str, field: str) -> dict:
    return {"type": "string", "pattern": "^[0-9a-f]{64}$",
            "description": f"sha256 (hex) of the UTF-8 bytes of the article's `{field}`, which this text-free "
                           f"release leaves out; rehydration rebuilds `{field}` from the raw file and checks it."}


def _without(node: dict, path: tuple, hashed: dict, removed: set) -> dict:
    """A copy of an object node with hashed fields replaced and removed fields dropped, recursively."""
    node = copy.deepcopy(node)
    if "array" in _types(node):
        node["items"] = _without(node["items"], path + (ITEM,), hashed, removed)
        return node
    if "object" not in _types(node):
        return node
    props, required = {}, []
    for name, sub in node["properties"].items():
        p = path + (name,)
        if p in removed:
            continue
        if p in hashed:
            props[hashed[p]] = _hash_node(hashed[p], name)
            if name in node.get("required", []):
                required.append(hashed[p])
            continue
        props[name] = _without(sub, p, hashed, removed)
        if name in node.get("required", []):
            required.append(name)
    node["properties"], node["required"] = props, required
    return node


@lru_cache(maxsize=1)
def standoff_json_schema() -> dict:
    """The article contract without publisher text (derived; see the module docstring)."""
    missing = unclassified_fields()
    if missing:
        raise StandoffError(f"contract field(s) {missing} are neither removed nor kept by the standoff release: "
                            "classify them in corpus/standoff.py (HASHED, SPANS or KEPT)")
    base = schema.json_schema()
    out = _without(base, (), HASHED, set(SPANS))
    out["$id"] = base["$id"].replace("article.schema.json", "article.standoff.schema.json")
    out["title"] = base["title"] + " (standoff: no publisher text)"
    out["description"] = (
        "Derived by corpus.standoff from the article contract: text and title are replaced by their sha256, "
        "the strings that are slices of the text (entities[].text, quotes[].text, quotes[].speaker, quotes[].cue) "
        "are removed and their offsets kept. `corpus rehydrate` rebuilds the full row from the raw files. "
        + base["description"])
    out["x-standoff-version"] = STANDOFF_VERSION
    return out


@lru_cache(maxsize=1)
def standoff_mention_json_schema() -> dict:
    """The flat ``mentions`` config without the mention strings (the entity item's removed fields)."""
    removed = {(p[2],) for p in SPANS if p[:2] == ("entities", ITEM)}
    return _without(schema.mention_json_schema(), (), {}, removed)


@lru_cache(maxsize=1)
def standoff_arrow_schema() -> pa.Schema:
    return schema.to_arrow(standoff_json_schema())


@lru_cache(maxsize=1)
def standoff_mention_arrow_schema() -> pa.Schema:
    return schema.to_arrow(standoff_mention_json_schema())


# --- rows ------------------------------------------------------------------------------------

def sha256_text(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def _project(value, node: dict):
    """``value`` reduced to the properties of ``node`` (in the node's order)."""
    if value is None:
        return None
    types = _types(node)
    if "object" in types:
        return {k: _project(value[k], sub) for k, sub in node["properties"].items() if k in value}
    if "array" in types:
        return [_project(v, node["items"]) for v in value]
    return value


def _title_block(row: dict) -> dict:
    return next(b for b in row["blocks"] if b["type"] == "title")


def _items(row: dict, path: tuple):
    """(item, where) for each item of the array at path[0] (paths in SPANS are field[].name)."""
    return [(item, f"{path[0]}[{i}]") for i, item in enumerate(row[path[0]])]


def to_standoff(row: dict) -> dict:
    """The row without publisher text. Raises StandoffError when a removed string could not be rebuilt."""
    text = row["text"]
    problems = []
    b = _title_block(row)
    if text[b["start"]:b["end"]] != row["title"]:
        problems.append("title is not the text of the title block")
    for path, (s_name, e_name) in SPANS.items():
        for item, where in _items(row, path):
            s, e, value = item[s_name], item[e_name], item[path[2]]
            expected = None if s is None or e is None else text[s:e]
            if value != expected:
                problems.append(f"{where}.{path[2]} {value!r} is not text[{s}:{e}]")
    if problems:
        raise StandoffError(f"article {row['id']}: {'; '.join(problems)}; such a row cannot be rebuilt from offsets, "
                            "so it cannot be released without its text")
    out = _project(row, standoff_json_schema())
    for path, name in HASHED.items():
        out[name] = sha256_text(row[path[0]])
    return {k: out[k] for k in standoff_json_schema()["properties"]}


def rehydrate(standoff_row: dict, raw_dir: str | Path) -> dict:
    """The full article row, rebuilt from the user's copy of its raw file; raises RehydrationError."""
    aid = standoff_row["id"]
    prov = standoff_row["provenance"]
    rel = prov["source_path"]
    file = rel.partition("#")[0]

    def fail(reason):
        return RehydrationError(aid, file, reason)

    if not (Path(raw_dir) / file).is_file():
        raise fail(f"the raw file is missing from {raw_dir}")
    try:
        src = source_of(raw_dir, rel, prov["source_format"])
    except (ArticleError, ValueError, IndexError, KeyError, OSError) as e:
        raise fail(f"the raw file cannot be read again as {prov['source_format']}: {e}") from None
    if src is None:
        raise fail("the raw file is a symbolic link or lies outside the raw folder")
    if src.file_sha256 != prov["source_sha256"]:
        raise fail(f"the raw file has different bytes (sha256 {src.file_sha256}, the release expects "
                   f"{prov['source_sha256']}): another copy or version of the page")
    if src.id != aid:
        raise fail(f"{rel} holds article {src.id}, not {aid}")
    pieces, pos = [], 0
    for i, b in enumerate(standoff_row["blocks"]):
        if (b["start"] != pos or b["end"] - b["start"] != b["source_end"] - b["source_start"]
                or not 0 <= b["source_start"] < b["source_end"] <= len(src.text)):
            raise fail(f"blocks[{i}] offsets do not fit the source (length {len(src.text)})")
        pieces.append(src.text[b["source_start"]:b["source_end"]])
        pos = b["end"] + len(SEPARATOR)
    text = SEPARATOR.join(pieces)
    if sha256_text(text) != standoff_row["text_sha256"]:
        ex = prov["extractor"]
        raise fail(f"the text rebuilt from the blocks' source offsets does not match text_sha256 (the release was "
                   f"extracted by {ex['name']} {ex['version']}, repairs {prov['repairs'] or 'none'}; another reader, "
                   "extractor or ftfy version gives other text)")
    b = _title_block(standoff_row)
    title = text[b["start"]:b["end"]]
    if sha256_text(title) != standoff_row["title_sha256"]:
        raise fail("the title block's text does not match title_sha256")
    full = {"text": text, "title": title}
    row = {}
    for name in schema.json_schema()["properties"]:
        if name in full:
            row[name] = full[name]
        else:
            row[name] = copy.deepcopy(standoff_row[name])
    for path, (s_name, e_name) in SPANS.items():
        for item, where in _items(row, path):
            s, e = item[s_name], item[e_name]
            if s is None or e is None:
                item[path[2]] = None
            elif not 0 <= s < e <= len(text):
                raise fail(f"{where}: span [{s}, {e}) is outside the text (length {len(text)})")
            else:
                item[path[2]] = text[s:e]
    for array in sorted({p[0] for p in SPANS}):  # the contract's key order, as the build wrote it
        order = list(schema.json_schema()["properties"][array]["items"]["properties"])
        row[array] = [{k: item[k] for k in order} for item in row[array]]
    return row


# --- folders ---------------------------------------------------------------------------------

MENTIONS = "mentions"


def configs(folder: str | Path) -> list[str]:
    """The configs of a dataset folder (sub-folders with Parquet): article configs first, then mentions."""
    folder = Path(folder)
    present = sorted(d.name for d in folder.iterdir() if d.is_dir() and any(d.glob("*.parquet"))) if folder.is_dir() else []
    known = [c for c in (*splits.CONFIGS, MENTIONS) if c in present]
    return known + [c for c in present if c not in known]


def _shards(folder: Path, config: str) -> list[Path]:
    return sorted((folder / config).glob("*.parquet"))


def split_of(path: Path) -> str:
    """The split a shard belongs to, from its name (``{split}-{i:05d}-of-{n:05d}.parquet``)."""
    return path.name.split("-")[0]


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    rank = {s: i for i, s in enumerate(splits.ORDER)}
    return {s: counts[s] for s in sorted(counts, key=lambda s: (rank.get(s, len(rank)), s))}


def _distinct_folders(source: Path, out: Path) -> None:
    if out.resolve() == source.resolve():
        raise ValueError(f"the output folder {out} is the input folder: publishing would replace what is being read")


def _source_report(dataset_dir: Path) -> dict:
    """What the standoff release carries of the build report: no rejection reasons or learned
    boilerplate lines, which may quote publisher text."""
    path = dataset_dir / BUILD_REPORT_NAME
    report = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {"versions": report.get("versions") or {"corpus pipeline": PIPELINE_VERSION, "dataset": DATASET_VERSION,
                                                   "data contract": schema.contract_version()},
            "dataset_version": report.get("dataset_version", DATASET_VERSION),
            "drop": report.get("drop", "none"),
            "rejected": [{"path": r["path"]} for r in report.get("rejected", [])]}


def _for_stats(row: dict) -> dict:
    """The row as the standoff card may count it: quote speakers only through their entity."""
    return {**row, "quotes": [{**q, "speaker": None} for q in row["quotes"]]}


def _fields_table(node: dict) -> str:
    rows = [f"| `{name}` | {sub.get('description', '')} |" for name, sub in node["properties"].items()]
    return "| field | meaning |\n|---|---|\n" + "\n".join(rows)


CARD_BODY = """# {pretty_name}

A **text-free (standoff) release**: every row of the full dataset with the
publisher's words left out. `text` and `title` are replaced by `text_sha256` and
`title_sha256`; entity mention `text`, quote `text`, `speaker` and `cue` are
removed, their offsets kept. Blocks keep their source offsets and provenance
names each raw file and its sha256, so whoever holds the raw files rebuilds the
full dataset, byte for byte:

```sh
corpus rehydrate path/to/this/folder --raw path/to/raw --out path/to/dataset
```

Written by `corpus standoff`; the rules are in `docs/standoff.md` of the package
repository. Configs, splits and shards are those of the full dataset, file for file.

{version}

## Configs and splits

{configs}

## Fields

{fields}

Offsets are Python string indices (Unicode code points), end exclusive, into the
article's text, which is the blocks' source spans joined by two newlines.

## Statistics

{stats}

## Versions that made the full dataset

{versions}

## Rights

This folder holds no article text: offsets, hashes, annotations and metadata
(MIT). Rehydrated text remains the property of its publishers.
"""


def render_card(stats: card.Stats, sizes: dict[str, dict[str, int]], report: dict) -> str:
    """The standoff folder's card: the full card's YAML with the standoff features, and its own body."""
    front = card.front_matter(sizes, sorted(stats.languages) or ["fr"])
    for info in front["dataset_info"]:
        arrow = standoff_mention_arrow_schema() if info["config_name"] == MENTIONS else standoff_arrow_schema()
        info["features"] = schema.features(arrow)._to_yaml_list()
    front["pretty_name"] += " (standoff, text-free)"
    front["license"] = "mit"
    front.pop("license_name", None)
    front["license_details"] = ("No article text is included: offsets, hashes, annotations and metadata are MIT. "
                                "Rehydrated text remains the property of its publishers.")
    front["tags"] = front["tags"] + ["standoff"]
    sections = card.generated_sections(stats, report)
    body = CARD_BODY.format(pretty_name=front["pretty_name"], version=sections["version"], configs=sections["configs"],
                            fields=_fields_table(standoff_json_schema()), stats=sections["stats"],
                            versions=sections["versions"])
    yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=120)
    return f"---\n{yaml_text}---\n{body}"


def _sizes(folder: Path) -> dict[str, dict[str, int]]:
    out = {}
    for config in configs(folder):
        counts: dict[str, int] = {}
        for f in _shards(folder, config):
            counts[split_of(f)] = counts.get(split_of(f), 0) + pq.ParquetFile(f).metadata.num_rows
        out[config] = _ordered(counts)
    return out


def write_standoff(dataset_dir: str | Path, out_dir: str | Path) -> dict:
    """Write the standoff release of a published dataset folder into ``out_dir`` (published atomically).

    Every Parquet file of every config is mirrored: same name, same rows in the same
    order, standoff schema. The card, plots, ``croissant.json`` and
    ``standoff_report.json`` go with them. Returns the report.
    """
    from .croissant import write_croissant

    dataset_dir, out_dir = Path(dataset_dir), Path(out_dir)
    _distinct_folders(dataset_dir, out_dir)
    found = configs(dataset_dir)
    if "articles" not in found:
        raise FileNotFoundError(f"no Parquet files under {dataset_dir / 'articles'}")
    unknown = [c for c in found if c not in splits.CONFIGS and c != MENTIONS]
    if unknown:
        raise ValueError(f"{dataset_dir}: config(s) {unknown} are not article or mention configs; "
                         "corpus.standoff does not know how to make them text-free")
    stats = card.Stats()
    with publishing(out_dir) as tmp:
        for config in found:
            mentions = config == MENTIONS
            expected = schema.mention_arrow_schema() if mentions else schema.arrow_schema()
            target = standoff_mention_arrow_schema() if mentions else standoff_arrow_schema()
            for f in _shards(dataset_dir, config):
                if not pq.read_schema(f).remove_metadata().equals(expected):
                    raise ValueError(f"{f}: not a {config} shard of the current contract; validate the dataset first")
                rows = pq.read_table(f).to_pylist()
                if config == "articles":
                    for r in rows:
                        stats.add(_for_stats(r))
                out = [_project(r, standoff_mention_json_schema()) if mentions else to_standoff(r) for r in rows]
                write_table(out, target, tmp / config / f.name)
        sizes = _sizes(tmp)
        source = _source_report(dataset_dir)
        card_report = {**source, "splits": sizes, "plots": plots.render(stats, tmp)}
        (tmp / "README.md").write_text(render_card(stats, sizes, card_report), encoding="utf-8")
        report = {"standoff_version": STANDOFF_VERSION, "splits": sizes,
                  "files": {c: [f.name for f in _shards(tmp, c)] for c in found},
                  "hashed": {dotted(p): h for p, h in HASHED.items()}, "removed": [dotted(p) for p in SPANS],
                  "source": source}
        write_json(tmp / REPORT, report)
        write_croissant(tmp)
    return report


def _assignment(standoff_dir: Path, article_configs: list[str]) -> dict[str, dict[str, str]]:
    """{config: {article id: split}} as the standoff folder's shards hold them."""
    out: dict[str, dict[str, str]] = {}
    for config in article_configs:
        for f in _shards(standoff_dir, config):
            out.setdefault(config, {}).update(dict.fromkeys(pq.read_table(f, columns=["id"]).column("id").to_pylist(),
                                                            split_of(f)))
    return out


def rehydrate_dataset(standoff_dir: str | Path, raw_dir: str | Path, out_dir: str | Path) -> dict:
    """Rebuild a full dataset folder from a standoff folder and the raw files.

    Each article is rebuilt once and written, like a build writes it, into the split it
    has in every config; the mentions table follows. Articles whose raw file is missing or
    different are reported (``failed``, also in ``rehydrate_report.json`` and the log)
    and left out. Raises RuntimeError when none can be rebuilt (nothing is written).
    """
    from .croissant import write_croissant

    standoff_dir, out_dir = Path(standoff_dir), Path(out_dir)
    _distinct_folders(standoff_dir, out_dir)
    found = configs(standoff_dir)
    if "articles" not in found:
        raise FileNotFoundError(f"no Parquet files under {standoff_dir / 'articles'}")
    article_configs = [c for c in found if c != MENTIONS]
    assignment = _assignment(standoff_dir, article_configs)
    mention_split = MENTION_SPLIT
    report_path = standoff_dir / REPORT
    source = json.loads(report_path.read_text(encoding="utf-8"))["source"] if report_path.exists() else \
        _source_report(standoff_dir)
    failed: list[RehydrationError] = []
    sizes: dict[str, dict[str, int]] = {c: {} for c in article_configs}
    with publishing(out_dir) as tmp:
        spill = Spill(tmp / "_spill")
        for f in _shards(standoff_dir, "articles"):
            if not pq.read_schema(f).remove_metadata().equals(standoff_arrow_schema()):
                raise ValueError(f"{f}: not a standoff shard of the current contract")
            for so_row in pq.read_table(f).to_pylist():
                try:
                    row = rehydrate(so_row, raw_dir)
                except RehydrationError as e:
                    log.error("cannot rehydrate %s", e)
                    failed.append(e)
                    continue
                for config in article_configs:
                    split = assignment[config].get(row["id"])
                    if split is None:
                        raise ValueError(f"{standoff_dir}: article {row['id']} is in `articles` but not in `{config}`")
                    sizes[config][split] = sizes[config].get(split, 0) + 1
                spill.add(row)
        spill.close()
        if not spill.count:
            raise RuntimeError(f"no article could be rehydrated from {raw_dir}; nothing was written. "
                               f"First failures: {[str(e) for e in failed[:5]]}")
        sizes = {c: _ordered(s) for c, s in sizes.items()}
        stats = card.Stats()
        files, nbytes = write_configs(tmp, spilled_rows([spill.folder]), {c: assignment[c] for c in article_configs},
                                      sizes, spill.mentions, on_row=stats.add)
        if spill.mentions:
            sizes[MENTIONS] = {mention_split: spill.mentions}
        Spill.remove_folder(spill.folder)
        card_report = {**source, "splits": sizes, "split_bytes": nbytes, "plots": plots.render(stats, tmp)}
        card.write(tmp, stats, sizes, card_report, None)
        report = {"articles": spill.count, "mentions": spill.mentions, "splits": sizes, "files": files,
                  "failed": [{"id": e.article_id, "path": e.path, "reason": e.reason}
                             for e in sorted(failed, key=lambda e: e.article_id)]}
        write_json(tmp / REHYDRATE_REPORT, report)
        write_croissant(tmp)
    return report


# --- command line (registered on corpus.cli.main) ----------------------------------------------

@click.command("standoff")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder for the text-free release; replaced atomically.")
def standoff_command(dataset: str, out: str) -> None:
    """Write a text-free (standoff) release of DATASET: offsets, hashes and annotations, no publisher text."""
    try:
        report = write_standoff(dataset, out)
    except (StandoffError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    n = sum(report["splits"]["articles"].values())
    m = sum(report["splits"].get(MENTIONS, {}).values())
    click.echo(f"wrote a text-free release of {n} articles ({m} mentions) into {out}")


@click.command("rehydrate")
@click.argument("standoff", type=click.Path(exists=True, file_okay=False))
@click.option("--raw", required=True, type=click.Path(exists=True, file_okay=False),
              help="Your own copy of the raw folder the release was built from.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Dataset folder to write; replaced atomically.")
def rehydrate_command(standoff: str, raw: str, out: str) -> None:
    """Rebuild the full dataset from a STANDOFF release and the raw files; exit 1 if any article fails."""
    try:
        report = rehydrate_dataset(standoff, raw, out)
    except (RuntimeError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    for f in report["failed"]:
        click.echo(f"cannot rehydrate article {f['id']} ({f['path']}): {f['reason']}", err=True)
    click.echo(f"rehydrated {report['articles']} articles into {out}"
               + (f"; {len(report['failed'])} failed" if report["failed"] else ""))
    if report["failed"]:
        raise SystemExit(1)
