#!/usr/bin/env python3
"""Benchmark the build against bare spaCy on the same texts, at N and 4N articles.

    python scripts/benchmark.py --input articles.jsonl [--limit 2000] [--workers 2]

For each size it takes the first articles of a JSONL file (one article a line,
`text` plus metadata; past the end of the file it starts again with copies marked
by a last line `[copie k]`, so that every article is new) and measures, each in a fresh process and in the same run:

- the full build (read, segment, parse, annotate, check, deduplicate, write), no cache;
- a second build of the same input with the row cache (what an unchanged rebuild costs);
- bare ``nlp.pipe`` over the same block texts, with the same spaCy components and
  the same number of processes (model loading counted in both).

Peak RSS is the largest sum of resident memory over the process and its children,
sampled every 50 ms. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = """
import sys, corpus
corpus.build(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), cache=sys.argv[4] == "cache", cache_path=sys.argv[5])
"""

SPACY_ONLY = """
import json, sys
from corpus.annotators import default_annotators
from corpus.nlp import MODELS, components_to_disable, load
texts = json.load(open(sys.argv[1], encoding="utf-8"))
needs = set().union(*(a.needs for a in default_annotators()))
nlp = load(MODELS["fr"])
n = 0
for doc in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2]), disable=components_to_disable(nlp, needs)):
    n += len(doc)
print(n)
"""


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a Python subprocess and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _rss_kb(proc.pid))
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"benchmark step failed: {args[0][:60]!r}")
    return time.perf_counter() - start, peak / 1024


def block_texts(raw_dir: Path) -> list[str]:
    from corpus.document import Document, Source
    from corpus.pipeline import Segment
    from corpus.readers import read_folder

    texts = []
    for src in read_folder(raw_dir):
        if isinstance(src, Source):
            try:
                doc = Segment()([Document(src)])[0]
            except Exception:  # noqa: BLE001 - rejected by the build as well
                continue
            texts.extend(t for _, t in doc.block_texts())
    return texts


def run(input_path: Path, n: int, workers: int, work: Path) -> dict:
    raw = work / f"raw-{n}"
    raw.mkdir()
    lines = [ln for ln in input_path.read_bytes().split(b"\n") if ln.strip()]
    with open(raw / "articles.jsonl", "wb") as dst:
        for i in range(n):
            line = lines[i % len(lines)]
            if i >= len(lines):  # past the end of the file: a marked copy, so that it is a new article
                record = json.loads(line)
                record["text"] = f"{record['text']}\n[copie {i // len(lines)}]"
                line = json.dumps(record, ensure_ascii=False).encode("utf-8")
            dst.write(line + b"\n")
    cache = work / f"cache-{n}.sqlite"
    build_s, build_rss = measure([BUILD, str(raw), str(work / f"out-{n}"), str(workers), "cache", str(cache)])
    rebuild_s, _ = measure([BUILD, str(raw), str(work / f"out-{n}"), str(workers), "cache", str(cache)])
    texts = work / f"texts-{n}.json"
    texts.write_text(json.dumps(block_texts(raw), ensure_ascii=False), encoding="utf-8")
    spacy_s, spacy_rss = measure([SPACY_ONLY, str(texts), str(workers)])
    report = json.loads((work / f"out-{n}" / "build_report.json").read_text(encoding="utf-8"))
    articles = report["articles"]
    return {
        "articles": articles,
        "articles_per_s": round(articles / build_s, 2),
        "spacy_only_articles_per_s": round(articles / spacy_s, 2),
        "ratio": round(spacy_s / build_s, 3),
        "peak_rss_mb": round(build_rss, 1),
        "spacy_only_peak_rss_mb": round(spacy_rss, 1),
        "rebuild_s": round(rebuild_s, 2),
        "build_s": round(build_s, 2),
        "rebuild_fraction": round(rebuild_s / build_s, 3),
        "rejected": len(report["rejected"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, type=Path, help="JSONL of articles (e.g. a corpus you may not redistribute)")
    ap.add_argument("--limit", type=int, default=2000, help="N; the second run uses 4N")
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--sizes", default="1,4", help="multiples of N to measure (default 1,4; 1 alone for a quick rerun)")
    a = ap.parse_args()
    sizes = [int(k) for k in a.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        for k in sizes:
            results[k] = {"n": k * a.limit, **run(a.input, k * a.limit, a.workers, Path(tmp))}
            print(json.dumps(results[k]), flush=True)
    first = results[sizes[0]]
    result = {**first, "workers": a.workers}
    if 1 in results and 4 in results:
        result = {**results[1], "workers": a.workers, "4n": results[4],
                  "rss_growth_4n": round(results[4]["peak_rss_mb"] / results[1]["peak_rss_mb"] - 1, 3)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
