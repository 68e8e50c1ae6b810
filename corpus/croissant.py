"""Croissant metadata (``croissant.json``) for a published dataset folder.

Croissant (MLCommons, JSON-LD over schema.org) describes a dataset so that tools
can find it, load it and judge it: its distribution (here one Parquet ``FileSet``
per config), its record sets (one per config, with one ``Field`` per column and
``subField``s for the nested structs and lists, all derived from the Arrow schema
of the files themselves) and, through the Responsible AI (RAI) vocabulary, how the
data was collected, cleaned and annotated, its biases and limitations, the
personal information it holds and what it is for.

The document is a pure function of the folder's Parquet files and of the package
version: no timestamp, keys sorted, so the same build gives the same bytes. It
describes a full dataset and a text-free standoff one (``corpus.standoff``) alike;
the standoff one says so and carries another licence.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import card, schema, splits
from .__about__ import DATASET_VERSION, PIPELINE_VERSION
from .standoff import MENTIONS, configs, split_of

FILENAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
MIT = "https://spdx.org/licenses/MIT.html"

# The JSON-LD context of Croissant 1.1 (what mlcroissant writes for 1.1) with the RAI prefix.
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

SPLITS = "splits"  # the record set naming the splits (cr:Split), as Hugging Face's Croissant does
MENTION_KEYS = ["article_id", "mention_id"]
REFERENCES = {MENTIONS: {"article_id": "articles/id"}}  # foreign keys between record sets
ARTICLE_RECORDS = ("One record per news article: clean text cut into typed blocks with their source offsets, "
                   "entity mentions, quotations, IPTC Media Topics and provenance")


# --- fields from the Arrow schema ------------------------------------------------------------

def _data_type(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "sc:Text"
    if pa.types.is_int64(t):
        return "cr:Int64"
    if pa.types.is_int32(t):
        return "cr:Int32"
    if pa.types.is_float64(t):
        return "cr:Float64"
    if pa.types.is_float32(t):
        return "cr:Float32"
    if pa.types.is_boolean(t):
        return "sc:Boolean"
    if pa.types.is_date(t):
        return "sc:Date"
    if pa.types.is_timestamp(t):
        return "sc:DateTime"
    raise ValueError(f"no Croissant data type for Arrow type {t}")


def _is_list(t: pa.DataType) -> bool:
    return pa.types.is_list(t) or pa.types.is_large_list(t)


def _describe(json_node: dict | None, path: list[str]) -> str | None:
    """The JSON Schema description of the property at ``path``, if the schema gives one."""
    node = json_node
    for name in path:
        if node is None:
            return None
        if node.get("type") == "array" or "array" in (node.get("type") or []):
            node = node.get("items")
        node = (node or {}).get("properties", {}).get(name)
    return (node or {}).get("description")


def _field(record_set: str, file_set: str, column: str, path: list[str], t: pa.DataType, json_node: dict | None) -> dict:
    """A Croissant Field for the Arrow value at ``path`` (``path[0]`` is the column).

    A struct's members are ``subField``s; a list is ``isArray``. Below the column, each
    step is a ``jsonPath`` transform, which mlcroissant applies to every element when the
    value so far is a list, so a list of structs inside a struct (``provenance.removed``)
    is reached by one transform per level.
    """
    out = {"@type": "cr:Field", "@id": "/".join([record_set, *path]), "name": path[-1]}
    description = _describe(json_node, path)
    if description:
        out["description"] = description
    source = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if len(path) > 1:
        source["transform"] = [{"jsonPath": step} for step in path[1:]]
    if _is_list(t):
        out["isArray"] = True
        out["arrayShape"] = "-1"
        t = t.value_type
        if _is_list(t):
            raise ValueError(f"lists of lists are not described ({'.'.join(path)})")
    if pa.types.is_struct(t):
        out["subField"] = [_field(record_set, file_set, column, [*path, t.field(i).name], t.field(i).type, json_node)
                           for i in range(t.num_fields)]
    else:
        out["dataType"] = _data_type(t)
        out["source"] = source
    return out


def _split_field(config: str, file_set: str, names: list[str]) -> dict:
    """The split of a record, from the name of its shard (``{split}-{i:05d}-of-{n:05d}.parquet``).

    The regex also accepts the bare split name: mlcroissant applies it again to the
    extracted value when it joins the field to the ``splits`` record set."""
    return {"@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
            "description": "The split the record belongs to, from its shard's file name.",
            "source": {"fileSet": {"@id": file_set}, "extract": {"fileProperty": "fullpath"},
                       "transform": {"regex": rf"^(?:.*/)?({'|'.join(names)})(?:-\d+-of-\d+\.parquet)?$"}},
            "references": {"field": {"@id": f"{SPLITS}/name"}}}


def record_set(config: str, arrow: pa.Schema, json_node: dict | None, sizes: dict[str, int]) -> dict:
    """One record set per config: a field per column (nested ones with subFields), and the split."""
    file_set = f"parquet-{config}"
    fields = [_split_field(config, file_set, list(sizes))]
    fields += [_field(config, file_set, f.name, [f.name], f.type, json_node) for f in arrow]
    for f in fields:
        target = REFERENCES.get(config, {}).get(f["name"])
        if target:
            f["references"] = {"field": {"@id": target}}
    what = card.DESCRIPTIONS.get(config, config)
    if config != MENTIONS:
        what = f"{ARTICLE_RECORDS}; {what}"
    counts = ", ".join(f"{split} {n}" for split, n in sizes.items())
    rs = {"@type": "cr:RecordSet", "@id": config, "name": config,
          "description": f"{what[0].upper()}{what[1:]}. Records per split: {counts}.", "field": fields}
    keys = [k for k in (MENTION_KEYS if config == MENTIONS else ["id"]) if k in arrow.names]
    if keys:
        rs["key"] = [{"@id": f"{config}/{k}"} for k in keys] if len(keys) > 1 else {"@id": f"{config}/{keys[0]}"}
    return rs


def splits_record_set(names: list[str]) -> dict:
    return {"@type": "cr:RecordSet", "@id": SPLITS, "name": SPLITS, "dataType": "cr:Split",
            "description": "The splits of the configs: train/validation/test (and `undated` for the by-date config; "
                           "`all` for the mentions table).",
            "key": {"@id": f"{SPLITS}/name"},
            "field": [{"@type": "cr:Field", "@id": f"{SPLITS}/name", "name": "name", "dataType": "sc:Text"}],
            "data": [{f"{SPLITS}/name": n} for n in names]}


# --- facts read from the data ----------------------------------------------------------------

def _files(folder: Path, config: str) -> list[Path]:
    return sorted((folder / config).glob("*.parquet"))


def _sizes(files: list[Path]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in files:
        out[split_of(f)] = out.get(split_of(f), 0) + pq.ParquetFile(f).metadata.num_rows
    rank = {s: i for i, s in enumerate(splits.ORDER)}
    return {s: out[s] for s in sorted(out, key=lambda s: (rank.get(s, len(rank)), s))}


def _distinct(values) -> list:
    return sorted({v for v in values if v is not None})


def _facts(files: list[Path]) -> dict:
    """Figures of the articles that the RAI fields state (one shard in memory at a time)."""
    cols = ["outlet", "language", "published", "provenance", "entities", "quotes", "topics"]
    per_outlet: dict[str, int] = {}
    kinds: dict[str, str] = {}
    found: dict[str, set] = {k: set() for k in ("languages", "formats", "collections", "licenses", "pipeline_versions",
                                                  "dataset_versions", "published")}
    annotators, tags = set(), set()
    articles = undated = 0
    for f in files:
        table = pq.read_table(f, columns=cols)
        articles += table.num_rows
        outlet = table.column("outlet").combine_chunks()
        for n, o in zip(outlet.field("name").to_pylist(), outlet.field("ownership").to_pylist()):
            per_outlet[n] = per_outlet.get(n, 0) + 1
            kinds[n] = o
        dates = table.column("published")
        undated += dates.null_count
        found["published"].update(d for d in (pc.min(dates).as_py(), pc.max(dates).as_py()) if d is not None)
        found["languages"].update(table.column("language").to_pylist())
        prov = table.column("provenance").combine_chunks()
        for key, name in (("formats", "source_format"), ("collections", "collection"), ("licenses", "license"),
                          ("pipeline_versions", "pipeline_version"), ("dataset_versions", "dataset_version")):
            found[key].update(prov.field(name).to_pylist())
        for items in prov.field("annotators").to_pylist():
            for a in items or []:
                if a.get("status", "ran") == "ran":
                    annotators.add((a["task"], a["name"], a["version"], a["model"]))
        for task in ("entities", "quotes", "topics"):
            items = pc.list_flatten(table.column(task).combine_chunks())
            tags.update((task, t) for t in pc.unique(items.field("annotator")).to_pylist() if t is not None)
    declared = {f"{name}@{version}" for _, name, version, _ in annotators}
    for task, tag in tags:  # what made an annotation, when no provenance entry says so
        if tag not in declared:
            name, _, version = tag.rpartition("@")
            annotators.add((task, name or tag, version if name else "", None))
    out = {k: sorted(v - {None}) for k, v in found.items()}
    out["published"] = [out["published"][0], out["published"][-1]] if out["published"] else []
    out.update(articles=articles, undated=undated,
               outlets=[(n, per_outlet[n], kinds[n]) for n in sorted(per_outlet)],
               annotators=sorted(annotators, key=lambda a: tuple(x or "" for x in a)))
    return out


def _semver(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in v.split("."))


# --- the document ----------------------------------------------------------------------------

def _rai(facts: dict, standoff: bool) -> dict:
    outlets = "; ".join(f"{n}: {c} ({k})" for n, c, k in facts["outlets"])
    tools = [f"{task}: {name}@{version}" + (f" (model {model})" if model else "")
             for task, name, version, model in facts["annotators"]]
    dates = (f"Articles published from {facts['published'][0].isoformat()} to {facts['published'][-1].isoformat()}; "
             if facts["published"] else "No article has a known publication date; ")
    rai = {
        "rai:dataCollection": (
            "Raw news articles gathered outside this package (scraped web pages saved as text dumps, JSONL exports, "
            "HTML pages or WARC archives) and kept, byte for byte, in the raw folder; metadata (URL, outlet, date, "
            "authors, licence, collection) comes from the raw folder's manifest.jsonl or <file>.meta.json sidecars. "
            f"Collections: {', '.join(facts['collections'])}. Source formats: {', '.join(facts['formats'])}. "
            "See DATASHEET.md, 'Collection process'."),
        "rai:dataCollectionType": ["Web Scraping", "Secondary Data Analysis"],
        "rai:dataCollectionRawData": (
            "The raw files of the raw folder; every row names its file (provenance.source_path) and that file's "
            "sha256 (provenance.source_sha256), and every block its source offsets, so each character of the clean "
            "text can be traced back to the raw bytes."),
        "rai:dataCollectionMissingData": (
            f"{dates}{facts['undated']} article(s) without a date: a date comes from metadata, the URL or a dateline "
            "(published_source says which) and is never invented; url is null and authors empty when unknown."),
        "rai:dataImputationProtocol": "None: no value is imputed; unknown dates, URLs and authors stay null or empty.",
        "rai:dataPreprocessingProtocol": [
            "Each raw file is decoded as strict UTF-8 (a file that is not is rejected with the byte offset; JSONL "
            "and HTML text may be repaired by ftfy, recorded in provenance.repairs); HTML and WARC pages go through "
            "trafilatura's main-text extraction.",
            "The decoded source is cut into lines; each line is kept as a typed block (title, lead, paragraph, "
            "caption, credit) or dropped as boilerplate by a rule of corpus/resources/segmentation.json or one learned "
            "from the corpus; every dropped span is listed in provenance.removed with the id of its rule, so kept and "
            "removed spans account for every non-blank character of the source.",
            "The clean text is the kept blocks joined by two newlines, in source order; no character is altered.",
            "The language is the detector's (lingua) when it is confident (>= 0.9), else the manifest's or the "
            "outlet's; language_confidence keeps the detector's confidence.",
        ],
        "rai:dataManipulationProtocol": (
            "Exact duplicates (same normalised body text) and near duplicates (MinHash LSH over word 5-grams, "
            "Jaccard >= 0.7) are marked in duplicate_of and near_duplicate_cluster; they are dropped only when the "
            "build is asked to (build --drop). Identical raw files are kept once. The same articles are split three "
            "ways: by a hash of the content id (articles), with whole outlets held out (articles_by_outlet) and by "
            "publication date (articles_by_date, undated articles apart); a near-duplicate cluster stays in one "
            "split, and an article keeps its split from one release to the next."),
        "rai:dataAnnotationProtocol": [
            "Entity mentions (PER, ORG, LOC, MISC), grouped per article and linked to Wikidata where an alias table "
            "entry matches; quotations (direct, partial, indirect) with speaker and cue spans; IPTC Media Topics. "
            "All are produced automatically by the annotators listed in provenance.annotators (name, version, model) "
            "with a confidence per annotation; an annotator that does not support an article's language is "
            "recorded as skipped there and leaves its fields empty; docs/ has one page per annotator.",
        ],
        "rai:dataAnnotationPlatform": ["The corpus package's own annotation pipeline (spaCy, rules and lexicons); no "
                                       "crowdsourcing platform."],
        "rai:dataAnnotationAnalysis": [
            "Automatic annotations are scored against hand-made gold annotations (data/gold) with `corpus evaluate`; "
            "the scores are reported in the dataset card and docs/. Error rates differ by label and outlet."],
        "rai:annotationsPerItem": "One automatic annotation pass per article; no item is annotated by people in this release.",
        "rai:annotatorDemographics": ["Not applicable: the annotations are made by software, not by people."],
        "rai:machineAnnotationTools": tools or ["none (no annotator filled this release)"],
        "rai:dataBiases": [
            f"Outlets and their ownership: {outlets}. The sample is not representative of French news; conclusions "
            "about 'French news' cannot be drawn from it, and state-affiliated framing is the outlet's own "
            "(outlet.ownership marks it).",
            "Named-entity and quote models trained on other text perform unevenly across outlets, genres and names; "
            "people who are quoted often are over-represented in any quote-based analysis.",
        ],
        "rai:dataLimitations": [
            "Annotations are automatic and have measurable error rates (see the card and docs/).",
            "Offsets are Python string indices (Unicode code points); JavaScript and Java count UTF-16 units.",
            "Dates are missing where no metadata, URL or dateline gives them.",
        ],
        "rai:dataUseCases": [
            "Research in NLP, computational social science and media studies: how outlets report events, who is "
            "quoted, entity-centred analyses; training and evaluating French NER, quote attribution, topic "
            "classification and boilerplate removal (the removed spans are labelled data for it).",
            "Not for: profiling private individuals; generating news in a publisher's name; republishing the "
            "articles in bulk outside research.",
        ],
        "rai:dataSocialImpact": (
            "Makes news coverage measurable with traceable provenance. Risks: redistributing publishers' text "
            "(a text-free standoff release exists for that case) and amplifying state-affiliated framing when the "
            "ownership field is ignored."),
        "rai:personalSensitiveInformation": [
            "Names of people as they appear in published news (mostly public figures), authors and photographers "
            "named in bylines and credits, and political opinions of public figures as reported by the press. No "
            "data were collected from individuals directly.",
        ],
        "rai:dataReleaseMaintenancePlan": (
            "Rebuilt from the raw folder with each release of the corpus package (`make dataset`); builds are "
            "deterministic, so two releases can be compared file for file; each row carries "
            "provenance.pipeline_version. Removal requests are honoured by deleting the raw file and rebuilding."),
    }
    if standoff:
        rai["rai:dataCollectionRawData"] += (
            " This is a standoff release: it holds no publisher text (text and title are replaced by their sha256, "
            "mention, quote, speaker and cue strings are removed); `corpus rehydrate` rebuilds the full rows from the "
            "user's own copies of the raw files and checks every hash.")
        rai["rai:personalSensitiveInformation"].append(
            "The standoff release keeps entity names (entity, speaker_entity), authors, URLs and outlet names.")
    return rai


def croissant(dataset_dir: str | Path) -> dict:
    """The Croissant JSON-LD document of a published (or standoff) dataset folder."""
    folder = Path(dataset_dir)
    files = {name: _files(folder, name) for name in configs(folder)}
    if "articles" not in files:
        raise FileNotFoundError(f"no Parquet files under {folder / 'articles'}")
    arrow = {name: pq.read_schema(fs[0]).remove_metadata() for name, fs in files.items()}
    sizes = {name: _sizes(fs) for name, fs in files.items()}
    rows = {name: sum(s.values()) for name, s in sizes.items()}
    standoff = "text_sha256" in arrow["articles"].names
    if standoff:
        from . import standoff as so
        article_node, mention_node = so.standoff_json_schema(), so.standoff_mention_json_schema()
    else:
        article_node, mention_node = schema.json_schema(), schema.mention_json_schema()
    facts = _facts(files["articles"])
    front = card.front_matter(sizes, facts["languages"] or ["fr"])
    name = front["pretty_name"] + (" (standoff, text-free)" if standoff else "")
    if standoff:
        license_ = [MIT]
        license_note = ("This standoff release holds offsets, hashes, annotations and metadata but no publisher text: "
                        "all of it is MIT. Rehydrated text remains the property of its publishers.")
    else:
        license_ = [{"@type": "sc:CreativeWork", "name": front["license_name"], "description": front["license_details"]},
                    MIT]
        license_note = front["license_details"]
    description = (
        f"{name}: {rows['articles']} news article(s) "
        + ("as standoff annotations (offsets and hashes, no text) " if standoff else "")
        + "with entity, quote, topic and provenance annotations, built by the corpus package "
        f"(pipeline {', '.join(facts['pipeline_versions']) or PIPELINE_VERSION}, data contract "
        f"{schema.contract_version()}). Every block of clean text maps back to its place in the raw file, and every "
        f"span dropped as boilerplate is listed with the rule that dropped it. Licence: {license_note} "
        f"Per-article rights as known: {'; '.join(facts['licenses']) or 'not given'}.")
    version = max(facts["dataset_versions"], key=_semver) if facts["dataset_versions"] else DATASET_VERSION
    rank = {s: i for i, s in enumerate(splits.ORDER)}
    all_splits = sorted({s for sz in sizes.values() for s in sz}, key=lambda s: (rank.get(s, len(rank)), s))
    doc = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": name,
        "description": description,
        "conformsTo": CONFORMS_TO,
        "version": version,
        "license": license_,
        "inLanguage": facts["languages"],
        "keywords": front["tags"] + front["task_categories"] + (["standoff"] if standoff else []),
        "creator": {"@type": "sc:Organization", "name": "The maintainers of the corpus package"},
        "citeAs": (
            "@misc{corpus_french_political_news,\n"
            f"  title = {{{name}}},\n"
            "  author = {{The maintainers of the corpus package}},\n"
            f"  version = {{{version}}},\n"
            f"  note = {{Built by the corpus package, pipeline {', '.join(facts['pipeline_versions']) or PIPELINE_VERSION}, "
            f"data contract {schema.contract_version()}}}\n"
            "}"),
        "isLiveDataset": False,
        "distribution": [
            {"@type": "cr:FileSet", "@id": f"parquet-{config}", "name": f"parquet-{config}",
             "description": f"Parquet shards of the `{config}` config, one set of shards per split.",
             "encodingFormat": PARQUET, "includes": f"{config}/*.parquet"}
            for config in files],
        "recordSet": [splits_record_set(all_splits)] + [
            record_set(config, arrow[config], mention_node if config == MENTIONS else article_node, sizes[config])
            for config in files],
        **_rai(facts, standoff),
    }
    return doc


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_croissant(dataset_dir: str | Path) -> Path:
    """Write ``croissant.json`` into the folder (deterministic bytes); returns its path."""
    path = Path(dataset_dir) / FILENAME
    path.write_text(dumps(croissant(dataset_dir)), encoding="utf-8")
    return path
