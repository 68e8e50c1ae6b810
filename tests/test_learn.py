"""Boilerplate learned from the corpus: lines an outlet repeats across many articles."""
import json

import pyarrow.parquet as pq

from corpus import build, learn
from corpus.readers import read_folder

CHROME = "Consultez notre dossier : La colère des agriculteurs"


def _corpus(raw_dir, n=8):
    lines = []
    for i in range(n):
        lines.append({"outlet": "Le Point", "title": f"Article numéro {i}",
                      "text": f"Article numéro {i}\nPremier paragraphe différent {i} sur la politique.\n{CHROME}\n© AFP\nDernier paragraphe {i}."})
    (raw_dir / "lp.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")


def test_repeated_lines_are_learned_with_counts_but_credits_are_not(raw_dir):
    _corpus(raw_dir)
    learned = learn.learn(read_folder(raw_dir))
    assert list(learned) == ["le-point"]
    rules = learned["le-point"]
    assert list(rules) == [CHROME]
    assert rules[CHROME].articles == 8 and rules[CHROME].sampled == 8


def test_too_few_repeats_learn_nothing(raw_dir):
    _corpus(raw_dir, n=4)
    assert learn.learn(read_folder(raw_dir)) == {}


def test_a_build_removes_learned_lines_and_reports_the_rules(raw_dir, tmp_path):
    _corpus(raw_dir)
    report = build(raw_dir, tmp_path / "out", workers=1)
    assert [r["line"] for r in report["learned_boilerplate"]] == [CHROME]
    rule_id = report["learned_boilerplate"][0]["id"]
    assert rule_id.startswith("learned/le-point/")
    row = pq.read_table(tmp_path / "out" / "articles").to_pylist()[0]
    assert CHROME not in row["text"] and "© AFP" in row["text"]
    assert rule_id in {r["reason"] for r in row["provenance"]["removed"]}
