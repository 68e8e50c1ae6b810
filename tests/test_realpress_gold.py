"""The real-press quote gold ships offsets only, and rehydrates exactly from the corpus."""
import hashlib
import importlib.util
import json

from conftest import ROOT

spec = importlib.util.spec_from_file_location("realpress_gold", ROOT / "scripts" / "realpress_gold.py")
realpress = importlib.util.module_from_spec(spec)
spec.loader.exec_module(realpress)

ALLOWED = {"line", "raw_sha256", "metadata", "quotes"}
QUOTE_KEYS = {"start", "end", "kind", "speaker", "cue"}


def test_the_shipped_sets_hold_no_article_text():
    sets = sorted(p.parent.name for p in realpress.SETS.glob("*/gold.jsonl"))
    assert "heldout" in sets
    for name in sets:
        for line in (realpress.SETS / name / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            assert set(entry) == ALLOWED
            for q in entry["quotes"]:
                assert set(q) == QUOTE_KEYS and q["kind"] in {"direct", "partial", "indirect"}
                assert q["speaker"] is None or set(q["speaker"]) == {"start", "end", "refers_to"}
                assert q["cue"] is None or set(q["cue"]) == {"start", "end"}


def test_export_then_rehydrate_gives_back_the_same_files(tmp_path, monkeypatch):
    record = {"title": "Un titre", "text": "Le maire a déclaré : « Nous resterons. »\nIl a ajouté qu'il partirait."}
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"title": "autre", "text": "x"}) + "\n" + json.dumps(record, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    raw = realpress.raw_text(record)
    assert raw.startswith("Un titre\n\nLe maire") and "\n\nIl a ajouté" in raw
    s = raw.index("Nous")
    src = tmp_path / "src"
    src.mkdir()
    (src / "gj1.txt").write_bytes(raw.encode("utf-8"))
    gold = {"raw_file": "gj1.txt", "raw_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
            "metadata": {"url": None, "outlet": "X", "domain": None, "language": "fr", "published": None},
            "quotes": [{"start": s, "end": s + 14, "text": raw[s:s + 14], "kind": "direct",
                        "speaker": {"start": raw.index("Le maire"), "end": raw.index("Le maire") + 8,
                                    "text": "Le maire", "refers_to": "Le maire"},
                        "cue": {"start": raw.index("a déclaré"), "end": raw.index("a déclaré") + 9, "text": "a déclaré"}}]}
    (src / "gj1.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(realpress, "SETS", tmp_path / "sets")
    shipped = realpress.export(src, "t").read_text(encoding="utf-8")
    assert "Nous" not in shipped and "maire" in shipped  # the canonical name is kept, the words are not
    assert realpress.rehydrate(corpus, "t", tmp_path / "out") == 1
    back = json.loads((tmp_path / "out" / "gj1.gold.json").read_text(encoding="utf-8"))
    assert back["quotes"] == gold["quotes"]
    assert (tmp_path / "out" / "gj1.txt").read_bytes() == raw.encode("utf-8")
