"""Reading a raw folder: metadata from manifest and sidecars, and clear rejections."""
import json
import os

from corpus.readers import Rejected, read_folder
from conftest import article


def _read(raw_dir):
    return list(read_folder(raw_dir))


def test_manifest_and_sidecar_metadata_sidecar_wins(raw_dir):
    (raw_dir / "a.txt").write_bytes(article("Titre A", "Corps A."))
    (raw_dir / "b.txt").write_bytes(article("Titre B", "Corps B."))
    (raw_dir / "manifest.jsonl").write_text(
        json.dumps({"path": "a.txt", "url": "https://www.lemonde.fr/x", "language": "fr"}) + "\n"
        + json.dumps({"path": "b.txt", "outlet": "le-monde", "published": "2020-01-02"}) + "\n", encoding="utf-8")
    (raw_dir / "b.txt.meta.json").write_text(json.dumps({"published": "2020-03-04"}), encoding="utf-8")
    a, b = _read(raw_dir)
    assert a.metadata["url"] == "https://www.lemonde.fr/x"
    assert b.metadata["published"] == "2020-03-04" and b.metadata["outlet"] == "le-monde"
    assert a.metadata["collection"] == "raw"  # defaults to the raw folder's name


def test_sidecars_manifest_gold_and_hidden_files_are_not_articles(raw_dir):
    (raw_dir / "a.txt").write_bytes(article("Titre", "Corps."))
    (raw_dir / "a.txt.meta.json").write_text("{}", encoding="utf-8")
    (raw_dir / "a.gold.json").write_text("{}", encoding="utf-8")
    (raw_dir / ".hidden.txt").write_bytes(b"x")
    (raw_dir / "README.md").write_text("notes", encoding="utf-8")
    assert [s.path for s in _read(raw_dir)] == ["a.txt"]


def test_bad_files_are_rejected_with_a_reason_and_the_rest_is_read(raw_dir):
    (raw_dir / "good.txt").write_bytes(article("Titre", "Corps."))
    (raw_dir / "empty.txt").write_bytes(b"")
    (raw_dir / "latin1.txt").write_bytes("Titre\n\nÉté à Noël".encode("latin-1"))
    (raw_dir / "utf16.txt").write_bytes("Titre\n\nCorps".encode("utf-16"))
    (raw_dir / "page.pdf").write_bytes(b"%PDF-1.4")
    (raw_dir / "bad-meta.txt").write_bytes(article("Titre", "Corps."))
    (raw_dir / "bad-meta.txt.meta.json").write_text('{"autor": "typo"}', encoding="utf-8")
    os.symlink(raw_dir / "good.txt", raw_dir / "link.txt")
    items = {i.path: i for i in _read(raw_dir)}
    assert not isinstance(items["good.txt"], Rejected)
    reasons = {p: i.reason for p, i in items.items() if isinstance(i, Rejected)}
    assert reasons["empty.txt"] == "empty file"
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert "UTF-16" in reasons["utf16.txt"]
    assert "unsupported format '.pdf'" in reasons["page.pdf"]
    assert "unknown metadata key(s) autor" in reasons["bad-meta.txt"]
    assert "symbolic link" in reasons["link.txt"]


def test_a_malformed_manifest_is_reported_not_fatal(raw_dir):
    (raw_dir / "a.txt").write_bytes(article("Titre", "Corps."))
    (raw_dir / "manifest.jsonl").write_text("{not json\n", encoding="utf-8")
    items = _read(raw_dir)
    assert isinstance(items[0], Rejected) and items[0].path == "manifest.jsonl#1"
    assert items[1].path == "a.txt"


def test_ids_come_from_the_bytes(raw_dir):
    (raw_dir / "a.txt").write_bytes(article("Titre", "Corps."))
    (raw_dir / "sub").mkdir()
    (raw_dir / "sub" / "copy.txt").write_bytes(article("Titre", "Corps."))
    a, b = _read(raw_dir)
    assert a.id == b.id and len(a.id) == 16
    assert b.path == "sub/copy.txt"


def _paths(items):
    return [(type(i).__name__, i.path) for i in items]


def test_replay_hands_the_first_pass_to_the_second_then_reads_on(raw_dir, monkeypatch):
    from itertools import islice

    from corpus import readers

    for n in range(6):
        (raw_dir / f"a{n}.txt").write_bytes(article(f"Titre {n}", f"Corps {n}."))
    (raw_dir / "bad.txt").write_bytes(b"")
    expected = _paths(read_folder(raw_dir))
    opened = []
    real = readers._read_file
    monkeypatch.setattr(readers, "_read_file", lambda *a: opened.append(a[2]) or real(*a))
    replay = readers.Replay(raw_dir)
    assert _paths(islice(replay.first_pass(), 3)) == expected[:3]
    assert _paths(replay.second_pass()) == expected
    assert sorted(opened) == sorted(p for _, p in expected)  # every file read once


def test_replay_reads_again_when_the_first_pass_is_too_large_to_keep(raw_dir):
    from corpus import readers

    for n in range(4):
        (raw_dir / f"a{n}.txt").write_bytes(article(f"Titre {n}", "Corps. " * 50))
    replay = readers.Replay(raw_dir, budget=500)
    first = list(replay.first_pass())
    assert _paths(replay.second_pass()) == _paths(first) == _paths(read_folder(raw_dir))
