"""The validator catches corruption and names the file, row and field."""
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus import schema, validate
from corpus.writer import write_table
from conftest import RAW, ROOT


def _rewrite(folder, change):
    """Apply ``change(rows)`` to the articles shard and write it back with the derived schema."""
    path = next((folder / "articles").glob("*.parquet"))
    rows = pq.read_table(path).to_pylist()
    change(rows)
    write_table(rows, schema.arrow_schema(), path)
    return path


def _errors(folder, raw=None):
    report = validate(folder, raw)
    assert not report.ok
    return "\n".join(report.errors)


def test_the_built_dataset_is_valid(built):
    report = validate(built, RAW)
    assert report.ok, report.errors
    assert report.articles == 1


ROW_CORRUPTIONS = [
    (lambda r: r[0]["blocks"][3].update(end=r[0]["blocks"][3]["end"] + 1), "row 0 (id "),
    (lambda r: r[0]["blocks"][3].update(end=r[0]["blocks"][3]["end"] + 1), "blocks[3]"),
    (lambda r: r[0].update(title="Un autre titre"), "title: differs from the text of the title block"),
    (lambda r: r[0].update(language="french"), "language: 'french' does not match"),
    (lambda r: r[0]["outlet"].update(ownership="owned"), "outlet.ownership: 'owned' is not one of"),
    (lambda r: r[0].update(text=r[0]["text"] + " "), "text: is not the blocks joined"),
    (lambda r: r[0]["entities"].append({"id": "x", "start": 0, "end": 7, "text": "Poutin", "label": "PER", "entity": "P",
                                        "wikidata_id": None, "confidence": 0.5, "annotator": "t@1"}), "entities["),
    (lambda r: r[0]["provenance"]["removed"].pop(), "non-blank source characters are neither kept nor removed"),
    (lambda r: r.append(dict(r[0])), "is also in"),
    (lambda r: r[0].update(duplicate_of=r[0]["id"]), "duplicate_of: an article cannot duplicate itself"),
    (lambda r: r[0].update(near_duplicate_cluster="0123456789abcdef"), "near_duplicate_cluster: '0123456789abcdef' is not the id"),
    (lambda r: r[0]["provenance"]["annotators"].append({"task": "x"}), ".name: None is not of type"),
    (lambda r: r[0]["blocks"].reverse(), "overlaps or is out of order"),
]
FILE_CORRUPTIONS = ["speaker entity", "column type", "dropped column", "truncated file", "source hash", "cluster across splits"]


def corruption_kinds() -> int:
    """How many kinds of corruption the validator is shown to catch (reported in DATASHEET.md)."""
    return len(ROW_CORRUPTIONS) - 1 + len(FILE_CORRUPTIONS)  # the first two entries are one corruption, two checks


@pytest.mark.parametrize("change, expected", ROW_CORRUPTIONS)
def test_corruptions_are_caught_naming_row_and_field(copy_of_built, change, expected):
    _rewrite(copy_of_built, change)
    assert expected in _errors(copy_of_built, RAW)


def test_a_quote_speaker_must_be_an_entity_of_the_row(copy_of_built):
    def add_quote(rows):
        text = rows[0]["text"]
        s = text.index("Un large")
        rows[0]["quotes"].append({"id": "q", "start": s, "end": s + 8, "text": "Un large", "kind": "direct",
                                  "speaker": None, "speaker_start": None, "speaker_end": None,
                                  "speaker_entity": "Personne", "cue": None, "cue_start": None, "cue_end": None,
                                  "confidence": 0.5, "annotator": "t@1"})
    _rewrite(copy_of_built, add_quote)
    assert "quotes[" in _errors(copy_of_built) and "speaker_entity: 'Personne'" in _errors(copy_of_built)


def test_a_changed_column_type_is_caught_even_though_load_dataset_would_cast_it(copy_of_built):
    path = next((copy_of_built / "articles").glob("*.parquet"))
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("language"), "language", pa.array([1], pa.int64()))
    pq.write_table(table, path)
    assert "column language is int64, expected string" in _errors(copy_of_built)


def test_a_dropped_column_is_caught(copy_of_built):
    path = next((copy_of_built / "articles").glob("*.parquet"))
    pq.write_table(pq.read_table(path).drop_columns(["published_source"]), path)
    assert "missing column published_source" in _errors(copy_of_built)


def test_a_truncated_file_is_caught(copy_of_built):
    path = next((copy_of_built / "articles").glob("*.parquet"))
    path.write_bytes(path.read_bytes()[:200])
    assert "cannot read Parquet" in _errors(copy_of_built)


def test_a_source_hash_that_does_not_match_the_raw_file_is_caught(copy_of_built):
    _rewrite(copy_of_built, lambda r: r[0]["provenance"].update(source_sha256="0" * 64))
    assert "provenance.source_sha256: does not match the raw file" in _errors(copy_of_built, RAW)


def test_a_cluster_split_across_splits_is_caught(copy_of_built):
    import shutil
    src = next((copy_of_built / "articles").glob("*.parquet"))
    rows = pq.read_table(src).to_pylist()
    twin = dict(rows[0], id="f" * 16, near_duplicate_cluster=rows[0]["id"])
    rows[0]["near_duplicate_cluster"] = rows[0]["id"]
    write_table([rows[0]], schema.arrow_schema(), src)
    other = "validation" if src.name.startswith("train") else "train"
    write_table([twin], schema.arrow_schema(), copy_of_built / "articles" / f"{other}-00000-of-00001.parquet")
    shutil.rmtree(copy_of_built / "articles_by_outlet"), shutil.rmtree(copy_of_built / "articles_by_date")
    assert "leaks across splits" in _errors(copy_of_built)


def test_the_cli_exits_non_zero_with_the_row_and_field(copy_of_built):
    _rewrite(copy_of_built, lambda r: r[0].update(title="X"))
    run = subprocess.run([sys.executable, "-m", "corpus.cli", "validate", str(copy_of_built)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert "articles/train-00000-of-00001.parquet row 0 (id " in run.stderr and "title:" in run.stderr


SCHEMA_BREAKS = [
    ("language", "french"), ("published", "2019-02-30"), ("published", "2019-2-3"), ("published", 20190203),
    ("language_confidence", "high"), ("language_confidence", 1.5), ("title", None), ("text", 3),
    ("entities", [{"id": "e0"}]), ("quotes", [{"id": "q0", "start": True}]), ("topics", [{"code": "medtop:1"}]),
    ("unexpected_field", 1), ("authors", ["A", 2]), ("near_duplicate_cluster", "xyz"),
]


@pytest.mark.parametrize("field, value", SCHEMA_BREAKS)
def test_the_compiled_gate_rejects_whatever_jsonschema_rejects(built, field, value):
    """The build checks rows with the compiled schema and asks jsonschema only for messages:
    the gate must never let through a row that jsonschema would reject."""
    import fastjsonschema

    checks = __import__("importlib").import_module("corpus.validate")
    row = pq.read_table(next((built / "articles").glob("*.parquet"))).to_pylist()[0]
    assert checks.schema_errors(row) == []
    row[field] = value
    messages = checks.schema_errors(row)
    assert messages and field in messages[0], messages
    with pytest.raises(fastjsonschema.JsonSchemaException):
        checks._gate("articles")(schema.to_json_value(row))
