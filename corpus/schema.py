"""The data contract, read once from ``schema/article.schema.json``.

Everything else derives from the JSON Schema here: the Arrow schema that the
writer and the validator use, the Hugging Face ``Features`` declared in the
dataset card, and the flat ``mentions`` table. Nothing else spells out a type.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources

import pyarrow as pa

@lru_cache(maxsize=1)
def json_schema() -> dict:
    # corpus/article.schema.json is a symlink to schema/article.schema.json, so a
    # checkout reads the repository file and a wheel carries a copy of it.
    return json.loads(resources.files("corpus").joinpath("article.schema.json").read_text(encoding="utf-8"))


def contract_version() -> str:
    return json_schema()["x-contract-version"]


def _nullable(node: dict) -> bool:
    t = node.get("type")
    return isinstance(t, list) and "null" in t


def _base_type(node: dict) -> str:
    t = node.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        if len(rest) != 1:
            raise ValueError(f"cannot map union type {t} to Arrow")
        return rest[0]
    return t


def _arrow_type(node: dict) -> pa.DataType:
    base = _base_type(node)
    if base == "object":
        return pa.struct([_arrow_field(name, sub, name in node.get("required", []))
                          for name, sub in node["properties"].items()])
    if base == "array":
        return pa.list_(_arrow_type(node["items"]))
    if base == "string":
        return pa.date32() if node.get("format") == "date" else pa.string()
    if base == "integer":
        return pa.int64()
    if base == "number":
        return pa.float64()
    if base == "boolean":
        return pa.bool_()
    raise ValueError(f"no Arrow mapping for JSON Schema type {base!r}")


def _arrow_field(name: str, node: dict, required: bool) -> pa.Field:
    # Arrow nullability is informative only (Hugging Face writes every field
    # nullable); the JSON Schema is what enforces required/non-null.
    return pa.field(name, _arrow_type(node))


def to_arrow(node: dict) -> pa.Schema:
    """The Arrow schema of a JSON Schema object node (property order is column order)."""
    return pa.schema([_arrow_field(n, sub, True) for n, sub in node["properties"].items()])


@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """Arrow schema of an article row, without metadata."""
    return to_arrow(json_schema())


@lru_cache(maxsize=1)
def mention_json_schema() -> dict:
    """Schema of the flat ``mentions`` config: one row per entity mention.

    Derived from the article schema's entity item, prefixed with the article's id
    and outlet so that pandas users need no join for the common questions.
    """
    art = json_schema()["properties"]
    item = art["entities"]["items"]
    props = {"article_id": art["id"], "outlet_id": art["outlet"]["properties"]["id"]}
    props.update({("mention_id" if k == "id" else k): v for k, v in item["properties"].items()})
    required = ["article_id", "outlet_id"] + [("mention_id" if k == "id" else k) for k in item["required"]]
    return {"type": "object", "additionalProperties": False, "required": required, "properties": props}


@lru_cache(maxsize=1)
def mention_arrow_schema() -> pa.Schema:
    return to_arrow(mention_json_schema())


def features(schema: pa.Schema):
    """Hugging Face ``Features`` for an Arrow schema (imported lazily: datasets is slow to import)."""
    from datasets import Features

    return Features.from_arrow_schema(schema)


def to_json_value(value):
    """A row as JSON Schema sees it: dates as ISO strings, the rest unchanged."""
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
