"""Language identification, and annotators that say when they did not run."""
import json

import pyarrow.parquet as pq

from corpus import build, language, validate

ENGLISH = ("The government announced on Thursday a two billion euro plan to support farmers hit by the drought. "
           "The agriculture minister said the first payments would be made next month.")


def test_detection_and_choice():
    assert language.detect("Le gouvernement a annoncé jeudi un plan d'aide aux agriculteurs touchés par la sécheresse.")[0][0] == "fr"
    lang, confidence = language.choose(ENGLISH, "fr")
    assert lang == "en" and confidence >= language.CONFIDENT  # a confident detector overrules a collection default
    lang, confidence = language.choose("OK", "fr")
    assert lang == "fr"  # too little text: the declared language stands


def test_an_article_in_a_language_without_a_model_keeps_its_text_and_says_what_was_not_run(raw_dir, tmp_path):
    (raw_dir / "en.txt").write_text(f"Drought aid for farmers\n\n{ENGLISH}", encoding="utf-8")
    (raw_dir / "fr.txt").write_text("Aide aux agriculteurs\n\nLe gouvernement a annoncé jeudi un plan d'aide de deux milliards d'euros.", encoding="utf-8")
    (raw_dir / "manifest.jsonl").write_text(json.dumps({"path": "en.txt", "outlet": "le-monde"}) + "\n"
                                            + json.dumps({"path": "fr.txt", "outlet": "le-monde"}) + "\n", encoding="utf-8")
    report = build(raw_dir, tmp_path / "out", workers=1)
    assert report["per_language"] == {"en": 1, "fr": 1}
    rows = {r["provenance"]["source_path"]: r for r in pq.read_table(tmp_path / "out" / "articles").to_pylist()}
    en = rows["en.txt"]
    assert en["language"] == "en" and en["language_confidence"] >= 0.9
    assert en["text"].startswith("Drought aid") and en["entities"] == [] and en["quotes"] == [] and en["topics"] == []
    annotators = en["provenance"]["annotators"]
    assert annotators and all(a["status"] == "skipped" and "'en' not supported" in a["reason"] for a in annotators)
    assert all(a["status"] == "ran" and a["reason"] is None for a in rows["fr.txt"]["provenance"]["annotators"])
    assert validate(tmp_path / "out", raw_dir).ok
    assert "| en | 1 |" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
