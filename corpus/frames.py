"""The published dataset as pandas DataFrames: articles, and flat tables of its annotations.

``articles()`` is one row per article with the nested columns as they are
stored. The flat tables have one row per annotation, each with the article's
id, outlet and publication date, so they join, filter and group without
unpacking lists:

=============  ==============================================================
``mentions``   one row per entity mention (the published ``mentions`` config, plus outlet name and date)
``entities``   one row per entity per article: entity, label, wikidata_id, mention_count
``quotes``     one row per quote: text, kind, speaker, speaker_entity (and its label and QID), cue
``topics``     one row per topic per article: code, label, score
=============  ==============================================================

Only the Parquet columns a table needs are read, shard by shard, and the
lists are flattened by Arrow (``list_flatten`` / ``list_parent_indices``)
before pandas sees them: no Python loop runs per row or per annotation.

Integer columns of the flat tables are pandas' nullable ``Int64`` (a quote's
``speaker_start`` is missing when it has no speaker); string columns are what
``to_pandas`` gives (pandas 3: ``str`` with NaN for missing; pandas 2:
``object`` with ``None``), so test missing values with ``isna()``;
``published`` is a ``datetime.date`` or ``None``, as in ``articles()``
(``pd.to_datetime(df.published)`` gives datetimes).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["load", "articles", "mentions", "entities", "quotes", "topics"]

DEFAULT = "data/dataset"

# Article-level columns repeated on every row of a flat table.
_CONTEXT = ["article_id", "outlet_id", "outlet_name", "published"]

_MENTION_FIELDS = ["id", "start", "end", "text", "label", "entity", "wikidata_id", "confidence", "annotator"]
_QUOTE_FIELDS = ["id", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end", "speaker_entity",
                 "cue", "cue_start", "cue_end", "confidence", "annotator"]
_TOPIC_FIELDS = ["code", "label", "score", "annotator"]


def _files(dataset: str | os.PathLike, config: str) -> list[Path]:
    folder = Path(dataset) / config
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet files under {folder}")
    return files


def _read(dataset: str | os.PathLike, columns: list[str] | None, config: str = "articles") -> pa.Table:
    """The shards of one config, only ``columns`` (all when None), as one table."""
    tables = [pq.read_table(f, columns=columns) for f in _files(dataset, config)]
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    ints = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype()}
    return table.to_pandas(types_mapper=ints.get)


def _none_for_missing(df: pd.DataFrame) -> pd.DataFrame:
    """Missing strings the way ``to_pandas`` gives them: ``None`` in object columns (pandas 2); pandas 3's
    ``str`` columns keep NaN. Groupby and left merges would otherwise leave NaN in object columns."""
    for c in df.columns:
        if df[c].dtype == object and c != "published":
            df[c] = df[c].where(df[c].notna(), None)
    return df


def load(dataset: str | os.PathLike = DEFAULT, config: str = "articles") -> pd.DataFrame:
    """All shards of one config (``articles`` or ``mentions``) as stored, one row per Parquet row."""
    if config == "articles":
        return articles(dataset)
    return _read(dataset, None, config).to_pandas()


def articles(dataset: str | os.PathLike = DEFAULT, columns: list[str] | None = None) -> pd.DataFrame:
    """One row per article, nested columns as stored (lists of dicts); ``columns`` reads only those."""
    return _read(dataset, columns).to_pandas()


def _flatten(table: pa.Table, column: str, fields: list[str], rename: dict[str, str] | None = None) -> pa.Table:
    """One row per item of the list<struct> ``column``, with the article context columns in front."""
    lists = table.column(column).combine_chunks()
    parents = pc.list_parent_indices(lists)
    items = pc.list_flatten(lists)
    outlet = table.column("outlet")
    context = {
        "article_id": table.column("id").take(parents),
        "outlet_id": pc.struct_field(outlet, "id").take(parents),
        "outlet_name": pc.struct_field(outlet, "name").take(parents),
        "published": table.column("published").take(parents),
    }
    rename = rename or {}
    data = {rename.get(f, f): pc.struct_field(items, f) for f in fields}
    return pa.table({**context, **data})


def _mention_table(table: pa.Table) -> pa.Table:
    return _flatten(table, "entities", _MENTION_FIELDS, {"id": "mention_id"})


def mentions(dataset: str | os.PathLike = DEFAULT) -> pd.DataFrame:
    """One row per entity mention: article context, mention_id, start, end, text, label, entity,
    wikidata_id, confidence, annotator. ``start``/``end`` index the article's ``text``."""
    return _to_pandas(_mention_table(_read(dataset, ["id", "outlet", "published", "entities"])))


def _group_entities(m: pd.DataFrame) -> pd.DataFrame:
    keys = ["article_id", "entity"]
    context = m[_CONTEXT].drop_duplicates("article_id")
    grouped = m.groupby(keys, sort=False)
    out = pd.DataFrame({
        "mention_count": grouped.size(),
        "first_start": grouped["start"].min(),
        # the entity's QID: that of its first linked mention (its mentions normally agree)
        "wikidata_id": grouped["wikidata_id"].first(),
    })
    # the label most of its mentions carry (ties: the label met first)
    labels = (m.groupby(keys + ["label"], sort=False).size().rename("n").reset_index()
              .sort_values("n", ascending=False, kind="stable").drop_duplicates(keys).set_index(keys)["label"])
    out = out.join(labels).reset_index().merge(context, on="article_id", how="left", validate="many_to_one")
    out = out.sort_values(["article_id", "first_start"], kind="stable").reset_index(drop=True)
    out = out.astype({"mention_count": "Int64", "first_start": "Int64"})
    return _none_for_missing(out[_CONTEXT + ["entity", "label", "wikidata_id", "mention_count", "first_start"]])


def entities(dataset: str | os.PathLike = DEFAULT) -> pd.DataFrame:
    """One row per entity per article (the mentions grouped by their ``entity``): article context,
    entity, label (the label most of its mentions carry), wikidata_id (its first linked mention's QID),
    mention_count, first_start (offset of its first mention). Ordered by article, then first mention."""
    return _group_entities(mentions(dataset))


def quotes(dataset: str | os.PathLike = DEFAULT) -> pd.DataFrame:
    """One row per quote: article context, quote_id, start, end, text, kind, speaker, speaker_start,
    speaker_end, speaker_entity, cue, cue_start, cue_end, confidence, annotator, plus speaker_label and
    speaker_wikidata_id: the label and QID of the entity ``speaker_entity`` names in that article (None
    when the quote has no attributed speaker or the speaker is not linked)."""
    table = _read(dataset, ["id", "outlet", "published", "entities", "quotes"])
    q = _to_pandas(_flatten(table, "quotes", _QUOTE_FIELDS, {"id": "quote_id"}))
    ents = _group_entities(_to_pandas(_mention_table(table)))
    speakers = ents[["article_id", "entity", "label", "wikidata_id"]].rename(
        columns={"entity": "speaker_entity", "label": "speaker_label", "wikidata_id": "speaker_wikidata_id"})
    # a left merge on (article, speaker_entity): one entity row per key, so rows and order are kept
    out = q.merge(speakers, on=["article_id", "speaker_entity"], how="left", validate="many_to_one")
    return _none_for_missing(out)


def topics(dataset: str | os.PathLike = DEFAULT) -> pd.DataFrame:
    """One row per topic per article: article context, code (IPTC ``medtop:``), label, score, annotator."""
    table = _read(dataset, ["id", "outlet", "published", "topics"])
    return _to_pandas(_flatten(table, "topics", _TOPIC_FIELDS))
