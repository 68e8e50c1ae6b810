"""Every kind of bad input gets a clear error naming the file and the reason, goes into the
build report's rejected list, and does not stop the rest of the build."""
import codecs
import gzip
import json
import os

import pytest

from corpus import build, validate
from conftest import article

GOOD = article("Le conseil municipal vote le budget", "Les élus ont adopté le budget primitif mardi soir.")

# (file name, bytes, manifest metadata or None, expected words in the reason)
BAD_INPUTS = [
    ("empty.txt", b"", None, "empty file"),
    ("blank.txt", b"  \n\n \n", None, "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file"),
    ("latin1.txt", "Été à Noël\n\nLe maire a parlé.".encode("latin-1"), None, "not valid UTF-8"),
    ("cp1252.txt", "L\x92Élysée\n\nLe président a parlé.".encode("latin-1"), None, "Windows-1252"),
    ("utf16.txt", codecs.BOM_UTF16_LE + "Titre\n\nCorps.".encode("utf-16-le"), None, "UTF-16"),
    ("mojibake.txt", "Ã‰tÃ© Ã  Paris\n\nLe prÃ©sident a parlÃ©.".encode("utf-8"), None, "mojibake"),
    ("one-huge-line.txt", ("mot " * 300_000).encode(), {"language": "fr"}, "too long for an article"),
    ("all-boilerplate.txt", "Ce site utilise des cookies.\n\nTout accepter\n\nSuivez-nous sur Twitter".encode(), {"language": "fr"}, "nothing left after boilerplate"),
    ("title-only.txt", b"Un titre seul\n", {"language": "fr"}, "no body text"),
    ("bad-date.txt", GOOD + b" 1", {"language": "fr", "published": "2021-02-30"}, "is not a date"),
    ("unknown-outlet.txt", GOOD + b" 2", {"language": "fr", "outlet": "La Gazette Imaginaire"}, "not in the outlet registry"),
    ("bad-url.txt", GOOD + b" 3", {"language": "fr", "url": "javascript:alert(1)"}, "not an http(s) URL"),
    ("contradiction.txt", GOOD + b" 4", {"outlet": "le-monde", "url": "https://www.lefigaro.fr/x"}, "contradictory metadata"),
    ("future.txt", GOOD + b" 5", {"language": "fr", "published": "2024-05-02", "retrieved_at": "2024-05-01T10:00:00Z"}, "contradictory metadata"),
    ("no-language.txt", "2019 — 12 345\n\n67 890 !!! 42".encode(), None, "language unknown"),
    ("page.html", b"<html><head><script>alert(1)</script></head><body><iframe src='x'></iframe></body></html>", {"language": "fr"}, "no main text"),
    ("broken.html.gz", b"\x1f\x8b\x08\x00garbage", None, "not a valid gzip file"),
    ("notes.docx", b"PK\x03\x04", None, "unsupported format"),
]


@pytest.fixture
def bad_build(raw_dir, tmp_path):
    manifest = [{"path": "good.txt", "language": "fr"}]
    (raw_dir / "good.txt").write_bytes(GOOD)
    for name, data, meta, _ in BAD_INPUTS:
        (raw_dir / name).write_bytes(data)
        if meta is not None:
            manifest.append({"path": name, **meta})
    (raw_dir / "dup-of-good.txt").write_bytes(GOOD)
    manifest.append({"path": "dup-of-good.txt", "language": "fr"})
    os.symlink(raw_dir / "good.txt", raw_dir / "link.txt")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", raw_dir / "linked-folder")
    manifest_lines = [json.dumps(m) for m in manifest] + [
        json.dumps({"path": "../../etc/passwd", "language": "fr"}),
        json.dumps({"path": "missing.txt"}),
        "{not json",
        json.dumps({"path": "good.txt", "colour": "red"}),
    ]
    (raw_dir / "manifest.jsonl").write_text("\n".join(manifest_lines) + "\n", encoding="utf-8")
    report = build(raw_dir, tmp_path / "out", workers=1)
    return report, {r["path"]: r["reason"] for r in report["rejected"]}, tmp_path / "out"


@pytest.mark.parametrize("name, expected", [(n, e) for n, _, _, e in BAD_INPUTS])
def test_each_bad_input_is_rejected_with_its_reason(bad_build, name, expected):
    _, reasons, _ = bad_build
    assert expected in reasons[name], reasons.get(name)


def test_the_rest_of_the_build_goes_on_and_validates(bad_build):
    report, reasons, out = bad_build
    assert report["articles"] == 1
    assert "same bytes" in reasons["good.txt"] or "same bytes" in reasons["dup-of-good.txt"]
    assert "symbolic link" in reasons["link.txt"]
    assert "link to a folder" in reasons["linked-folder"]
    manifest_reasons = " | ".join(v for k, v in reasons.items() if k.startswith("manifest.jsonl#"))
    assert "outside the raw folder" in manifest_reasons and "names no file" in manifest_reasons
    assert "not a JSON object" in manifest_reasons and "unknown metadata key(s) colour" in manifest_reasons
    assert validate(out).ok


def bad_input_kinds() -> int:
    """How many kinds of bad input the suite tries (reported in DATASHEET.md)."""
    return len(BAD_INPUTS) + 6  # + duplicate bytes, file link, folder link, 3 kinds of bad manifest line (escape, missing, malformed/unknown key)


def test_jsonl_bad_lines_are_rejected_one_by_one(raw_dir, tmp_path):
    good = {"outlet": "Le Point", "title": "Titre", "text": "Titre\nUn paragraphe de texte."}
    lines = [json.dumps(good), '{"outlet": "Le Point", "text": 12}', json.dumps({"outlet": "Le Point", "title": ["x"], "text": "a"}),
             "\x00\x01garbage"]
    (raw_dir / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build(raw_dir, tmp_path / "out", workers=1)
    assert report["articles"] == 1
    assert sorted(r["path"] for r in report["rejected"]) == ["a.jsonl#2", "a.jsonl#3", "a.jsonl#4"]


def test_a_gzip_bomb_free_html_page_with_scripts_keeps_only_text(raw_dir, tmp_path):
    page = ("<html><head><title>Vote au Sénat</title><script>document.write('injected')</script></head><body>"
            "<article><h1>Vote au Sénat</h1><p>Le Sénat a voté la loi de finances mardi après un long débat.</p>"
            "<p>Les sénateurs ont adopté le texte par 200 voix contre 120.</p><iframe src='https://x.org'></iframe>"
            "</article></body></html>")
    (raw_dir / "p.html.gz").write_bytes(gzip.compress(page.encode(), mtime=0))
    (raw_dir / "manifest.jsonl").write_text('{"path": "p.html.gz", "language": "fr"}\n', encoding="utf-8")
    build(raw_dir, tmp_path / "out", workers=1)
    import pyarrow.parquet as pq
    text = pq.read_table(tmp_path / "out" / "articles").to_pylist()[0]["text"]
    assert "injected" not in text and "200 voix" in text
