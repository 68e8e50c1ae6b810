"""Deterministic Parquet, written in bounded memory, and atomic publication.

Rows arrive in any order (parallel workers) and are spilled to 256 Arrow IPC
bucket files by the first two hex digits of their id, a content hash. Buckets
partition the id space in order, so reading them one by one and sorting each
gives all rows sorted by id without holding the corpus in memory. Shards are
consecutive runs of at most ROWS_PER_SHARD rows of that order: the same rows
always give the same files, and no shard is ever empty.

Publication assembles the folder beside the target and swaps it in with one
atomic exchange (renameat2 on Linux; elsewhere two renames that ``recover``
completes), so a crash never leaves a half-written dataset where a good one was.
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import shutil
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema

ROWS_PER_SHARD = 10_000    # ~50-100 MB of articles: what the Hub's viewer and pandas handle well
ROW_GROUP_SIZE = 1_000     # lets readers skip and stream without loading a whole shard
WRITER_OPTIONS = dict(compression="zstd", compression_level=3, use_dictionary=True, write_statistics=True,
                      data_page_version="2.0")
BUCKETS = 256
REPORT = "build_report.json"      # what a build did (reproducible: no wall-clock figures)
MENTION_SPLIT = "full"            # the flat mentions table covers every article, whatever its split ("all" is reserved by datasets)
FLUSH_ROWS = 512  # rows held in memory before they go to disk, all buckets together


class Spill:
    """Article rows on disk, bucketed by id; ``rows()`` yields them sorted by id."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True)
        self.schema = schema.arrow_schema()
        self.buffers: dict[int, list[dict]] = {}
        self.buffered = 0
        self.writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self.count = 0
        self.mentions = 0

    def add(self, row: dict) -> None:
        b = int(row["id"][:2], 16)
        self.buffers.setdefault(b, []).append(row)
        self.buffered += 1
        self.count += 1
        self.mentions += len(row["entities"])
        # bounded by the total, not per bucket: 256 buckets of a few rows each would otherwise
        # keep every row of a corpus of a few thousand articles in memory
        if self.buffered >= FLUSH_ROWS:
            for bucket in list(self.buffers):
                self._flush(bucket)

    def _flush(self, b: int) -> None:
        rows = self.buffers.pop(b, [])
        if not rows:
            return
        self.buffered -= len(rows)
        if b not in self.writers:
            self.writers[b] = pa.ipc.new_stream(str(self.folder / f"{b:03d}.arrow"), self.schema)
        self.writers[b].write_batch(pa.RecordBatch.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        for b in list(self.buffers):
            self._flush(b)
        for w in self.writers.values():
            w.close()
        self.writers.clear()

    def rows(self) -> Iterator[dict]:
        return spilled_rows([self.folder])

    @staticmethod
    def remove_folder(folder: Path) -> None:
        shutil.rmtree(folder)


def spilled_rows(folders: list[Path]) -> Iterator[dict]:
    """All rows of one or more spill folders (one per worker or task), sorted by id."""
    for b in range(BUCKETS):
        rows = []
        for folder in folders:
            path = Path(folder) / f"{b:03d}.arrow"
            if path.exists():
                with pa.ipc.open_stream(str(path)) as reader:
                    rows.extend(reader.read_all().to_pylist())
        yield from sorted(rows, key=lambda r: r["id"])


def mention_rows(article: dict) -> list[dict]:
    """The flat ``mentions`` config: one row per entity mention, with its article's id and outlet."""
    out = []
    for m in article["entities"]:
        row = {"article_id": article["id"], "outlet_id": article["outlet"]["id"]}
        row.update({("mention_id" if k == "id" else k): v for k, v in m.items()})
        out.append(row)
    return out


def write_configs(folder: Path, rows: Iterable[dict], assignment: dict[str, dict[str, str]],
                  sizes: dict[str, dict[str, int]], mentions: int, on_row: Callable[[dict], None] = lambda r: None):
    """Rows sorted by id → every article config's split shards and the mentions table, in one pass.

    ``assignment``: {config: {id: split}}; ``sizes``: {config: {split: rows}} in declaration order;
    ``mentions``: how many mention rows the articles hold. Returns (files, Arrow bytes), both
    {config: {split: ...}}, for the report and the card.
    """
    article_schema = schema.arrow_schema()
    writers = {(config, split): ShardWriter(folder / config, split, n, article_schema)
               for config, split_sizes in sizes.items() for split, n in split_sizes.items()}
    mention_writer = (ShardWriter(folder / "mentions", MENTION_SPLIT, mentions, schema.mention_arrow_schema())
                      if mentions else None)
    for row in rows:
        on_row(row)
        for config, assigned in assignment.items():
            writers[(config, assigned[row["id"]])].add(row)
        if mention_writer:
            for m in mention_rows(row):
                mention_writer.add(m)
    files, nbytes = {}, {}
    for (config, split), w in writers.items():
        files.setdefault(config, {})[split] = w.close()
        nbytes.setdefault(config, {})[split] = w.nbytes
    if mention_writer:
        files["mentions"] = {MENTION_SPLIT: mention_writer.close()}
        nbytes["mentions"] = {MENTION_SPLIT: mention_writer.nbytes}
    return files, nbytes


def write_table(rows: list[dict], arrow_schema: pa.Schema, path: Path) -> None:
    """One Parquet file from rows, with the same options and metadata as the shards."""
    with ShardWriter(path.parent, path.stem, len(rows), arrow_schema, name=path.name) as w:
        for row in rows:
            w.add(row)


class ShardWriter:
    """Rows in order → ``{split}-{i:05d}-of-{n:05d}.parquet`` shards of at most ROWS_PER_SHARD
    rows, written one row group at a time so memory holds one group, not one shard.

    The Hugging Face features go into the schema metadata: they survive
    ``load_dataset("parquet", data_files=...)``, which ignores the card.
    """

    def __init__(self, folder: Path, split: str, total: int, arrow_schema: pa.Schema, name: str | None = None):
        self.folder, self.split, self.total, self.fixed_name = folder, split, total, name
        self.schema = schema.features(arrow_schema).arrow_schema
        self.n = max(1, math.ceil(total / ROWS_PER_SHARD))
        self.buffer: list[dict] = []
        self.in_shard = 0
        self.writer: pq.ParquetWriter | None = None
        self.names: list[str] = []
        self.count = 0
        self.nbytes = 0  # Arrow bytes written: the card's `num_bytes`

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        elif self.writer:
            self.writer.close()

    def add(self, row: dict) -> None:
        self.buffer.append(row)
        if len(self.buffer) == ROW_GROUP_SIZE:
            self._write_group()

    def _write_group(self) -> None:
        if not self.buffer:
            return
        if self.writer is None:
            name = self.fixed_name or f"{self.split}-{len(self.names):05d}-of-{self.n:05d}.parquet"
            self.folder.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.folder / name, self.schema, **WRITER_OPTIONS)
            self.names.append(name)
        table = pa.Table.from_pylist(self.buffer, schema=self.schema).combine_chunks()
        self.writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
        self.nbytes += table.nbytes
        self.in_shard += len(self.buffer)
        self.count += len(self.buffer)
        self.buffer = []
        if self.in_shard >= ROWS_PER_SHARD:
            self.writer.close()
            self.writer, self.in_shard = None, 0

    def close(self) -> list[str]:
        self._write_group()
        if self.writer:
            self.writer.close()
            self.writer = None
        if self.count != self.total:
            raise RuntimeError(f"{self.split}: expected {self.total} rows, got {self.count}")
        return self.names


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


@contextlib.contextmanager
def publishing(out: str | os.PathLike):
    """Yields a temporary folder to fill; on success it replaces ``out``, on error it is removed."""
    out = Path(out)
    recover(out)
    tmp, backup = _tmp_and_backup(out)
    tmp.mkdir(parents=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_tree(tmp)
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp)      # tmp now holds the previous dataset
        return
    if out.exists():
        out.rename(backup)      # no atomic exchange here: a crash between these two renames is undone by recover()
    tmp.rename(out)
    if backup.exists():
        shutil.rmtree(backup)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` (and itself) to disk before it is renamed into place."""
    for path in sorted(folder.rglob("*")):
        fsync(path)
    fsync(folder)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")


def finalised(rows: Iterable[dict], finalise: Callable[[dict], dict | None]) -> Iterator[dict]:
    for row in rows:
        row = finalise(row)
        if row is not None:
            yield row
