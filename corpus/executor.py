"""Executors run the pipeline's steps over sources; they own batching, error isolation and stats.

The steps know nothing of the executor. A batch that fails is retried one
document at a time, so one bad article is rejected with its reason and the
rest of the batch goes on.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .document import ArticleError, Document, Source
from .readers import Rejected

log = logging.getLogger("corpus")


@dataclass
class BuildResult:
    rows: list[dict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _reason(exc: Exception) -> str:
    # ArticleError is a known problem with the input; anything else is a bug the
    # article triggered, reported with its type so that it can be found.
    return str(exc) if isinstance(exc, ArticleError) else f"internal error {type(exc).__name__}: {exc}"


class LocalExecutor:
    def __init__(self, steps: list, batch_size: int = 32):
        self.steps = steps
        self.batch_size = batch_size

    def _run_steps(self, docs: list[Document]) -> list[Document]:
        for step in self.steps:
            docs = step(docs)
        return docs

    def run(self, sources: Iterable[Source | Rejected]) -> BuildResult:
        result = BuildResult()
        seen: dict[str, str] = {}

        def accepted(items):
            for item in items:
                if isinstance(item, Rejected):
                    result.rejected.append(item)
                    log.warning("rejected %s: %s", item.path, item.reason)
                    continue
                result.stats["sources"] += 1
                if item.id in seen:  # same bytes twice: one article, kept once
                    result.rejected.append(Rejected(item.path, f"duplicate of {seen[item.id]} (same bytes, same id {item.id})"))
                    continue
                seen[item.id] = item.path
                yield item

        for batch in _batches(accepted(sources), self.batch_size):
            docs = [Document(s) for s in batch]
            try:
                done = self._run_steps(docs)
            except Exception:  # isolate the bad document(s)
                done = []
                for doc in docs:
                    try:
                        done.extend(self._run_steps([Document(doc.source)]))
                    except Exception as exc:  # noqa: BLE001 - reported, never silent
                        result.rejected.append(Rejected(doc.source.path, _reason(exc)))
                        log.warning("rejected %s: %s", doc.source.path, _reason(exc))
            result.rows.extend(d.row for d in done)
        result.stats["articles"] = len(result.rows)
        result.stats["rejected"] = len(result.rejected)
        return result
