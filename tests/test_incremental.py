"""Incremental builds: unchanged articles come from the cache; a killed build resumes."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from corpus import build
from corpus.build import TIMINGS, default_cache_path
from conftest import ROOT, article


def _raw(raw_dir, n):
    (raw_dir / "manifest.jsonl").write_text("".join(f'{{"path": "a{i:02d}.txt", "language": "fr"}}\n' for i in range(n)), encoding="utf-8")
    for i in range(n):
        (raw_dir / f"a{i:02d}.txt").write_bytes(article(f"Titre {i}", f"Le maire de Lyon a présenté le budget numéro {i} au conseil municipal."))


def _published(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != TIMINGS}


def test_second_build_uses_the_cache_and_writes_the_same_bytes(raw_dir, tmp_path):
    _raw(raw_dir, 3)
    first = build(raw_dir, tmp_path / "out", workers=1)
    before = _published(tmp_path / "out")
    second = build(raw_dir, tmp_path / "out", workers=1)
    assert first["timings"]["articles_annotated"] == 3
    assert second["timings"]["articles_annotated"] == 0 and second["timings"]["articles_from_cache"] == 3
    assert _published(tmp_path / "out") == before


def test_a_changed_article_is_annotated_again(raw_dir, tmp_path):
    _raw(raw_dir, 3)
    build(raw_dir, tmp_path / "out", workers=1)
    (raw_dir / "a01.txt").write_bytes(article("Titre changé", "Un autre texte sur le budget."))
    report = build(raw_dir, tmp_path / "out", workers=1)
    assert report["timings"]["articles_annotated"] == 1 and report["timings"]["articles_from_cache"] == 2


def test_a_killed_build_keeps_the_old_dataset_and_the_next_one_resumes(raw_dir, tmp_path):
    _raw(raw_dir, 2)
    out = tmp_path / "out"
    build(raw_dir, out, workers=1)
    old = _published(out)
    _raw(raw_dir, 40)  # 38 new articles
    cache = default_cache_path(out)
    code = ("import corpus, sys; corpus.build(sys.argv[1], sys.argv[2], workers=1, batch_size=1)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(raw_dir), str(out)], cwd=ROOT)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:  # kill once some new rows are committed, well before the end
            with sqlite3.connect(cache) as db:
                if db.execute("SELECT count(*) FROM rows").fetchone()[0] >= 5:
                    break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert _published(out) == old  # the previous dataset is intact
    report = build(raw_dir, out, workers=1)
    assert report["articles"] == 40
    assert report["timings"]["articles_from_cache"] >= 5


def test_killed_at_any_point_the_published_folder_is_always_a_complete_dataset(raw_dir, tmp_path):
    """SIGKILL at several moments of a build that replaces an existing dataset: at every
    moment, the folder is a complete, valid dataset (the old one or the new one)."""
    from corpus import validate

    _raw(raw_dir, 2)
    out = tmp_path / "out"
    build(raw_dir, out, workers=1, cache=False)
    _raw(raw_dir, 12)
    code = "import corpus, sys; corpus.build(sys.argv[1], sys.argv[2], workers=1, cache=False)"
    for delay in (0.5, 1.5, 3.0, 5.0, 8.0):
        proc = subprocess.Popen([sys.executable, "-c", code, str(raw_dir), str(out)], cwd=ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        report = validate(out)
        assert report.ok and report.articles in (2, 12), (delay, report.errors[:3])
