"""croissant.json: valid Croissant 1.1 with the RAI fields, and the records load from the Parquet (mlcroissant, offline)."""
import datetime as dt
import json
import logging
import shutil

import mlcroissant as mlc  # test extra: mlcroissant==1.1.1
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpus import croissant, standoff
from test_standoff import formats_built, gold_built, gold_standoff  # noqa: F401  (session fixtures)

RAI = ["rai:dataCollection", "rai:dataCollectionType", "rai:dataCollectionRawData", "rai:dataCollectionMissingData",
       "rai:dataPreprocessingProtocol", "rai:dataManipulationProtocol", "rai:dataImputationProtocol",
       "rai:dataAnnotationProtocol", "rai:dataAnnotationPlatform", "rai:dataAnnotationAnalysis",
       "rai:annotationsPerItem", "rai:annotatorDemographics", "rai:machineAnnotationTools", "rai:dataBiases",
       "rai:dataLimitations", "rai:dataUseCases", "rai:dataSocialImpact", "rai:personalSensitiveInformation",
       "rai:dataReleaseMaintenancePlan"]
EXPECTED_WARNINGS = {"datePublished"}  # no date goes into the files: builds are reproducible


def _validated(folder, caplog):
    """What `mlcroissant validate --jsonld folder/croissant.json` does (mlc.Dataset), and its warnings."""
    path = croissant.write_croissant(folder)
    with caplog.at_level(logging.WARNING):
        ds = mlc.Dataset(str(path))  # raises mlc.ValidationError on any error
    assert "not standard" not in caplog.text  # our @context is Croissant 1.1's
    warnings = ds.metadata.ctx.issues.warnings
    assert all(any(w in str(x) for w in EXPECTED_WARNINGS) for x in warnings), warnings
    return ds, json.loads(path.read_text(encoding="utf-8"))


def _leaf_paths(t: pa.DataType, path):
    if pa.types.is_list(t):
        t = t.value_type
    if pa.types.is_struct(t):
        return [p for i in range(t.num_fields) for p in _leaf_paths(t.field(i).type, [*path, t.field(i).name])]
    return [path]


def _expected(value, path):
    """The Parquet value at a field path; a list maps the rest of the path over its items."""
    if not path:
        return value
    if isinstance(value, list):
        return [_expected(v, path) for v in value]
    return None if value is None else _expected(value[path[0]], path[1:])


def _found(record, field_id):
    """The value mlcroissant gives a field, wherever it nests it in the record."""
    if field_id in record:
        return record[field_id]
    for key in sorted(record, key=len, reverse=True):
        if field_id.startswith(key + "/"):
            value = record[key]
            if isinstance(value, dict):
                return _found(value, field_id)
            if isinstance(value, list):
                return [_found(v, field_id) for v in value]
    raise KeyError(field_id)


def _plain(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_plain(x) for x in v]
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp from sc:Date
        return v.to_pydatetime().date()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _check_records(ds, folder, config, n=None):
    """Load the config's records with mlcroissant and compare every field of (the first ``n``) rows of each
    shard with the Parquet values; returns how many values were compared."""
    keys = ["article_id", "mention_id"] if config == "mentions" else ["id"]
    records = {}
    for record in ds.records(config):
        records[tuple(_plain(record[f"{config}/{k}"]) for k in keys)] = record
    checked = 0
    for f in sorted((folder / config).glob("*.parquet")):
        arrow = pq.read_schema(f).remove_metadata()
        rows = pq.read_table(f).to_pylist()
        assert len([1 for r in rows if tuple(r[k] for k in keys) in records]) == len(rows)
        for row in rows[:n]:
            record = records[tuple(row[k] for k in keys)]
            assert _plain(record[f"{config}/split"]) == f.name.split("-")[0]
            for field in arrow:
                for path in _leaf_paths(field.type, [field.name]):
                    got, want = _plain(_found(record, "/".join([config, *path]))), _expected(row, path)
                    assert got == want, ("/".join(path), got, want)
                    checked += _count(want)
    return checked


def _count(v):
    """How many scalar values a (nested) value holds: what a check compared."""
    return sum(_count(x) for x in v) if isinstance(v, list) else 1


def test_croissant_of_the_seed_validates_and_its_records_load(built, tmp_path, caplog):
    folder = tmp_path / "dataset"
    shutil.copytree(built, folder)
    ds, doc = _validated(folder, caplog)
    assert _check_records(ds, folder, "articles") > 50
    assert _check_records(ds, folder, "articles_by_date") > 50


def test_croissant_with_entities_quotes_and_mentions(gold_built, tmp_path, caplog):
    folder = tmp_path / "dataset"
    shutil.copytree(gold_built[0], folder)
    ds, doc = _validated(folder, caplog)
    configs = standoff.configs(folder)
    assert configs == ["articles", "articles_by_outlet", "articles_by_date", "mentions"]
    for config in configs:
        assert _check_records(ds, folder, config, n=3 if config != "mentions" else 20) > 100
    assert [rs["@id"] for rs in doc["recordSet"]] == ["splits", *configs]
    article_id = next(f for f in doc["recordSet"][-1]["field"] if f["name"] == "article_id")
    assert article_id["references"] == {"field": {"@id": "articles/id"}}
    assert [d["includes"] for d in doc["distribution"]] == [f"{c}/*.parquet" for c in configs]
    assert [d["splits/name"] for d in doc["recordSet"][0]["data"]] == ["train", "validation", "test", "undated", "full"]


def test_the_document_describes_every_column_and_nested_field(gold_built):
    doc = croissant.croissant(gold_built[0])
    for rs in doc["recordSet"][1:]:
        arrow = pq.read_schema(next((gold_built[0] / rs["@id"]).glob("*.parquet"))).remove_metadata()
        ids = set()

        def walk(fields):
            for f in fields:
                ids.add(f["@id"])
                walk(f.get("subField", []))

        walk(rs["field"])
        for f in arrow:
            for path in _leaf_paths(f.type, [f.name]):
                assert "/".join([rs["@id"], *path]) in ids
    blocks = next(f for f in doc["recordSet"][1]["field"] if f["name"] == "blocks")
    assert blocks["isArray"] and [s["name"] for s in blocks["subField"]] == ["type", "start", "end", "source_start", "source_end"]
    removed = next(s for f in doc["recordSet"][1]["field"] if f["name"] == "provenance" for s in f["subField"]
                   if s["name"] == "removed")
    assert removed["isArray"] and removed["subField"][0]["source"]["transform"] == [{"jsonPath": "removed"},
                                                                                   {"jsonPath": "source_start"}]


def test_responsible_ai_licence_and_citation(gold_built):
    doc = croissant.croissant(gold_built[0])
    for key in RAI:
        assert doc.get(key), key
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert croissant.MIT in doc["license"] and any(isinstance(x, dict) for x in doc["license"])
    assert doc["citeAs"].startswith("@misc{") and doc["name"] in doc["citeAs"]
    assert any("gold@1" in t for t in doc["rai:machineAnnotationTools"])
    assert "Wikinews" in " ".join(doc["rai:dataBiases"]) or "wikinews" in " ".join(doc["rai:dataBiases"]).lower()


def test_deterministic_sorted_and_without_timestamps(built, tmp_path):
    folder = tmp_path / "dataset"
    shutil.copytree(built, folder)
    first = croissant.write_croissant(folder).read_bytes()
    assert croissant.write_croissant(folder).read_bytes() == first
    text = first.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert dt.date.today().isoformat() not in text and "dateModified" not in text and "dateCreated" not in text


def test_croissant_of_a_standoff_release(gold_standoff, tmp_path, caplog):
    so = tmp_path / "standoff"
    shutil.copytree(gold_standoff, so)
    assert (so / "croissant.json").read_bytes() == croissant.dumps(croissant.croissant(so)).encode()
    ds, doc = _validated(so, caplog)
    for config in standoff.configs(so):
        assert _check_records(ds, so, config, n=3) >= 30
    ids = json.dumps(doc["recordSet"])
    assert "articles/text_sha256" in ids and '"articles/text"' not in ids and "articles/quotes/speaker_start" in ids
    assert doc["license"] == [croissant.MIT] and "standoff" in doc["name"]


def test_jsonl_and_html_sources(formats_built, tmp_path, caplog):
    folder = tmp_path / "dataset"
    shutil.copytree(formats_built[0], folder)
    ds, doc = _validated(folder, caplog)
    assert _check_records(ds, folder, "articles") > 100
    assert "html" in doc["rai:dataCollection"] and "jsonl" in doc["rai:dataCollection"]
