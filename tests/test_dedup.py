"""Duplicates are marked, not deleted: exact copies and syndicated near-copies."""
import json

import pyarrow.parquet as pq

from corpus import build, validate
from corpus.dedup import Deduplicator, fingerprint

WIRE = ("Le gouvernement a annoncé jeudi un plan de 2 milliards d'euros pour soutenir les agriculteurs touchés par la sécheresse. "
        "Le ministre de l'Agriculture a précisé que les premières aides seraient versées dès le mois prochain. "
        "Les syndicats agricoles ont salué un geste attendu mais jugé le montant insuffisant face à l'ampleur des pertes. "
        "Selon les chambres d'agriculture, près de 40 000 exploitations ont subi des pertes de récolte supérieures à 30 %. "
        "Le plan prévoit aussi des reports de cotisations sociales et un fonds d'urgence géré par les régions.")


def _row(id_, body, published=None):
    text = f"Titre {id_}\n\n{body}"
    return {"id": id_, "text": text, "published": published,
            "blocks": [{"type": "title", "start": 0, "end": len(f"Titre {id_}")},
                       {"type": "paragraph", "start": len(f"Titre {id_}") + 2, "end": len(text)}]}


def test_exact_and_near_duplicates_and_the_canonical_choice():
    d = Deduplicator()
    rows = [_row("b" * 16, WIRE, "2020-01-02"), _row("a" * 16, WIRE, "2020-01-03"),
            _row("c" * 16, WIRE.replace("jeudi", "mercredi").replace("2 milliards", "deux milliards")),
            _row("d" * 16, "Un tout autre article sur la météo de la semaine prochaine en Bretagne et ailleurs.")]
    for r in rows:
        d.add(r["id"], r["published"], fingerprint(r))
    out = d.resolve()
    # b is the earliest published copy: canonical for the exact pair and for the cluster
    assert out["a" * 16] == ("b" * 16, "b" * 16)
    assert out["b" * 16] == (None, "b" * 16)
    assert out["c" * 16] == (None, "b" * 16)   # edited wire copy: near duplicate only
    assert "d" * 16 not in out


def test_titles_and_credits_do_not_hide_a_syndicated_copy():
    a, b = _row("a" * 16, WIRE), _row("b" * 16, WIRE)
    b["text"] = "Autre titre chez un autre journal\n\n" + WIRE
    b["blocks"] = [{"type": "title", "start": 0, "end": 33}, {"type": "paragraph", "start": 35, "end": len(b["text"])}]
    assert fingerprint(a)[0] == fingerprint(b)[0]


def test_a_build_marks_syndicated_copies_across_outlets_and_drop_is_the_users_choice(raw_dir, tmp_path):
    (raw_dir / "figaro.txt").write_text(f"Aides aux agriculteurs : 2 milliards d'euros\n\n{WIRE}\n\nLire aussi : la sécheresse s'aggrave", encoding="utf-8")
    (raw_dir / "libre.txt").write_text(f"Sécheresse : Paris débloque une aide massive\n\n© AFP\n\n{WIRE}", encoding="utf-8")
    (raw_dir / "other.txt").write_text("Un autre sujet\n\nLe conseil municipal a voté le budget de la ville mardi soir.", encoding="utf-8")
    (raw_dir / "manifest.jsonl").write_text("\n".join(json.dumps(x) for x in [
        {"path": "figaro.txt", "outlet": "le-figaro", "published": "2022-08-04"},
        {"path": "libre.txt", "outlet": "la-libre", "published": "2022-08-05"},
        {"path": "other.txt", "outlet": "la-libre"}]) + "\n", encoding="utf-8")
    report = build(raw_dir, tmp_path / "all", workers=1)
    rows = {r["provenance"]["source_path"]: r for r in pq.read_table(tmp_path / "all" / "articles").to_pylist()}
    fig, libre = rows["figaro.txt"], rows["libre.txt"]
    assert libre["duplicate_of"] == fig["id"] and fig["duplicate_of"] is None
    assert fig["near_duplicate_cluster"] == libre["near_duplicate_cluster"] == fig["id"]
    assert rows["other.txt"]["near_duplicate_cluster"] is None
    assert report["exact_duplicates"] == 1 and report["near_duplicate_clusters"] == 1
    assert validate(tmp_path / "all").ok
    report = build(raw_dir, tmp_path / "kept", workers=1, drop="exact")
    assert report["articles"] == 2 and report["duplicates_dropped"] == 1
