#!/usr/bin/env python3
"""Quote gold on real press articles, kept in the repository without a word of their text.

The articles (the public gilets-jaunes JSONL, feryah/gilets_jaunes) are their
publishers' work, so ``data/gold-realpress/<set>/gold.jsonl`` holds only what is
ours: the article's line number in that file, the sha256 of the raw text dump
made from it, and each quote as offsets (quote, speaker, cue), its kind and the
speaker's canonical name. Given the JSONL, ``rehydrate`` writes the raw dumps, their
manifest and gold files in the shared format (texts taken from the rebuilt raw
file, every sha256 checked), ready for ``corpus build`` and the shared scorer:

    python scripts/realpress_gold.py rehydrate --corpus articles_fr.jsonl --set heldout --out build/realpress-heldout
    corpus build --raw build/realpress-heldout --out build/realpress-heldout-dataset --no-cache
    python ../shared/tools/score.py --dataset build/realpress-heldout-dataset --gold build/realpress-heldout

``export`` goes the other way, from a folder of raw dumps + gold files named
``gj<line>.txt`` / ``gj<line>.gold.json`` (how the sets were annotated). Standard
library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "data" / "gold-realpress"
OFFSETS = "Python str indices (Unicode code points) into the raw file decoded as UTF-8; end exclusive"


def raw_text(record: dict) -> str:
    """The text dump of one JSONL record, as the sets were annotated: the title line (unless the
    text starts with it), a blank line, then the text with a blank line between its lines."""
    title, text = record.get("title") or "", record["text"]
    head = "" if title and text.startswith(title[:30]) else (title or "Sans titre") + "\n\n"
    return head + text.replace("\n", "\n\n")


def _span(raw: str, span: dict | None, text: bool = True) -> dict | None:
    if span is None:
        return None
    out = {"start": span["start"], "end": span["end"]}
    if text:
        out["text"] = raw[span["start"]:span["end"]]
    return out


def export(src: Path, name: str) -> Path:
    out = SETS / name / "gold.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for gold_path in sorted(src.glob("gj*.gold.json"), key=lambda p: int(p.name[2:].split(".")[0])):
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = (src / g["raw_file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == g["raw_sha256"], gold_path
        quotes = []
        for q in g["quotes"]:
            sp = q["speaker"]
            quotes.append({"start": q["start"], "end": q["end"], "kind": q["kind"],
                           "speaker": None if sp is None else {"start": sp["start"], "end": sp["end"],
                                                              "refers_to": sp["refers_to"]},
                           "cue": None if q["cue"] is None else {"start": q["cue"]["start"], "end": q["cue"]["end"]}})
        meta = {k: g["metadata"].get(k) for k in ("url", "outlet", "domain", "language", "published")}
        lines.append(json.dumps({"line": int(gold_path.name[2:].split(".")[0]), "raw_sha256": g["raw_sha256"],
                                 "metadata": meta, "quotes": quotes}, ensure_ascii=False, sort_keys=True))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def rehydrate(corpus: Path, name: str, out: Path) -> int:
    records = corpus.read_text(encoding="utf-8").split("\n")  # not splitlines(): texts hold U+2028
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    entries = [json.loads(x) for x in (SETS / name / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x]
    for e in entries:
        raw = raw_text(json.loads(records[e["line"]]))
        data = raw.encode("utf-8")
        if hashlib.sha256(data).hexdigest() != e["raw_sha256"]:
            raise SystemExit(f"line {e['line']} of {corpus} does not give the annotated text (sha256 differs): "
                             "not the same file?")
        stem = f"gj{e['line']}"
        (out / f"{stem}.txt").write_bytes(data)
        quotes = []
        for q in e["quotes"]:
            speaker = _span(raw, q["speaker"])
            if speaker is not None:
                speaker["refers_to"] = q["speaker"]["refers_to"]
            quotes.append({**_span(raw, q), "kind": q["kind"], "speaker": speaker, "cue": _span(raw, q["cue"])})
        gold = {"raw_file": f"{stem}.txt", "raw_sha256": e["raw_sha256"], "offsets": OFFSETS, "metadata": e["metadata"],
                "annotated": ["quotes"],  # corpus evaluate scores only these; the shared scorer ignores the key
                "blocks": [], "boilerplate": [], "entities": [], "quotes": quotes,
                "topics": {"required": [], "acceptable": []}}
        (out / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        m = e["metadata"]
        manifest.append({"path": f"{stem}.txt", "language": "fr", "collection": f"realpress-{name}",
                         "outlet": m["outlet"], "url": m["url"], "published": m["published"]})
    (out / "manifest.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in manifest),
                                        encoding="utf-8")
    return len(entries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="raw dumps + gold files -> data/gold-realpress/SET/gold.jsonl")
    ex.add_argument("--src", type=Path, required=True)
    ex.add_argument("--set", required=True)
    re_ = sub.add_parser("rehydrate", help="data/gold-realpress/SET + the corpus JSONL -> raw dumps and gold files")
    re_.add_argument("--corpus", type=Path, required=True, help="articles_fr.jsonl of feryah/gilets_jaunes")
    re_.add_argument("--set", required=True)
    re_.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.command == "export":
        print(f"wrote {export(a.src, a.set)}")
    else:
        print(f"wrote {rehydrate(a.corpus, a.set, a.out)} articles into {a.out}")


if __name__ == "__main__":
    main()
