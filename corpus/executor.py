"""Executors run the pipeline over sources; they own batching, parallelism, caching,
error isolation and statistics. The per-article logic is ``process_batch``, a plain
function of (sources, steps) that knows nothing of the engine, so any engine
(these local executors, datatrove, Ray) can call it.
"""
from __future__ import annotations

import logging
import os
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Callable, Iterable, Iterator

from .document import ArticleError, Document, Source

log = logging.getLogger("corpus")


@dataclass
class BatchResult:
    done: list[tuple[Source, dict]] = field(default_factory=list)  # (source, {"row", "fingerprint"} or {"rejected"})
    seconds: Counter = field(default_factory=Counter)


def _reason(exc: Exception) -> str:
    # ArticleError is a known problem with the input; anything else is a bug the
    # article triggered, reported with its type so that it can be found.
    return str(exc) if isinstance(exc, ArticleError) else f"internal error {type(exc).__name__}: {exc}"


def _run_steps(docs: list[Document], steps, seconds: Counter) -> list[Document]:
    for step in steps:
        t = time.perf_counter()
        docs = step(docs)
        seconds[step.name] += time.perf_counter() - t
    return docs


def process_batch(sources: list[Source], steps) -> BatchResult:
    """Run every step over a batch; a failing batch is retried one article at a time,
    so one bad article is rejected with its reason and the others go on."""
    result = BatchResult()
    try:
        docs = _run_steps([Document(s) for s in sources], steps, result.seconds)
        result.done = [(d.source, {"row": d.row, "fingerprint": d.cache.get("fingerprint")}) for d in docs]
    except Exception:  # noqa: BLE001 - isolated below
        for s in sources:
            try:
                d = _run_steps([Document(s)], steps, result.seconds)[0]
                result.done.append((s, {"row": d.row, "fingerprint": d.cache.get("fingerprint")}))
            except Exception as exc:  # noqa: BLE001 - reported, never silent
                result.done.append((s, {"rejected": _reason(exc)}))
    return result


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# A worker process builds its steps once, from the first batch's factory (the spaCy
# model and the annotators' resources are loaded by then: see ``_init_worker``).
_WORKER_STEPS = None


def _init_worker(warm: Callable[[], object] | None) -> None:
    if warm is not None:
        warm()


def _started() -> bool:
    return True


def _work(make_steps: Callable[[], list], sources: list[Source]) -> BatchResult:
    global _WORKER_STEPS
    if _WORKER_STEPS is None:
        _WORKER_STEPS = make_steps()
    return process_batch(sources, _WORKER_STEPS)


class LocalExecutor:
    """Runs batches in this process (workers=1) or in a pool of worker processes.

    ``map`` takes the step factory, which must be picklable (a module-level function
    or a functools.partial of one); each worker calls it once, after ``warm`` (load
    the model, the lexicons…). ``start()`` starts the workers ahead of ``map``, so that
    they warm up while the caller prepares (the build learns the corpus's boilerplate
    meanwhile); otherwise they start with the first batch. At most ``2 * workers``
    batches are in flight, so memory stays bounded however large the corpus.
    Use it as a context manager: leaving it stops the workers.
    """

    def __init__(self, workers: int | None = None, batch_size: int = 32, warm: Callable[[], object] | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.batch_size = batch_size
        self.warm = warm
        self.pool = None

    def start(self) -> None:
        if self.workers > 1 and self.pool is None:
            # spawn, not fork: forking a process that holds threads (tqdm, sqlite, BLAS) can deadlock
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                            initializer=_init_worker, initargs=(self.warm,))
            for _ in range(self.workers):  # a spawned pool starts one process per task submitted
                self.pool.submit(_started)

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=cancel)
            self.pool = None

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)

    def map(self, make_steps: Callable[[], list], sources: Iterable[Source]) -> Iterator[BatchResult]:
        """Results in completion order (the writer sorts rows, so order does not matter)."""
        if self.workers == 1:
            steps = make_steps()
            for batch in batches(sources, self.batch_size):
                yield process_batch(batch, steps)
            return
        pending = set()
        for batch in batches(sources, self.batch_size):
            self.start()
            pending.add(self.pool.submit(_work, make_steps, batch))
            if len(pending) >= 2 * self.workers:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in finished)
        for f in pending:
            yield f.result()
