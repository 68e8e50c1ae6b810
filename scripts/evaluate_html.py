#!/usr/bin/env python3
"""Score HTML extraction against pages with expected bodies (fundus test-data layout).

    python scripts/evaluate_html.py --pages DIR

DIR holds `<Outlet>_<date>.html.gz` pages and `<Outlet>.json` files whose entries
(`V1`, …) give the expected `title` and `body` (`summary` and `sections[].paragraphs`).
For each page, the corpus HTML reader's source text is compared with the expected
title + summary + paragraphs as bags of words: precision, recall and F1, then
micro-averaged. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from corpus.readers import html

WORD = re.compile(r"\w+")


def expected_text(entry: dict) -> str:
    body = entry.get("body", {})
    parts = [*body.get("summary", [])]
    for section in body.get("sections", []):
        parts += section.get("headline", []) + section.get("paragraphs", [])
    return "\n".join([entry.get("title") or "", *parts])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", required=True, type=Path)
    a = ap.parse_args()
    tp = fp = fn = 0
    for page in sorted(a.pages.glob("*.html.gz")):
        outlet = page.name.split("_")[0]
        expected_file = a.pages / f"{outlet}.json"
        if not expected_file.exists():
            continue
        entries = json.loads(expected_file.read_text(encoding="utf-8"))
        entry = next((v for v in entries.values() if isinstance(v, dict) and "body" in v), None)
        # Several pages share one expected file in some layouts: match on the title.
        raw = page.read_bytes()
        src = html.extract(gzip.decompress(raw), page.name, {}, hashlib.sha256(raw).hexdigest(), len(raw), raw)
        candidates = [v for v in entries.values() if isinstance(v, dict) and "body" in v]
        entry = max(candidates, key=lambda v: len(set(WORD.findall((v.get("title") or "").lower())) &
                                                  set(WORD.findall(src.text.lower()[:300]))), default=entry)
        got = Counter(WORD.findall(src.text.lower()))
        want = Counter(WORD.findall(expected_text(entry).lower()))
        t = sum((got & want).values())
        p, r = t / max(1, sum(got.values())), t / max(1, sum(want.values()))
        print(f"{page.name:40} precision {p:.3f} recall {r:.3f}")
        tp, fp, fn = tp + t, fp + sum(got.values()) - t, fn + sum(want.values()) - t
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(json.dumps({"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4)}))


if __name__ == "__main__":
    main()
