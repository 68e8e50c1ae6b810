"""The alias table: loading, normalisation, unambiguous lookup."""
from pathlib import Path

import pytest

from corpus import linking
from corpus.linking import AliasTable, Entry, normalize, read_table

HEADER = "qid\ttype\tname\tlang\talias\n"


def table(tmp_path: Path, rows: str) -> AliasTable:
    p = tmp_path / "aliases.tsv"
    p.write_text(HEADER + rows, encoding="utf-8")
    return read_table(p)


def test_normalize_folds_case_accents_apostrophes_dashes_and_spaces():
    assert normalize("Élysée") == normalize("ELYSEE") == normalize("elysée") == "elysee"
    assert normalize("l’UE") == normalize("l'UE") == normalize("L`UE") == "l'ue"
    assert normalize("Etats-Unis") == normalize("États–Unis") == normalize("états  unis") == "etats unis"
    assert normalize("Maison-Blanche") == normalize("Maison Blanche")
    assert normalize("U.E.") == "ue"
    assert normalize(" Quai\u00a0d’Orsay ") == "quai d'orsay"
    assert normalize("Russie") != normalize("Prusse")


def test_read_table_skips_the_header_and_bad_rows(tmp_path):
    t = table(tmp_path, "Q7747\tPER\tVladimir Poutine\tfr\tPoutine\n"
                        "not-a-qid\tPER\tX\tfr\tX\n"
                        "Q1\tANIMAL\tY\tfr\tY\n"
                        "Q2\tLOC\n"
                        "Q159\tloc\tRussie\tfr\tRussie\n")
    assert len(t) == 2
    assert t.lookup("poutine").qid == "Q7747"
    assert t.lookup("RUSSIE").type == "LOC"  # type upper-cased
    assert t.lookup("X") is None and t.lookup("Y") is None


def test_lookup_never_guesses_between_two_qids(tmp_path):
    t = table(tmp_path, "Q1\tLOC\tVille A\tfr\tSaint-Martin\n"
                        "Q2\tLOC\tVille B\tfr\tSaint-Martin\n"
                        "Q3\tPER\tParis Hilton\ten\tParis\n"
                        "Q90\tLOC\tParis\tfr\tParis\n")
    assert t.lookup("Saint-Martin") is None
    assert {c.qid for c in t.candidates("saint martin")} == {"Q1", "Q2"}
    # the label picks among candidates; without one, the canonical name decides
    assert t.lookup("Paris", "LOC").qid == "Q90"
    assert t.lookup("Paris", "PER").qid == "Q3"
    assert t.lookup("Paris").qid == "Q90"
    # a wrong label falls back to the table's type (which then relabels the mention)
    assert t.lookup("Saint-Martin", "ORG") is None
    assert t.type_of("Saint-Martin") == "LOC"


def test_a_wrong_model_label_is_corrected_by_the_single_candidate(tmp_path):
    t = table(tmp_path, "Q3052772\tPER\tEmmanuel Macron\tfr\tMacron\n")
    assert t.lookup("Macron", "LOC").type == "PER"


def test_first_words_and_person_first_words(tmp_path):
    t = table(tmp_path, "Q85\tLOC\tLe Caire\tfr\tLe Caire\n"
                        "Q12418\tPER\tMarine Le Pen\tfr\tMarine Le Pen\n")
    assert {"le", "caire", "marine"} <= t.first_words
    assert t.person_first_words == {"marine"}


def test_the_packaged_table_loads_once_and_links_common_names():
    t = linking.load()
    assert t is linking.load()
    assert len(t) > 100
    assert t.lookup("France").qid == "Q142"
    assert t.lookup("Union européenne").qid == t.lookup("UE").qid


def test_an_absent_packaged_table_means_nothing_is_linked(tmp_path, monkeypatch):
    monkeypatch.setattr(linking, "default_path", lambda: tmp_path / "missing.tsv")
    assert len(linking.load()) == 0 and linking.load().lookup("France") is None
    with pytest.raises(FileNotFoundError):
        linking.load(tmp_path / "missing.tsv")


def test_entries_are_values():
    assert Entry("Q1", "LOC", "A", "fr", "a") == Entry("Q1", "LOC", "A", "fr", "a")
