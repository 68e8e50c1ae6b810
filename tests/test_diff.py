"""`corpus diff OLD NEW` reports what a rebuild changed."""
import json
import shutil
import subprocess
import sys

from corpus import build
from corpus.diff import diff
from conftest import ROOT, article


def test_added_removed_changed_and_counts(raw_dir, tmp_path):
    (raw_dir / "manifest.jsonl").write_text("".join(json.dumps({"path": f"{n}.txt", "outlet": "le-monde"}) + "\n"
                                                    for n in ("a", "b", "c")), encoding="utf-8")
    (raw_dir / "a.txt").write_bytes(article("Titre A", "Emmanuel Macron a reçu Olaf Scholz à Paris."))
    (raw_dir / "b.txt").write_bytes(article("Titre B", "Le maire de Lyon a présenté son budget."))
    (raw_dir / "manifest.jsonl").write_text("".join(json.dumps({"path": f"{n}.txt", "outlet": "le-monde"}) + "\n"
                                                    for n in ("a", "b")), encoding="utf-8")
    build(raw_dir, tmp_path / "old", workers=1)
    (raw_dir / "b.txt").unlink()
    (raw_dir / "c.txt").write_bytes(article("Titre C", "Vladimir Poutine a parlé avec Joe Biden depuis Moscou."))
    (raw_dir / "manifest.jsonl").write_text("".join(json.dumps({"path": f"{n}.txt", "outlet": "le-monde"}) + "\n"
                                                    for n in ("a", "c")), encoding="utf-8")
    build(raw_dir, tmp_path / "new", workers=1)
    d = diff(tmp_path / "old", tmp_path / "new")
    assert d["articles"] == {"old": 2, "new": 2}
    assert len(d["added"]) == 1 and len(d["removed"]) == 1 and d["changed"] == [] and d["moved_split"] == []
    assert diff(tmp_path / "old", tmp_path / "old")["annotation_counts"] == {}
    run = subprocess.run([sys.executable, "-m", "corpus.cli", "diff", str(tmp_path / "old"), str(tmp_path / "new")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "added 1, removed 1, changed 0" in run.stdout


def test_a_changed_row_is_reported(tmp_path, built):
    import pyarrow.parquet as pq
    from corpus import schema
    from corpus.writer import write_table

    shutil.copytree(built, tmp_path / "new")
    path = next((tmp_path / "new" / "articles").glob("*.parquet"))
    rows = pq.read_table(path).to_pylist()
    rows[0]["topics"] = rows[0]["topics"][:0]
    rows[0]["authors"] = ["Quelqu'un"]
    write_table(rows, schema.arrow_schema(), path)
    d = diff(built, tmp_path / "new")
    assert d["changed"] == [rows[0]["id"]]
