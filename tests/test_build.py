"""Building: deterministic bytes, bad input reported and skipped, atomic publication."""
import filecmp
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from corpus import build, validate
from corpus.build import TIMINGS
from corpus.writer import recover
from conftest import PUBLISHED, RAW, ROOT, SEED, article


def _files(folder):
    """The reproducible files of a dataset folder (build_timings.json holds wall-clock figures)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != TIMINGS)


def test_the_committed_dataset_is_exactly_what_the_code_makes_from_data_raw(built):
    assert _files(built) == _files(PUBLISHED)
    for name in _files(built):
        assert filecmp.cmp(built / name, PUBLISHED / name, shallow=False), f"{name} differs: run `make dataset` and commit"


def test_a_second_build_is_byte_identical_with_or_without_cache_and_workers(built, tmp_path):
    report = build(RAW, tmp_path / "again", workers=2, cache=False)
    assert report["timings"]["articles_annotated"] == 1
    for name in _files(built):
        assert (built / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_the_seed_row(built):
    row = pq.read_table(built / "articles").to_pylist()[0]
    assert row["title"] == "Poutine et Macron s'entretiennent sur l'avenir des relations Russie-UE"
    assert row["outlet"]["id"] == "rt-france" and row["provenance"]["outlet_source"] == "metadata"
    assert str(row["published"]) == "2021-07-02" and row["published_source"] == "metadata"
    assert row["provenance"]["source_sha256"] == "6657e2fb274b44a5f1b6d551af068103c2b0f901fcac9f43827ffe60d7422050"
    assert row["id"] == row["provenance"]["source_sha256"][:16]
    assert "Telegram" not in row["text"] and "cookies" not in row["text"]
    md = pq.read_schema(next((built / "articles").glob("*.parquet"))).metadata
    assert b"huggingface" in md  # features survive load_dataset("parquet", data_files=...)


def test_without_metadata_the_outlet_comes_from_its_boilerplate_and_no_date_is_invented(raw_dir, tmp_path):
    (raw_dir / SEED).write_bytes((RAW / SEED).read_bytes())
    build(raw_dir, tmp_path / "out")
    row = pq.read_table(tmp_path / "out" / "articles").to_pylist()[0]
    assert row["outlet"]["id"] == "rt-france" and row["provenance"]["outlet_source"] == "text"
    assert row["published"] is None and row["published_source"] == "none"


def test_bad_articles_are_reported_and_the_rest_is_built(raw_dir, tmp_path):
    (raw_dir / "good.txt").write_bytes(article("Un titre", "Un paragraphe de texte."))
    (raw_dir / "all-boilerplate.txt").write_bytes("Ce site utilise des cookies.\n\nOK\n".encode())
    (raw_dir / "latin1.txt").write_bytes("Titre\n\nÉté".encode("latin-1"))
    (raw_dir / "dup.txt").write_bytes(article("Un titre", "Un paragraphe de texte."))
    (raw_dir / "manifest.jsonl").write_text('{"path": "good.txt", "language": "fr"}\n{"path": "dup.txt", "language": "fr"}\n'
                                       '{"path": "all-boilerplate.txt", "language": "fr"}\n', encoding="utf-8")
    report = build(raw_dir, tmp_path / "out")
    assert report["articles"] == 1
    reasons = {r["path"]: r["reason"] for r in report["rejected"]}
    assert reasons["all-boilerplate.txt"] == "nothing left after boilerplate removal"
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert reasons["good.txt"].startswith("duplicate of dup.txt")
    assert json.loads((tmp_path / "out" / "build_report.json").read_text())["rejected"] == report["rejected"]
    assert validate(tmp_path / "out").ok


def test_nothing_is_published_when_no_article_builds(raw_dir, tmp_path, built):
    out = tmp_path / "out"
    import shutil
    shutil.copytree(built, out)
    before = {n: (out / n).read_bytes() for n in _files(out)}
    (raw_dir / "empty.txt").write_bytes(b"")
    with pytest.raises(RuntimeError, match="nothing was published"):
        build(raw_dir, out)
    assert {n: (out / n).read_bytes() for n in _files(out)} == before


def test_a_crash_mid_publication_is_recovered(copy_of_built, tmp_path):
    out = copy_of_built
    backup = out.with_name(".dataset.old")
    tmp = out.with_name(".dataset.tmp")
    out.rename(backup)            # killed between "old dataset aside" and "new dataset in"
    tmp.mkdir()                   # with a half-written new one
    (tmp / "junk.parquet").write_bytes(b"PAR1")
    recover(out)
    assert out.exists() and not backup.exists() and not tmp.exists()
    assert validate(out).ok


def test_hand_written_card_text_survives_a_rebuild(copy_of_built):
    card = copy_of_built / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("## Rights", "## Rights\n\nA note by hand."), encoding="utf-8")
    build(RAW, copy_of_built)
    text = card.read_text(encoding="utf-8")
    assert "A note by hand." in text and "<!-- generated:stats -->" in text


def test_the_cli_builds_and_validates(tmp_path):
    out = tmp_path / "cli-out"
    run = subprocess.run([sys.executable, "-m", "corpus.cli", "build", "--raw", str(RAW), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "built 1 articles" in run.stdout
    run = subprocess.run([sys.executable, "-m", "corpus.cli", "validate", str(out), "--raw", str(RAW)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.startswith("ok: 1 articles"), run.stdout + run.stderr


def test_the_spill_holds_a_bounded_number_of_rows_and_gives_them_back_sorted(built, tmp_path, monkeypatch):
    from corpus import writer

    monkeypatch.setattr(writer, "FLUSH_ROWS", 3)
    seed = pq.read_table(built / "articles").to_pylist()[0]
    spill = writer.Spill(tmp_path / "spill")
    ids = [f"{n:02x}{seed['id'][2:]}" for n in (200, 3, 77, 3 + 16, 150, 9, 255)]
    for i in ids:
        spill.add({**seed, "id": i})
        assert spill.buffered < 3  # a few thousand small buckets never add up to the whole corpus
    spill.close()
    assert [r["id"] for r in spill.rows()] == sorted(ids)
