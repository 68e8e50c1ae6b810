"""Readers for JSONL, HTML and WARC: source offsets index the documented source text."""
import gzip
import io
import json

import pyarrow.parquet as pq

from corpus import build, validate
from corpus.document import Rejected
from corpus.readers import read_folder

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Le Sénat adopte la réforme des retraites | Le Journal Test</title>
<meta property="og:title" content="Le Sénat adopte la réforme des retraites">
<meta name="description" content="Après trois semaines de débats, les sénateurs ont voté le texte dans la nuit.">
<meta name="author" content="Claire Dubois">
<meta property="article:published_time" content="2023-03-12T08:00:00+01:00">
<script>window.tracker = "<p>not text</p>";</script></head>
<body><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav>
<article><h1>Le Sénat adopte la réforme des retraites</h1>
<p>Le Sénat a adopté dans la nuit de samedi à dimanche le projet de réforme des retraites, par 195 voix contre 112.</p>
<p>« C'est une étape décisive », a déclaré le ministre du Travail à l'issue du vote, saluant « un débat de qualité ».</p>
<p>Les syndicats appellent à une nouvelle journée de mobilisation mardi dans toute la France, de Paris à Marseille.</p>
<iframe src="https://example.org/embed"></iframe>
</article><footer>Ce site utilise des cookies. Tout accepter</footer></body></html>"""


def _rows(out):
    return pq.read_table(out / "articles").to_pylist()


def test_jsonl_articles_with_title_metadata_and_a_bad_line(raw_dir, tmp_path):
    lines = [
        {"outlet": "Le Point", "url": "https://www.lepoint.fr/politique/a-16-02-2019-1_20.php", "date": "16-02-2019",
         "title": "Les gilets jaunes manifestent", "text": "Les gilets jaunes manifestent\nDes milliers de personnes ont défilé samedi.\nLa préfecture a compté 5 000 manifestants."},
        {"outlet": "Le Point", "title": "Un titre absent du texte", "text": "Le texte commence ici.\nEt continue là.", "date": None},
        "not an object",
        {"outlet": "Le Point", "text": "Ã‰tÃ© chaud Ã  Paris\nLa canicule s'installe."},
    ]
    (raw_dir / "a.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    items = list(read_folder(raw_dir))
    assert [type(i).__name__ for i in items] == ["Source", "Source", "Rejected", "Source"]
    assert items[2].path == "a.jsonl#3" and "not a JSON object" in items[2].reason
    assert items[1].text.startswith("Un titre absent du texte\n\nLe texte")  # title prepended once
    assert items[0].text.startswith("Les gilets jaunes manifestent\nDes")    # not repeated
    assert items[3].text.startswith("Été chaud à Paris") and items[3].repairs
    report = build(raw_dir, tmp_path / "out", workers=1)
    assert report["articles"] == 3
    rows = {r["provenance"]["source_path"]: r for r in _rows(tmp_path / "out")}
    first = rows["a.jsonl#1"]
    assert first["title"] == "Les gilets jaunes manifestent" and str(first["published"]) == "2019-02-16"
    assert first["outlet"]["id"] == "le-point" and first["provenance"]["source_format"] == "jsonl"
    assert rows["a.jsonl#4"]["provenance"]["repairs"] == ["ftfy 6.3.1: mojibake repaired"]
    assert validate(tmp_path / "out", raw_dir).ok  # re-reads each line and checks every offset and the file hash


def test_html_page_main_text_and_metadata(raw_dir, tmp_path):
    (raw_dir / "page.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8"), mtime=0))
    (raw_dir / "manifest.jsonl").write_text(json.dumps({"path": "page.html.gz", "language": "fr"}) + "\n", encoding="utf-8")
    build(raw_dir, tmp_path / "out", workers=1)
    row = _rows(tmp_path / "out")[0]
    assert row["title"] == "Le Sénat adopte la réforme des retraites"
    assert str(row["published"]) == "2023-03-12" and row["authors"] == ["Claire Dubois"]
    assert row["provenance"]["extractor"]["name"] == "trafilatura"
    assert "195 voix contre 112" in row["text"] and "tracker" not in row["text"] and "Accueil" not in row["text"]
    assert "cookies" not in row["text"]
    assert validate(tmp_path / "out", raw_dir).ok


def test_warc_records_become_articles(raw_dir, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body in (("https://www.lemonde.fr/politique/article/2023/03/12/x.html", PAGE.encode()),
                      ("https://example.org/style.css", b"body{}")):
        ctype = "text/html; charset=utf-8" if url.endswith(".html") else "text/css"
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2023-03-12T10:00:00Z"})
        writer.write_record(record)
    (raw_dir / "crawl.warc.gz").write_bytes(buf.getvalue())
    build(raw_dir, tmp_path / "out", workers=1)
    rows = _rows(tmp_path / "out")
    assert len(rows) == 1  # the stylesheet is not an article
    row = rows[0]
    assert row["outlet"]["id"] == "le-monde" and row["provenance"]["outlet_source"] == "url"
    assert row["provenance"]["retrieved_at"] == "2023-03-12T10:00:00Z"
    assert row["provenance"]["source_format"] == "warc" and row["provenance"]["source_path"].startswith("crawl.warc.gz#")
    assert validate(tmp_path / "out", raw_dir).ok


def test_broken_containers_are_rejected_with_reasons(raw_dir):
    (raw_dir / "bad.html.gz").write_bytes(b"not gzip at all")
    (raw_dir / "bad.warc.gz").write_bytes(b"not a warc")
    (raw_dir / "empty.jsonl").write_bytes(b"\n\n")
    reasons = {i.path: i.reason for i in read_folder(raw_dir) if isinstance(i, Rejected)}
    assert "not a valid gzip file" in reasons["bad.html.gz"]
    assert "WARC" in reasons["bad.warc.gz"]
    assert reasons["empty.jsonl"] == "empty file"
