"""The text-free (standoff) release: no publisher text in it, and an exact rebuild from the raw files."""
import copy
import filecmp
import gzip
import json
import shutil

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus import build, schema, standoff
from corpus.validate import row_errors, validate_dataset
from corpus.writer import mention_rows, write_table
from conftest import GOLD, RAW, ROOT

WINDOW = 30


# --- datasets ----------------------------------------------------------------------------------

def _gold_raw(folder):
    """data/gold's raw files with a manifest (language, url, date, licence from each gold file)."""
    folder.mkdir()
    lines = []
    for gold in sorted(GOLD.glob("*.gold.json")):
        g = json.loads(gold.read_text(encoding="utf-8"))
        shutil.copy(GOLD / g["raw_file"], folder / g["raw_file"])
        meta = g["metadata"]
        entry = {"path": g["raw_file"], "language": meta.get("language") or "fr"}
        entry.update({k: meta[k] for k in ("url", "published", "license") if meta.get(k)})
        lines.append(json.dumps(entry, ensure_ascii=False))
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _with_gold_annotations(row, gold):
    """The row with the gold entities, quotes and topics, mapped from source to text offsets."""
    def to_text(s, e):
        b = next((b for b in row["blocks"] if b["source_start"] <= s and e <= b["source_end"]), None)
        return None if b is None else (s - b["source_start"] + b["start"], e - b["source_start"] + b["start"])

    row = copy.deepcopy(row)
    text = row["text"]
    row["entities"] = []
    for e in gold["entities"]:
        span = to_text(e["start"], e["end"])
        if span:
            row["entities"].append({"id": f"e{len(row['entities'])}", "start": span[0], "end": span[1],
                                    "text": text[span[0]:span[1]], "label": e["label"], "entity": e["text"],
                                    "wikidata_id": e.get("wikidata_id"), "confidence": 1.0, "annotator": "gold@1"})
    names = {m["entity"] for m in row["entities"]}
    row["quotes"] = []
    for q in gold["quotes"]:
        span = to_text(q["start"], q["end"])
        if not span:
            continue
        item = {"id": f"q{len(row['quotes'])}", "start": span[0], "end": span[1], "text": text[span[0]:span[1]],
                "kind": q["kind"], "speaker_entity": None, "confidence": 1.0, "annotator": "gold@1"}
        for part in ("speaker", "cue"):
            sub = to_text(q[part]["start"], q[part]["end"]) if q.get(part) else None
            item.update({part: text[sub[0]:sub[1]] if sub else None, f"{part}_start": sub and sub[0],
                         f"{part}_end": sub and sub[1]})
        if q.get("speaker") and q["speaker"].get("refers_to") in names:
            item["speaker_entity"] = q["speaker"]["refers_to"]
        row["quotes"].append({k: item[k] for k in schema.json_schema()["properties"]["quotes"]["items"]["properties"]})
    codes = gold["topics"]["required"] if isinstance(gold.get("topics"), dict) else ["medtop:11000000"]
    row["topics"] = [{"code": c, "label": c, "score": 1.0, "annotator": "gold@1"} for c in codes]
    return row


@pytest.fixture(scope="session")
def gold_built(tmp_path_factory):
    """data/gold built, then given the gold annotations (entities, quotes with speakers and cues)."""
    base = tmp_path_factory.mktemp("gold")
    raw = _gold_raw(base / "raw")
    out = base / "dataset"
    report = build(raw, out, workers=1, cache=False)
    assert report["articles"] == len(list(GOLD.glob("*.gold.json"))), report["rejected"]
    golds = {json.loads(g.read_text(encoding="utf-8"))["raw_sha256"]: json.loads(g.read_text(encoding="utf-8"))
             for g in GOLD.glob("*.gold.json")}
    annotated = {}
    for config in standoff.configs(out):
        if config == standoff.MENTIONS:
            continue
        for path in sorted((out / config).glob("*.parquet")):  # every config holds every article: same rows
            rows = [annotated.setdefault(r["id"], _with_gold_annotations(r, golds[r["provenance"]["source_sha256"]]))
                    for r in pq.read_table(path).to_pylist()]
            write_table(rows, schema.arrow_schema(), path)
    rows = [annotated[i] for i in sorted(annotated)]
    for r in rows:
        assert not row_errors(r), (r["id"], row_errors(r))
    shutil.rmtree(out / "mentions", ignore_errors=True)
    write_table([m for r in rows for m in mention_rows(r)], schema.mention_arrow_schema(),
                out / "mentions" / f"{standoff.MENTION_SPLIT}-00000-of-00001.parquet")
    assert sum(len(r["quotes"]) for r in rows) > 50 and sum(len(r["entities"]) for r in rows) > 200
    assert any(q["speaker"] and q["cue"] for r in rows for q in r["quotes"])
    report = validate_dataset(out, raw)
    assert report.ok, report.errors
    return out, raw


@pytest.fixture(scope="session")
def gold_standoff(gold_built, tmp_path_factory):
    """The standoff release of gold_built (read-only for tests: copy before changing)."""
    out = tmp_path_factory.mktemp("gold-standoff") / "standoff"
    standoff.write_standoff(gold_built[0], out)
    return out


@pytest.fixture(scope="session")
def formats_built(tmp_path_factory):
    """JSONL (several articles a file, one repaired by ftfy) and HTML (extracted text) sources."""
    base = tmp_path_factory.mktemp("formats")
    raw = base / "raw"
    raw.mkdir()
    lines = [{"outlet": "Le Point", "url": "https://www.lepoint.fr/politique/a-16-02-2019-1_20.php", "date": "16-02-2019",
              "title": "Les gilets jaunes manifestent", "text": "Les gilets jaunes manifestent\nDes milliers de personnes "
              "ont défilé samedi dans les rues de Paris.\nLa préfecture a compté 5 000 manifestants."},
             {"outlet": "Le Point", "title": "Un titre absent du texte", "text": "Le texte commence ici, au milieu "
              "d'une phrase assez longue.\nEt continue là."},
             {"outlet": "Le Point", "text": "Ã‰tÃ© chaud Ã  Paris\nLa canicule s'installe pour toute la semaine."}]
    (raw / "a.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    page = ("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Le Sénat adopte la réforme</title>"
            "<meta property=\"og:title\" content=\"Le Sénat adopte la réforme\"></head><body><nav><a href=\"/\">Accueil</a>"
            "</nav><article><h1>Le Sénat adopte la réforme</h1><p>Le Sénat a adopté dans la nuit de samedi à dimanche "
            "le projet de réforme des retraites, par 195 voix contre 112.</p><p>Les syndicats appellent à une nouvelle "
            "journée de mobilisation mardi dans toute la France, de Paris à Marseille.</p></article>"
            "<footer>Ce site utilise des cookies. Tout accepter</footer></body></html>")
    (raw / "page.html.gz").write_bytes(gzip.compress(page.encode("utf-8"), mtime=0))
    (raw / "manifest.jsonl").write_text(json.dumps({"path": "page.html.gz", "language": "fr"}) + "\n", encoding="utf-8")
    out = base / "dataset"
    assert build(raw, out, workers=1, cache=False)["articles"] == 4
    return out, raw


def _parquet_files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))


def _round_trip(dataset, raw, tmp_path):
    so, back = tmp_path / "standoff", tmp_path / "rehydrated"
    standoff.write_standoff(dataset, so)
    report = standoff.rehydrate_dataset(so, raw, back)
    return so, back, report


# --- the schema --------------------------------------------------------------------------------

def test_the_standoff_schema_is_the_contract_without_text():
    full, so = schema.json_schema()["properties"], standoff.standoff_json_schema()["properties"]
    assert list(so) == [{"text": "text_sha256", "title": "title_sha256"}.get(k, k) for k in full]
    assert so["blocks"] == full["blocks"] and so["provenance"] == full["provenance"]
    assert list(so["entities"]["items"]["properties"]) == [k for k in full["entities"]["items"]["properties"] if k != "text"]
    assert list(so["quotes"]["items"]["properties"]) == [
        k for k in full["quotes"]["items"]["properties"] if k not in ("text", "speaker", "cue")]
    assert "text_sha256" in standoff.standoff_json_schema()["required"]
    assert standoff.standoff_arrow_schema() == schema.to_arrow(standoff.standoff_json_schema())
    assert "text" not in standoff.standoff_mention_arrow_schema().names
    assert standoff.standoff_mention_arrow_schema().names == [n for n in schema.mention_arrow_schema().names if n != "text"]
    assert standoff.unclassified_fields() == []


def test_the_docs_say_what_happens_to_every_string_field():
    doc = (ROOT / "docs" / "standoff.md").read_text(encoding="utf-8")
    for path in [*standoff.HASHED, *standoff.SPANS, *standoff.KEPT]:
        assert f"`{standoff.dotted(path)}`" in doc, standoff.dotted(path)


def test_a_new_string_field_in_the_contract_must_be_classified(monkeypatch):
    grown = copy.deepcopy(schema.json_schema())
    grown["properties"]["subtitle"] = {"type": "string"}
    monkeypatch.setattr(schema, "json_schema", lambda: grown)
    standoff.standoff_json_schema.cache_clear()
    try:
        assert standoff.unclassified_fields() == ["subtitle"]
        with pytest.raises(standoff.StandoffError, match="subtitle"):
            standoff.standoff_json_schema()
    finally:
        monkeypatch.undo()
        standoff.standoff_json_schema.cache_clear()


def test_a_row_whose_speaker_is_not_a_slice_of_the_text_is_refused(gold_built):
    dataset, _ = gold_built
    row = next(r for r in pq.read_table(dataset / "articles").to_pylist() if any(q["speaker"] for q in r["quotes"]))
    q = next(q for q in row["quotes"] if q["speaker"])
    q["speaker_start"] = q["speaker_end"] = None
    with pytest.raises(standoff.StandoffError, match=rf"article {row['id']}: quotes\[\d+\]\.speaker"):
        standoff.to_standoff(row)


# --- round trips -------------------------------------------------------------------------------

def _assert_identical(original, rehydrated):
    assert _parquet_files(original) == _parquet_files(rehydrated)
    for name in _parquet_files(original):
        assert filecmp.cmp(original / name, rehydrated / name, shallow=False), f"{name} differs"


def test_round_trip_of_data_raw_is_byte_identical(built, tmp_path):
    so, back, report = _round_trip(built, RAW, tmp_path)
    assert report["failed"] == [] and report["articles"] == 1
    assert _parquet_files(so) == _parquet_files(built)  # same sharding
    _assert_identical(built, back)
    for name in ["README.md", *(p.name for p in built.glob("*.png"))]:  # the card and its plots
        assert (back / name).read_bytes() == (built / name).read_bytes(), name
    from corpus.croissant import FILENAME, write_croissant

    original = tmp_path / "original"
    shutil.copytree(built, original)
    write_croissant(original)
    assert (back / FILENAME).read_bytes() == (original / FILENAME).read_bytes()
    assert validate_dataset(back, RAW).ok


def test_round_trip_with_entities_quotes_speakers_and_cues(gold_built, gold_standoff, tmp_path):
    dataset, raw = gold_built
    report = standoff.rehydrate_dataset(gold_standoff, raw, tmp_path / "rehydrated")
    assert report["failed"] == [] and report["articles"] == len(list(GOLD.glob("*.gold.json")))
    assert _parquet_files(gold_standoff) == _parquet_files(dataset)  # same configs, splits and shards
    _assert_identical(dataset, tmp_path / "rehydrated")
    result = validate_dataset(tmp_path / "rehydrated", raw)
    assert result.ok, result.errors
    rows = pq.read_table(gold_standoff / "articles").to_pylist()
    assert all(set(q) >= {"speaker_start", "cue_start"} and "speaker" not in q for r in rows for q in r["quotes"])


def test_round_trip_of_jsonl_and_html_sources(formats_built, tmp_path):
    dataset, raw = formats_built
    _, back, report = _round_trip(dataset, raw, tmp_path)
    assert report["failed"] == []
    _assert_identical(dataset, back)
    paths = {r["provenance"]["source_path"] for r in pq.read_table(back / "articles").to_pylist()}
    assert {"a.jsonl#1", "a.jsonl#3", "page.html.gz"} <= paths


def test_the_standoff_folder_is_deterministic_and_its_rows_match_the_standoff_schema(gold_built, gold_standoff, tmp_path):
    import jsonschema

    standoff.write_standoff(gold_built[0], tmp_path / "again")
    files = sorted(p.relative_to(gold_standoff) for p in gold_standoff.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    for f in files:
        assert (gold_standoff / f).read_bytes() == (tmp_path / "again" / f).read_bytes(), f
    check = jsonschema.Draft202012Validator(standoff.standoff_json_schema(), format_checker=jsonschema.FormatChecker())
    for row in pq.read_table(gold_standoff / "articles").to_pylist():
        assert not list(check.iter_errors(schema.to_json_value(row)))
    with pytest.raises(ValueError, match="is the input folder"):
        standoff.write_standoff(tmp_path / "again", tmp_path / "again")


def test_rehydrate_one_row_equals_the_original_row(gold_built):
    dataset, raw = gold_built
    for row in pq.read_table(dataset / "articles").to_pylist():
        so = standoff.to_standoff(row)
        assert "text" not in so and "title" not in so
        assert so["text_sha256"] == standoff.sha256_text(row["text"])
        back = standoff.rehydrate(so, raw)
        assert back == row and list(back) == list(row)
        assert [list(q) for q in back["quotes"]] == [list(q) for q in row["quotes"]]


# --- no publisher text -------------------------------------------------------------------------

def _haystack(folder) -> str:
    """Everything in the folder as text: raw bytes of every file, and every Parquet value decoded."""
    parts = []
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts.append(f.read_bytes().decode("utf-8", errors="replace"))
        if f.suffix == ".parquet":
            parts.append(json.dumps(pq.read_table(f).to_pylist(), ensure_ascii=False, default=str))
            parts.append(json.dumps(pq.read_metadata(f).to_dict(), ensure_ascii=False, default=str))
    return "\n".join(parts)


def _windows(row):
    text = row["text"]
    return [text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)]


@pytest.mark.parametrize("which", ["built", "gold_built", "formats_built"])
def test_no_publisher_text_in_the_standoff_folder(which, request, tmp_path):
    dataset = request.getfixturevalue(which)
    dataset = dataset[0] if isinstance(dataset, tuple) else dataset
    if which == "gold_built":
        so = request.getfixturevalue("gold_standoff")
    else:
        so = tmp_path / "standoff"
        standoff.write_standoff(dataset, so)
    rows = pq.read_table(dataset / "articles").to_pylist()
    hay = _haystack(so)
    names = {m["entity"] for r in rows for m in r["entities"]}  # kept on purpose: names of things
    for name in sorted(names, key=len, reverse=True):
        hay = hay.replace(name, "\0")
    seen = {hay[i:i + WINDOW] for i in range(len(hay) - WINDOW + 1)}
    for row in rows:
        leaks = [w for w in _windows(row) if w in seen]
        assert not leaks, f"article {row['id']}: {leaks[:3]}"
        assert row["title"] not in hay
        for q in row["quotes"]:
            assert q["text"] not in hay or len(q["text"]) < 12
    # the full dataset does contain them: the check can see text when it is there
    full = _haystack(dataset)
    assert any(w in full for w in _windows(rows[0]))


# --- failures ----------------------------------------------------------------------------------

def test_a_tampered_or_missing_raw_file_fails_for_that_article_only(gold_built, gold_standoff, tmp_path):
    dataset, raw = gold_built
    mine = tmp_path / "raw"
    shutil.copytree(raw, mine)
    rows = {r["id"]: r for r in pq.read_table(dataset / "articles").to_pylist()}
    tampered, missing = sorted(rows)[1], sorted(rows)[4]
    t_file, m_file = rows[tampered]["provenance"]["source_path"], rows[missing]["provenance"]["source_path"]
    (mine / t_file).write_bytes((mine / t_file).read_bytes().replace(b"e", b"\xc3\xa9", 1))
    (mine / m_file).unlink()
    so = gold_standoff

    so_rows = {r["id"]: r for r in pq.read_table(so / "articles").to_pylist()}
    with pytest.raises(standoff.RehydrationError, match=rf"article {tampered} \({t_file}\): the raw file has different bytes"):
        standoff.rehydrate(so_rows[tampered], mine)
    with pytest.raises(standoff.RehydrationError, match=rf"article {missing} \({m_file}\): the raw file is missing"):
        standoff.rehydrate(so_rows[missing], mine)

    report = standoff.rehydrate_dataset(so, mine, tmp_path / "back")
    assert [(f["id"], f["path"]) for f in report["failed"]] == sorted([(tampered, t_file), (missing, m_file)])
    assert report["articles"] == len(rows) - 2
    back = {r["id"]: r for r in pq.read_table(tmp_path / "back" / "articles").to_pylist()}
    assert set(back) == set(rows) - {tampered, missing}
    assert all(back[i] == rows[i] for i in back)
    assert json.loads((tmp_path / "back" / standoff.REHYDRATE_REPORT).read_text())["failed"] == report["failed"]


def test_text_that_no_longer_matches_its_hash_is_an_error(built, tmp_path):
    so = tmp_path / "standoff"
    standoff.write_standoff(built, so)
    row = pq.read_table(so / "articles").to_pylist()[0]
    row["blocks"][2]["source_start"] += 1
    row["blocks"][2]["source_end"] += 1
    with pytest.raises(standoff.RehydrationError, match="does not match text_sha256"):
        standoff.rehydrate(row, RAW)


def test_nothing_to_rehydrate_publishes_nothing(built, tmp_path):
    so = tmp_path / "standoff"
    standoff.write_standoff(built, so)
    (tmp_path / "empty").mkdir()
    with pytest.raises(RuntimeError, match="no article could be rehydrated"):
        standoff.rehydrate_dataset(so, tmp_path / "empty", tmp_path / "back")
    assert not (tmp_path / "back").exists()


# --- loading and the command line --------------------------------------------------------------

def test_the_standoff_folder_loads_with_load_dataset(built, tmp_path):
    from datasets import load_dataset

    so = tmp_path / "standoff"
    standoff.write_standoff(built, so)
    ds = load_dataset(str(so), split="train", cache_dir=str(tmp_path / "c"))
    assert ds.features == schema.features(standoff.standoff_arrow_schema())
    row = ds[0]
    assert len(row["text_sha256"]) == 64 and "text" not in row
    assert (so / "croissant.json").exists() and (so / standoff.REPORT).exists()


def test_commands(gold_built, tmp_path):
    dataset, raw = gold_built
    runner = CliRunner()
    result = runner.invoke(standoff.standoff_command, [str(dataset), "--out", str(tmp_path / "so")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(standoff.rehydrate_command, [str(tmp_path / "so"), "--raw", str(raw), "--out", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    assert f"rehydrated {len(list(GOLD.glob('*.gold.json')))} articles" in result.output
    mine = tmp_path / "raw"
    shutil.copytree(raw, mine)
    victim = sorted(mine.glob("1*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + b" ")
    result = runner.invoke(standoff.rehydrate_command, [str(tmp_path / "so"), "--raw", str(mine), "--out", str(tmp_path / "b2")])
    assert result.exit_code == 1
    assert f"({victim.name}): the raw file has different bytes" in result.output
    assert f"rehydrated {len(list(GOLD.glob('*.gold.json'))) - 1} articles" in result.output and "1 failed" in result.output
