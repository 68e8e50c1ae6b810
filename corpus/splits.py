"""Split assignment for the three article configs, from ``resources/splits.json``.

- ``articles`` (default): train/validation/test by a hash of the content id;
- ``articles_by_outlet``: whole outlets held out (a classifier must not learn the outlet);
- ``articles_by_date``: train on the past, test on the future; undated articles in ``undated``.

Near-duplicate clusters move as one: every member takes the split its cluster's
canonical article gets. An article that was in a previous release of the same
folder keeps its split there (and takes its cluster with it), so splits are stable
when articles are added.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq

CONFIGS = {"articles": "random", "articles_by_outlet": "by_outlet", "articles_by_date": "by_date"}
ORDER = ("train", "validation", "test", "undated")


@lru_cache(maxsize=1)
def settings() -> dict:
    return json.loads(resources.files("corpus.resources").joinpath("splits.json").read_text(encoding="utf-8"))


def by_hash(key: str, shares: dict[str, int]) -> str:
    bucket = int(hashlib.sha256(f"split:{key}".encode()).hexdigest()[:8], 16) % sum(shares.values())
    for split, share in shares.items():
        if bucket < share:
            return split
        bucket -= share
    raise AssertionError("unreachable")


def by_date(published: str | None) -> str:
    if not published:
        return "undated"
    cut = settings()["by_date"]
    if published >= cut["test_from"]:
        return "test"
    return "validation" if published >= cut["validation_from"] else "train"


def _own_split(kind: str, article_id: str, outlet: str, published: str | None) -> str:
    if kind == "random":
        return by_hash(article_id, settings()["random"])
    if kind == "by_outlet":
        return by_hash(outlet, settings()["by_outlet"])
    return by_date(published)


def previous_assignment(folder: Path) -> dict[str, dict[str, str]]:
    """{config: {id: split}} of the release currently in ``folder`` (empty if none)."""
    out: dict[str, dict[str, str]] = {}
    for config in CONFIGS:
        for f in sorted((Path(folder) / config).glob("*.parquet")):
            split = f.name.split("-")[0]
            try:
                ids = pq.read_table(f, columns=["id"]).column("id").to_pylist()
            except Exception:  # noqa: BLE001 - a damaged old release only loses its memory of splits
                continue
            out.setdefault(config, {}).update(dict.fromkeys(ids, split))
    return out


def assign(items: dict[str, tuple[str, str | None]], clusters: dict[str, str | None],
           previous: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """{config: {id: split}} for ``items`` = {id: (outlet id, published ISO date or None)};
    ``clusters`` = {id: canonical id of its near-duplicate cluster} for clustered articles."""
    previous = previous or {}
    members: dict[str, list[str]] = {}
    for i in sorted(items):
        members.setdefault(clusters.get(i) or i, []).append(i)
    result: dict[str, dict[str, str]] = {}
    for config, kind in CONFIGS.items():
        before = previous.get(config, {})
        assigned = {}
        for canonical, group in members.items():
            kept = [before[i] for i in group if i in before]  # group is sorted: the smallest id's old split wins
            if kept:
                split = kept[0]
            else:
                outlet, published = items[canonical]
                split = _own_split(kind, canonical, outlet, published)
            for i in group:
                assigned[i] = split
        result[config] = assigned
    return result
