"""`corpus evaluate` reads the gold format and scores a dataset against it."""
import json
import subprocess
import sys

import pyarrow.parquet as pq

from corpus import evaluate, schema
from corpus.writer import write_table
from conftest import GOLD, ROOT, SEED

GOLD_SEED = json.loads((GOLD / SEED.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))


def _gold_only(tmp_path):
    d = tmp_path / "gold"
    d.mkdir()
    (d / SEED.replace(".txt", ".gold.json")).write_text(json.dumps(GOLD_SEED), encoding="utf-8")
    (d / SEED).write_bytes((GOLD / SEED).read_bytes())
    return d


def _with_gold_annotations(folder, drop_entity=None):
    """Put the gold's entities, quotes and topics into the built row, mapped to text offsets."""
    path = next((folder / "articles").glob("*.parquet"))
    row = pq.read_table(path).to_pylist()[0]

    def to_text(s, e):
        b = next(b for b in row["blocks"] if b["source_start"] <= s and e <= b["source_end"])
        return s - b["source_start"] + b["start"], e - b["source_start"] + b["start"]

    ents = [e for i, e in enumerate(GOLD_SEED["entities"]) if i != drop_entity and not e.get("optional")]
    row["entities"] = []
    for i, e in enumerate(ents):
        s, t = to_text(e["start"], e["end"])
        row["entities"].append({"id": f"e{i}", "start": s, "end": t, "text": e["text"], "label": e["label"],
                                "entity": e["text"], "wikidata_id": e.get("wikidata_id"), "confidence": 1.0, "annotator": "gold@1"})
    row["quotes"] = []
    for i, q in enumerate(GOLD_SEED["quotes"]):
        s, t = to_text(q["start"], q["end"])
        ss, st = to_text(q["speaker"]["start"], q["speaker"]["end"])
        row["quotes"].append({"id": f"q{i}", "start": s, "end": t, "text": q["text"], "kind": q["kind"],
                              "speaker": q["speaker"]["text"], "speaker_start": ss, "speaker_end": st, "speaker_entity": None,
                              "cue": None, "cue_start": None, "cue_end": None, "confidence": 1.0, "annotator": "gold@1"})
    row["topics"] = [{"code": "medtop:11000000", "label": "politics", "score": 1.0, "annotator": "gold@1"}]
    write_table([row], schema.arrow_schema(), path)


def test_extraction_and_title_on_the_seed(built, tmp_path):
    result = evaluate(built, _gold_only(tmp_path))
    assert result["articles_scored"] == 1 and result["gold_without_row"] == []
    assert result["extraction_chars"]["f1"] == 1.0
    assert result["title_exact"] == 1.0


def test_perfect_annotations_score_one_and_a_missing_mention_costs_recall(copy_of_built, tmp_path):
    gold = _gold_only(tmp_path)
    _with_gold_annotations(copy_of_built)
    result = evaluate(copy_of_built, gold)
    assert result["entities_strict"]["f1"] == 1.0 and result["linking_accuracy"] == 1.0
    assert result["quotes_strict"]["f1"] == 1.0 and result["attribution_accuracy"] == 1.0
    assert result["topics_top_level"]["f1"] == 1.0
    _with_gold_annotations(copy_of_built, drop_entity=0)  # Poutine in the title (PER)
    result = evaluate(copy_of_built, gold)
    assert result["entities_by_label"]["PER"]["fn"] == 1 and result["entities_by_label"]["LOC"]["fn"] == 0
    assert result["entities_strict"]["r"] < 1.0


def test_gold_without_a_row_is_reported(built, tmp_path):
    gold = _gold_only(tmp_path)
    other = dict(GOLD_SEED, raw_sha256="f" * 64)
    (gold / "999_other.gold.json").write_text(json.dumps(other), encoding="utf-8")
    assert evaluate(built, gold)["gold_without_row"] == ["999_other.gold.json"]


def test_the_cli_prints_json(built, tmp_path):
    run = subprocess.run([sys.executable, "-m", "corpus.cli", "evaluate", "--dataset", str(built),
                          "--gold", str(_gold_only(tmp_path)), "--json"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["title_exact"] == 1.0


def test_a_gold_file_that_annotates_only_quotes_is_scored_on_quotes_only(built, tmp_path):
    gold = _gold_only(tmp_path)
    path = gold / SEED.replace(".txt", ".gold.json")
    path.write_text(json.dumps({**GOLD_SEED, "annotated": ["quotes"], "entities": [], "blocks": []}), encoding="utf-8")
    scores = evaluate(built, gold)
    assert scores["articles_scored"] == 1
    assert scores["quotes_strict"]["f1"] == 1.0 and scores["attribution_accuracy"] == 1.0
    assert not {"extraction_chars", "entities_strict", "topics_top_level"} & set(scores)
