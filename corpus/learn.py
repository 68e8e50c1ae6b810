"""Boilerplate learned from the corpus: lines that one outlet repeats across many articles.

A first pass over a sample of the sources counts, per outlet, in how many
distinct articles each line occurs. A line seen in at least ``min_articles``
articles and in at least ``min_share`` of the outlet's sampled articles becomes a
rule (``learned/<outlet>/<hash>``) recorded with its counts in the build report
and applied after the shipped rules. Credit lines (``© AFP``) are content, not
boilerplate, long lines are syndicated text, and titles (first lines) are not
chrome: none of them is learned; nor is anything for articles of unknown outlets.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Iterable

from .document import Rejected, Source
from .metadata import resolve_outlet
from .segment import rules, split_lines

MAX_LINE = 300


@dataclass(frozen=True)
class LearnedRule:
    id: str
    outlet: str
    line: str
    articles: int
    sampled: int
    kind: str = "line"  # acts like a shipped line rule in corpus.segment

    def as_dict(self) -> dict:
        return {"id": self.id, "outlet": self.outlet, "line": self.line, "articles": self.articles, "sampled": self.sampled}


def normalise(line: str) -> str:
    return " ".join(line.split())


def learn(sources: Iterable[Source | Rejected], *, sample: int = 5000, min_articles: int = 5,
          min_share: float = 0.03) -> dict[str, dict[str, LearnedRule]]:
    """{outlet id: {normalised line: rule}} from the first ``sample`` sources."""
    counts: dict[str, Counter] = defaultdict(Counter)
    articles: Counter = Counter()
    seen_bodies: set[bytes] = set()
    credit = dict(rules().block_types).get("credit")
    for src in islice((s for s in sources if isinstance(s, Source)), sample):
        digest = hashlib.blake2b(src.text.encode("utf-8"), digest_size=16).digest()
        if digest in seen_bodies:  # a duplicate article would make each of its lines look repeated
            continue
        seen_bodies.add(digest)
        try:
            outlet = resolve_outlet(src)[0]["id"]
        except Exception:  # noqa: BLE001 - a bad article is reported by the build itself
            continue
        if outlet == "unknown":  # articles of unknown outlets share no chrome worth learning
            continue
        articles[outlet] += 1
        # the first line is the title: a repeated title is a duplicate article or a series, not chrome
        lines = {normalise(src.text[ln.start:ln.end]) for ln in split_lines(src.text)[1:]}
        counts[outlet].update(ln for ln in lines if len(ln) <= MAX_LINE and not (credit and credit.fullmatch(ln)))
    learned: dict[str, dict[str, LearnedRule]] = {}
    for outlet, counter in sorted(counts.items()):
        n = articles[outlet]
        for line, k in sorted(counter.items()):
            if k >= min_articles and k >= min_share * n:
                rid = f"learned/{outlet}/{hashlib.sha256(line.encode()).hexdigest()[:8]}"
                learned.setdefault(outlet, {})[line] = LearnedRule(rid, outlet, line, k, n)
    return learned


def report(learned: dict[str, dict[str, LearnedRule]]) -> list[dict]:
    return [r.as_dict() for outlet in sorted(learned) for r in sorted(learned[outlet].values(), key=lambda r: r.id)]
