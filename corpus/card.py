"""The dataset card (``README.md`` of the published folder) that ``load_dataset`` reads.

Its YAML declares the configs and their features (derived from the schema), so
no loading script is needed. The body is a template whose generated sections sit
between ``<!-- generated:NAME -->`` markers; on a rebuild, text written by hand
outside the markers of an existing card is kept.
"""
from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from . import schema

_MARKER = re.compile(r"<!-- generated:([\w-]+) -->")
_SECTION = re.compile(r"<!-- generated:(?P<name>[\w-]+) -->\n.*?<!-- /generated:(?P=name) -->", re.S)

DESCRIPTIONS = {
    "articles": "one row per article; train/validation/test by a hash of the content id",
    "articles_by_outlet": "the same articles; whole outlets held out in validation and test",
    "articles_by_date": "the same articles; train on the past, test on the future; undated articles in `undated`",
    "mentions": "one row per entity mention of every article (split `full`), with `article_id` and `outlet_id`",
}


def front_matter(sizes: dict[str, dict[str, int]], languages: list[str], nbytes: dict | None = None) -> dict:
    """YAML header: configs with their split files and features. ``sizes``: {config: {split: rows}};
    ``nbytes``: {config: {split: Arrow bytes}}."""
    nbytes = nbytes or {}
    configs, infos = [], []
    for name, split_sizes in sizes.items():
        arrow = schema.mention_arrow_schema() if name == "mentions" else schema.arrow_schema()
        entry = {"config_name": name,
                 "data_files": [{"split": split, "path": f"{name}/{split}-*.parquet"} for split in split_sizes]}
        if name == "articles":
            entry["default"] = True
        configs.append(entry)
        infos.append({"config_name": name, "features": schema.features(arrow)._to_yaml_list(),
                      "splits": [{"name": split, "num_bytes": nbytes.get(name, {}).get(split, 0), "num_examples": n}
                                 for split, n in split_sizes.items()]})
    n_articles = sum(sizes.get("articles", {}).values())
    return {
        "license": "other",
        "license_name": "publishers-copyright",
        "license_details": "Article texts remain the property of their publishers; see DATASHEET.md. Annotations and code: MIT.",
        "language": languages,
        "multilinguality": "monolingual" if len(languages) == 1 else "multilingual",
        "pretty_name": "Annotated French political news",
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": [_size_category(n_articles)],
        "tags": ["news", "entities", "quotations", "iptc-media-topics", "provenance"],
        "configs": configs,
        "dataset_info": infos,
    }


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "1M<n<10M"


def _table(header: tuple[str, str], rows) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


class Stats:
    """Figures of the published articles, gathered row by row as they are written."""

    def __init__(self):
        self.articles = 0
        self.chars = 0
        self.outlets: Counter = Counter()
        self.languages: Counter = Counter()
        self.blocks: Counter = Counter()
        self.removed: Counter = Counter()
        self.labels: Counter = Counter()
        self.quote_kinds: Counter = Counter()
        self.topics: Counter = Counter()
        self.exact_duplicates = 0
        self.clusters: set = set()
        self.months: Counter = Counter()      # (outlet, YYYY-MM or "undated")
        self.entities: Counter = Counter()    # (entity, label): articles mentioning it
        self.speakers: Counter = Counter()    # speaker entity (or speaker text): quotes

    def add(self, row: dict) -> None:
        self.articles += 1
        self.chars += len(row["text"])
        self.outlets[row["outlet"]["name"]] += 1
        self.languages[row["language"]] += 1
        self.blocks.update(b["type"] for b in row["blocks"])
        self.removed.update(r["reason"] for r in row["provenance"]["removed"])
        self.labels.update(m["label"] for m in row["entities"])
        self.quote_kinds.update(q["kind"] for q in row["quotes"])
        self.topics.update(t["code"] for t in row["topics"])
        self.exact_duplicates += row["duplicate_of"] is not None
        if row["near_duplicate_cluster"]:
            self.clusters.add(row["near_duplicate_cluster"])
        month = row["published"].isoformat()[:7] if row["published"] else "undated"
        self.months[(row["outlet"]["name"], month)] += 1
        self.entities.update({(m["entity"], m["label"]) for m in row["entities"]})
        self.speakers.update(q["speaker_entity"] or q["speaker"] for q in row["quotes"] if q["speaker_entity"] or q["speaker"])

    def as_dict(self) -> dict:
        return {"articles": self.articles, "characters": self.chars, "per_outlet": dict(sorted(self.outlets.items())),
                "per_language": dict(sorted(self.languages.items())), "blocks": dict(sorted(self.blocks.items())),
                "removed_by_rule": dict(sorted(self.removed.items())), "mentions_by_label": dict(sorted(self.labels.items())),
                "quotes_by_kind": dict(sorted(self.quote_kinds.items())), "topics": dict(sorted(self.topics.items())),
                "exact_duplicates": self.exact_duplicates, "near_duplicate_clusters": len(self.clusters)}


def generated_sections(stats: Stats, report: dict) -> dict[str, str]:
    lines = [
        f"- articles: {stats.articles}; rejected inputs: {len(report['rejected'])}",
        f"- entity mentions: {sum(stats.labels.values())}; quotes: {sum(stats.quote_kinds.values())}; "
        f"topic labels: {sum(stats.topics.values())}",
        f"- characters of clean text: {stats.chars}",
        f"- exact duplicates: {stats.exact_duplicates}; near-duplicate clusters: {len(stats.clusters)}",
        "", "Articles per outlet:", "", _table(("outlet", "articles"), sorted(stats.outlets.items())),
        "", "Articles per language:", "", _table(("language", "articles"), sorted(stats.languages.items())),
        "", "Blocks by type:", "", _table(("block type", "blocks"), sorted(stats.blocks.items())),
        "", "Boilerplate spans removed, by rule:", "", _table(("rule", "spans"), sorted(stats.removed.items())),
    ]
    if stats.labels:
        lines += ["", "Entity mentions by label:", "", _table(("label", "mentions"), sorted(stats.labels.items()))]
    if stats.quote_kinds:
        lines += ["", "Quotes by kind:", "", _table(("kind", "quotes"), sorted(stats.quote_kinds.items()))]
    if stats.entities:
        top = sorted(stats.entities.items(), key=lambda x: (-x[1], x[0]))[:15]
        lines += ["", "Most mentioned entities (articles):", "", _table(("entity", "articles"), [(f"{e} ({lab})", n) for (e, lab), n in top])]
    if stats.speakers:
        top = sorted(stats.speakers.items(), key=lambda x: (-x[1], x[0]))[:15]
        lines += ["", "Most quoted speakers (quotes):", "", _table(("speaker", "quotes"), top)]
    lines += ["", *(f"![{alt}]({name})" for name, alt in report.get("plots", {}).items())]
    configs = ["| config | split | rows |", "|---|---|---:|"]
    configs += [f"| `{c}` | {s} | {n} |" for c, split_sizes in report["splits"].items() for s, n in split_sizes.items()]
    fields = [f"| `{name}` | {node.get('description', '')} |" for name, node in schema.json_schema()["properties"].items()]
    return {
        "configs": "\n".join([f"- `{c}`: {DESCRIPTIONS[c]}" for c in report["splits"]] + ["", *configs]),
        "version": f"Dataset version **{report['dataset_version']}** (see CHANGELOG.md in the package repository).",
        "stats": "\n".join(lines),
        "fields": "| field | meaning |\n|---|---|\n" + "\n".join(fields),
        "versions": "\n".join(f"- {k}: {v}" for k, v in sorted(report["versions"].items())),
    }


def render(stats: Stats, sizes: dict[str, dict[str, int]], report: dict, previous: str | None = None) -> str:
    """The card text; hand-written parts of ``previous`` (an existing card) survive."""
    template = resources.files("corpus.resources").joinpath("card_template.md").read_text(encoding="utf-8")
    body = previous.split("\n---\n", 1)[1] if previous and previous.startswith("---\n") else None
    # an old card missing a section the template now has is replaced by the template
    if body is None or not set(_MARKER.findall(template)) <= set(_MARKER.findall(body)):
        body = template
    sections = generated_sections(stats, report)

    def fill(m):
        name = m.group("name")
        return f"<!-- generated:{name} -->\n{sections[name]}\n<!-- /generated:{name} -->" if name in sections else m.group(0)

    languages = sorted(stats.languages) or ["fr"]
    yaml_text = yaml.safe_dump(front_matter(sizes, languages, report.get("split_bytes")), sort_keys=False,
                               allow_unicode=True, width=120)
    return f"---\n{yaml_text}---\n" + _SECTION.sub(fill, body.lstrip("\n"))


def write(folder: Path, stats: Stats, sizes: dict[str, dict[str, int]], report: dict, previous: str | None) -> None:
    (folder / "README.md").write_text(render(stats, sizes, report, previous), encoding="utf-8")
