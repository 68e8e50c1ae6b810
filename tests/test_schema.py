"""The JSON Schema is the single source of truth: Arrow and Features derive from it."""
import json

import pyarrow as pa

from corpus import schema
from conftest import ROOT


def test_the_packaged_schema_is_the_repository_schema():
    assert schema.json_schema() == json.loads((ROOT / "schema" / "article.schema.json").read_text(encoding="utf-8"))


def test_every_spec_field_is_a_column_in_order():
    spec_fields = ["id", "url", "outlet", "language", "language_confidence", "title", "published", "published_source", "authors",
                   "text", "blocks", "entities", "quotes", "topics", "duplicate_of", "near_duplicate_cluster", "provenance"]
    assert schema.arrow_schema().names == spec_fields


def test_types_are_derived_from_json_schema():
    s = schema.arrow_schema()
    assert s.field("published").type == pa.date32()
    assert s.field("blocks").type.value_type.field("source_start").type == pa.int64()
    assert s.field("entities").type.value_type.field("confidence").type == pa.float64()
    prov = s.field("provenance").type
    assert prov.field("annotators").type.value_type.names == ["task", "name", "version", "model", "status", "reason"]


def test_features_round_trip_to_the_same_arrow_schema():
    feats = schema.features(schema.arrow_schema())
    assert feats.arrow_schema.remove_metadata().equals(schema.arrow_schema())
    yaml_list = feats._to_yaml_list()
    blocks = next(f for f in yaml_list if f["name"] == "blocks")
    assert "list" in blocks  # a list of structs, not a legacy `sequence` (a struct of lists)


def test_mentions_schema_is_derived_from_the_entity_item():
    item = schema.json_schema()["properties"]["entities"]["items"]["properties"]
    names = schema.mention_arrow_schema().names
    assert names[:2] == ["article_id", "outlet_id"]
    assert names[2:] == [("mention_id" if k == "id" else k) for k in item]


def test_a_change_to_the_json_schema_changes_the_arrow_schema(monkeypatch):
    node = json.loads(json.dumps(schema.json_schema()))
    node["properties"]["extra"] = {"type": ["integer", "null"]}
    assert schema.to_arrow(node).field("extra").type == pa.int64()
