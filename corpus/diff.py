"""``corpus diff OLD NEW``: what changed between two builds of a dataset.

Articles added, removed and changed (same id, different row: the release and
pipeline version fields aside), articles that moved split (which should never
happen), and how the annotation counts moved: mentions by label, quotes by kind,
topics by code.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from .splits import CONFIGS

VOLATILE = ("dataset_version", "pipeline_version")


def _fingerprint(row: dict) -> str:
    row = dict(row, provenance={k: v for k, v in row["provenance"].items() if k not in VOLATILE})
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()


def _summary(folder: Path):
    rows, splits, counts = {}, {}, Counter()
    for f in sorted((folder / "articles").glob("*.parquet")):
        split = f.name.split("-")[0]
        for row in pq.read_table(f).to_pylist():
            rows[row["id"]] = _fingerprint(row)
            splits[("articles", row["id"])] = split
            counts.update(f"entities {m['label']}" for m in row["entities"])
            counts.update(f"quotes {q['kind']}" for q in row["quotes"])
            counts.update(f"topics {t['code']}" for t in row["topics"])
    for config in CONFIGS:
        if config == "articles":
            continue
        for f in sorted((folder / config).glob("*.parquet")):
            split = f.name.split("-")[0]
            for i in pq.read_table(f, columns=["id"]).column("id").to_pylist():
                splits[(config, i)] = split
    version = None
    report = folder / "build_report.json"
    if report.exists():
        version = json.loads(report.read_text(encoding="utf-8")).get("dataset_version")
    return rows, splits, counts, version


def diff(old: str | Path, new: str | Path) -> dict:
    old_rows, old_splits, old_counts, old_version = _summary(Path(old))
    new_rows, new_splits, new_counts, new_version = _summary(Path(new))
    common = old_rows.keys() & new_rows.keys()
    moved = sorted(f"{config}:{i} {old_splits[(config, i)]}→{new_splits[(config, i)]}"
                   for (config, i) in old_splits.keys() & new_splits.keys()
                   if old_splits[(config, i)] != new_splits[(config, i)])
    return {
        "versions": {"old": old_version, "new": new_version},
        "articles": {"old": len(old_rows), "new": len(new_rows)},
        "added": sorted(new_rows.keys() - old_rows.keys()),
        "removed": sorted(old_rows.keys() - new_rows.keys()),
        "changed": sorted(i for i in common if old_rows[i] != new_rows[i]),
        "moved_split": moved,
        "annotation_counts": {k: {"old": old_counts[k], "new": new_counts[k], "delta": new_counts[k] - old_counts[k]}
                              for k in sorted(old_counts.keys() | new_counts.keys()) if old_counts[k] != new_counts[k]},
    }


def render(d: dict) -> str:
    lines = [f"dataset {d['versions']['old']} → {d['versions']['new']}: "
             f"{d['articles']['old']} → {d['articles']['new']} articles",
             f"added {len(d['added'])}, removed {len(d['removed'])}, changed {len(d['changed'])}, "
             f"moved split {len(d['moved_split'])}"]
    for key in ("added", "removed", "changed", "moved_split"):
        lines += [f"  {key}: {x}" for x in d[key][:20]]
        if len(d[key]) > 20:
            lines.append(f"  {key}: … {len(d[key]) - 20} more")
    for k, v in d["annotation_counts"].items():
        lines.append(f"  {k}: {v['old']} → {v['new']} ({v['delta']:+d})")
    return "\n".join(lines)
