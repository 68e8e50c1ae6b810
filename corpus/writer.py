"""Deterministic Parquet and atomic publication of the dataset folder.

Same rows → same bytes: rows are sorted by id, tables are written from one
contiguous chunk with fixed options, and the Hugging Face features go into the
schema metadata. The folder is assembled beside the target and swapped in, so a
crash never leaves a half-written dataset where a good one was.
"""
from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema

ROWS_PER_SHARD = 10_000    # ~50-100 MB of articles: what the Hub's viewer and pandas handle well
ROW_GROUP_SIZE = 1_000     # lets readers skip and stream without loading a whole shard
PARQUET_OPTIONS = dict(compression="zstd", compression_level=3, row_group_size=ROW_GROUP_SIZE,
                       use_dictionary=True, write_statistics=True, data_page_version="2.0")
SPLIT = "train"


def mention_rows(articles: list[dict]) -> list[dict]:
    """The flat ``mentions`` config: one row per entity mention, with its article's id and outlet."""
    out = []
    for a in articles:
        for m in a["entities"]:
            row = {"article_id": a["id"], "outlet_id": a["outlet"]["id"]}
            row.update({("mention_id" if k == "id" else k): v for k, v in m.items()})
            out.append(row)
    return out


def write_table(rows: list[dict], arrow_schema: pa.Schema, path: Path) -> None:
    features = schema.features(arrow_schema)
    table = pa.Table.from_pylist(rows, schema=features.arrow_schema).combine_chunks()
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_config(rows: list[dict], arrow_schema: pa.Schema, folder: Path) -> list[str]:
    """Shards of at most ROWS_PER_SHARD rows; none when there are no rows (an empty shard breaks loading)."""
    if not rows:
        return []
    folder.mkdir(parents=True)
    n = math.ceil(len(rows) / ROWS_PER_SHARD)
    names = []
    for i in range(n):
        name = f"{SPLIT}-{i:05d}-of-{n:05d}.parquet"
        write_table(rows[i * ROWS_PER_SHARD:(i + 1) * ROWS_PER_SHARD], arrow_schema, folder / name)
        names.append(name)
    return names


def _tmp_and_backup(out: Path) -> tuple[Path, Path]:
    return out.with_name(f".{out.name}.tmp"), out.with_name(f".{out.name}.old")


def recover(out: str | os.PathLike) -> None:
    """Finish or undo a publication that a crash interrupted."""
    out = Path(out)
    tmp, backup = _tmp_and_backup(out)
    if backup.exists() and not out.exists():
        backup.rename(out)      # crashed between the two renames: put the old dataset back
    if backup.exists():
        shutil.rmtree(backup)   # crashed after the swap, before clean-up
    if tmp.exists():
        shutil.rmtree(tmp)      # crashed while writing: the half-written folder goes


def publish(articles: list[dict], out: str | os.PathLike, write_extra) -> dict:
    """Write the configs into a temporary folder, let ``write_extra(tmp, shards)`` add the
    card and reports, then swap the folder in. Returns {config: [shard names]}."""
    out = Path(out)
    recover(out)
    tmp, backup = _tmp_and_backup(out)
    tmp.mkdir(parents=True)
    articles = sorted(articles, key=lambda r: r["id"])
    shards = {
        "articles": write_config(articles, schema.arrow_schema(), tmp / "articles"),
        "mentions": write_config(mention_rows(articles), schema.mention_arrow_schema(), tmp / "mentions"),
    }
    write_extra(tmp, shards)
    _fsync_tree(tmp)
    if out.exists():
        out.rename(backup)
    tmp.rename(out)
    if backup.exists():
        shutil.rmtree(backup)
    return shards


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
