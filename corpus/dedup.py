"""Exact and near-duplicate articles, kept and marked rather than deleted.

Each article's *body* (lead and paragraphs: titles, captions and credits differ
between outlets that syndicate the same wire copy) is normalised and hashed for
exact duplicates, and MinHashed over word 5-grams for near-duplicates (datasketch
LSH). ``duplicate_of`` points an exact copy to its canonical article (the earliest
published, then the smallest id); ``near_duplicate_cluster`` names every member of
a near-duplicate cluster by its canonical article's id. Singletons get nulls.
What to drop is the user's choice (``corpus build --drop``, or a filter).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme, named so stored signatures stay comparable
THRESHOLD = 0.7      # Jaccard of 5-gram sets: syndicated copies with light edits stay above it
SHINGLE = 5
BODY_TYPES = {"lead", "paragraph"}
_WORD = re.compile(r"\w+")


def body(row: dict) -> str:
    text = row["text"]
    parts = [text[b["start"]:b["end"]] for b in row["blocks"] if b["type"] in BODY_TYPES]
    return "\n".join(parts) or text


def fingerprint(row: dict) -> tuple[str, bytes]:
    """(hash of the normalised body, MinHash signature as bytes)."""
    words = _WORD.findall(body(row).casefold())
    exact = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    grams = {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch(sorted(grams))
    return exact, m.hashvalues.astype(np.uint64).tobytes()


class Fingerprint:
    """A pipeline step: leaves (exact hash, signature) in ``document.cache["fingerprint"]``."""
    name = "fingerprint"

    def __call__(self, docs):
        for d in docs:
            d.cache["fingerprint"] = fingerprint(d.row)
        return docs


@dataclass
class _Item:
    id: str
    published: str  # ISO date or "~" (sorts after any date) when unknown
    exact: str


class Deduplicator:
    """Collects fingerprints during a build; ``resolve()`` gives each article its two fields."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.items: dict[str, _Item] = {}
        self.signatures: dict[str, bytes] = {}

    def add(self, article_id: str, published, fp: tuple[str, bytes]) -> None:
        exact, sig = fp
        self.items[article_id] = _Item(article_id, str(published) if published else "~", exact)
        self.signatures[article_id] = sig

    def resolve(self) -> dict[str, tuple[str | None, str | None]]:
        """{id: (duplicate_of, near_duplicate_cluster)} for the articles that have a copy."""
        ids = sorted(self.items)
        minhashes = {}
        for i in ids:  # insert in id order: LSH buckets then do not depend on arrival order
            m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME,
                        hashvalues=np.frombuffer(self.signatures[i], dtype=np.uint64))
            minhashes[i] = m
            self.lsh.insert(i, m)
        parent = {i: i for i in ids}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        by_exact: dict[str, list[str]] = {}
        for i in ids:
            by_exact.setdefault(self.items[i].exact, []).append(i)
            for j in self.lsh.query(minhashes[i]):
                if j != i and minhashes[i].jaccard(minhashes[j]) >= self.threshold:
                    union(i, j)
        for group in by_exact.values():
            for j in group[1:]:
                union(group[0], j)
        canonical = lambda members: min(members, key=lambda k: (self.items[k].published, k))  # noqa: E731
        clusters: dict[str, list[str]] = {}
        for i in ids:
            clusters.setdefault(find(i), []).append(i)
        out: dict[str, tuple[str | None, str | None]] = {}
        for members in clusters.values():
            if len(members) < 2:
                continue
            cluster = canonical(members)
            for k in members:
                twins = by_exact[self.items[k].exact]
                first = canonical(twins)
                out[k] = (first if first != k else None, cluster)
        return out
