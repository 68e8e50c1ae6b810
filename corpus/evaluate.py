"""Scores of a built dataset against gold files (the ``*.gold.json`` format).

Gold offsets index the raw source; each row's annotations are mapped back to the
source through its blocks, then compared: text extraction by non-blank source
characters, entities by exact span and label (per label), linking on the gold
mentions that carry a QID, quotes one-to-one by overlap (strict at 80 %), their
attribution, and top-level topics.
"""
from __future__ import annotations

import glob
import json
import os
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from .validate import TOP_LEVEL

QUOTE_MARKS = "«»“”\"'‘’„ \u00a0\u202f\n\t"
STRICT_OVERLAP = 0.8
LOOSE_OVERLAP = 0.3


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def to_source(blocks: list[dict], s: int, e: int) -> tuple[int, int] | None:
    for b in blocks:
        if b["start"] <= s and e <= b["end"]:
            shift = b["source_start"] - b["start"]
            return s + shift, e + shift
    return None


def _strip(src: str, s: int, e: int) -> tuple[int, int]:
    while s < e and src[s] in QUOTE_MARKS:
        s += 1
    while e > s and src[e - 1] in QUOTE_MARKS:
        e -= 1
    return s, e


def _norm(t: str | None) -> str:
    return " ".join((t or "").lower().replace("’", "'").split())


def _nonblank(src: str, spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e) if not src[i].isspace()}


def _rows(dataset: Path) -> dict[str, dict]:
    rows = {}
    for f in sorted((dataset / "articles").glob("*.parquet")):
        for row in pq.read_table(f).to_pylist():
            rows[row["provenance"]["source_sha256"]] = row
    return rows


class Tally(Counter):
    def prf(self, key: str) -> dict:
        return prf(self[f"{key}_tp"], self[f"{key}_fp"], self[f"{key}_fn"])


TASKS = ("extraction", "entities", "quotes", "topics")


def _score_article(g: dict, row: dict, src: str, t: Tally) -> None:
    # a gold file may annotate only some tasks (``"annotated": ["quotes"]``); the others are not scored
    tasks = set(g.get("annotated") or TASKS)
    blocks = row["blocks"]
    for task in tasks:
        t[f"{task}_articles"] += 1
    if "extraction" in tasks:
        _score_extraction(g, row, src, t)
    if "entities" in tasks:
        _score_entities(g, row, t)
    if "quotes" in tasks:
        _score_quotes(g, row, src, t)
    if "topics" in tasks:
        required, acceptable = set(g["topics"]["required"]), set(g["topics"].get("acceptable", []))
        st = {x["code"] for x in row["topics"]} & TOP_LEVEL
        t["top_tp"] += len(st & required); t["top_fp"] += len(st - required - acceptable); t["top_fn"] += len(required - st)


def _score_extraction(g: dict, row: dict, src: str, t: Tally) -> None:
    blocks = row["blocks"]
    sys_c = _nonblank(src, [(b["source_start"], b["source_end"]) for b in blocks])
    gold_c = _nonblank(src, [(b["start"], b["end"]) for b in g["blocks"]])
    t["ext_tp"] += len(sys_c & gold_c); t["ext_fp"] += len(sys_c - gold_c); t["ext_fn"] += len(gold_c - sys_c)
    gold_title = next((b["text"] for b in g["blocks"] if b["type"] == "title"), None)
    t["title_ok"] += int(gold_title is not None and _norm(row["title"]) == _norm(gold_title))


def _score_entities(g: dict, row: dict, t: Tally) -> None:
    blocks = row["blocks"]
    gold_e = {(e["start"], e["end"], e["label"]): e for e in g["entities"] if not e.get("optional")}
    optional = {(e["start"], e["end"]) for e in g["entities"] if e.get("optional")}
    sys_e = {}
    for m in row["entities"]:
        span = to_source(blocks, m["start"], m["end"])
        if m["label"] == "MISC" or span is None or span in optional:
            continue
        sys_e[(*span, m["label"])] = m
    for label in ("PER", "ORG", "LOC"):
        gk = {k for k in gold_e if k[2] == label}
        sk = {k for k in sys_e if k[2] == label}
        t[f"ent_{label}_tp"] += len(gk & sk); t[f"ent_{label}_fp"] += len(sk - gk); t[f"ent_{label}_fn"] += len(gk - sk)
    tp = len(gold_e.keys() & sys_e.keys())
    t["ent_tp"] += tp; t["ent_fp"] += len(sys_e) - tp; t["ent_fn"] += len(gold_e) - tp
    for k, e in gold_e.items():
        if e.get("wikidata_id"):
            t["link_n"] += 1
            t["link_ok"] += int(k in sys_e and sys_e[k]["wikidata_id"] == e["wikidata_id"])


def _score_quotes(g: dict, row: dict, src: str, t: Tally) -> None:
    blocks = row["blocks"]
    gold_q = [(_strip(src, q["start"], q["end"]), q) for q in g["quotes"]]
    sys_q = []
    for q in row["quotes"]:
        span = to_source(blocks, q["start"], q["end"])
        if span is not None:
            sys_q.append((_strip(src, *span), q))
    used, strict = set(), 0
    for gspan, gq in gold_q:
        best, best_i = 0.0, None
        for i, (sspan, _) in enumerate(sys_q):
            ov = max(0, min(gspan[1], sspan[1]) - max(gspan[0], sspan[0]))
            if i in used or not ov:
                continue
            ratio = min(ov / max(1, gspan[1] - gspan[0]), ov / max(1, sspan[1] - sspan[0]))
            if ratio > best:
                best, best_i = ratio, i
        if best_i is None or best < LOOSE_OVERLAP:
            continue
        used.add(best_i)
        t["quote_loose"] += 1
        if best >= STRICT_OVERLAP:
            strict += 1
            t[f"quote_{gq['kind']}_tp"] += 1
        t["att_n"] += 1
        t["att_ok"] += int(_attribution_ok(gq.get("speaker"), sys_q[best_i][1], blocks))
    t["quote_tp"] += strict; t["quote_fp"] += len(sys_q) - strict; t["quote_fn"] += len(gold_q) - strict
    for _, gq in gold_q:
        t[f"quote_{gq['kind']}_n"] += 1


def _attribution_ok(gold_speaker: dict | None, q: dict, blocks) -> bool:
    if gold_speaker is None:
        return q["speaker"] is None
    if q["speaker_start"] is not None:
        sp = to_source(blocks, q["speaker_start"], q["speaker_end"])
        if sp and max(0, min(sp[1], gold_speaker["end"]) - max(sp[0], gold_speaker["start"])) > 0:
            return True
    names = {_norm(gold_speaker["text"]), _norm(gold_speaker.get("refers_to"))}
    return _norm(q["speaker"]) in names or _norm(q["speaker_entity"]) in names


def evaluate(dataset: str | os.PathLike, gold: str | os.PathLike, raw: list[str] | None = None) -> dict:
    """Scores over every gold file; raw files are looked up in ``raw`` folders, then beside the gold."""
    dataset, gold = Path(dataset), Path(gold)
    raw_dirs = [Path(r) for r in (raw or [])] + [gold]
    rows = _rows(dataset)
    t, missing = Tally(), []
    for gpath in sorted(glob.glob(str(gold / "*.gold.json"))):
        g = json.loads(Path(gpath).read_text(encoding="utf-8"))
        row = rows.get(g["raw_sha256"])
        raw_path = next((d / g["raw_file"] for d in raw_dirs if (d / g["raw_file"]).exists()), None)
        if row is None or raw_path is None:
            missing.append(os.path.basename(gpath))
            continue
        t["articles"] += 1
        _score_article(g, row, raw_path.read_bytes().decode("utf-8"), t)
    n = t["articles"]
    out = {"articles_scored": n, "gold_without_row": missing}
    if t["extraction_articles"]:
        out["extraction_chars"] = t.prf("ext")
        out["title_exact"] = round(t["title_ok"] / t["extraction_articles"], 4)
    if t["entities_articles"]:
        out["entities_strict"] = t.prf("ent")
        out["entities_by_label"] = {lab: t.prf(f"ent_{lab}") for lab in ("PER", "ORG", "LOC")}
        out["linking_accuracy"] = round(t["link_ok"] / t["link_n"], 4) if t["link_n"] else None
        out["linked_gold_mentions"] = t["link_n"]
    if t["quotes_articles"]:
        out["quotes_strict"] = t.prf("quote")
        out["quotes_recall_by_kind"] = {k: round(t[f"quote_{k}_tp"] / t[f"quote_{k}_n"], 4) if t[f"quote_{k}_n"] else None
                                        for k in ("direct", "partial", "indirect")}
        n_q = t["quote_tp"] + t["quote_fn"]
        out["quotes_loose_recall"] = round(t["quote_loose"] / n_q, 4) if n_q else None
        out["attribution_accuracy"] = round(t["att_ok"] / t["att_n"], 4) if t["att_n"] else None
    if t["topics_articles"]:
        out["topics_top_level"] = t.prf("top")
    return out
