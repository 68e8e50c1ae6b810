"""Shared fixtures. Tests run offline with a fresh Hugging Face cache each time."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
GOLD = ROOT / "data" / "gold"
PUBLISHED = ROOT / "data" / "dataset"
SEED = "000_3af702599b1c3d91.txt"


@pytest.fixture(autouse=True)
def _fresh_hf_cache(tmp_path, monkeypatch):
    # load_dataset's cache key ignores the Parquet contents: a shared cache would hide rebuilds.
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (RAW / SEED).read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """data/raw built once into a scratch folder (read-only for tests: copy before changing)."""
    from corpus import build

    out = tmp_path_factory.mktemp("built") / "dataset"
    build(RAW, out, workers=1)
    return out


@pytest.fixture
def raw_dir(tmp_path) -> Path:
    """An empty raw folder to fill."""
    d = tmp_path / "raw"
    d.mkdir()
    return d


@pytest.fixture
def copy_of_built(built, tmp_path) -> Path:
    dst = tmp_path / "dataset"
    shutil.copytree(built, dst)
    return dst


def article(title: str, *paragraphs: str) -> bytes:
    """A text dump in the seed's shape: title, blank line, paragraphs."""
    return "\n\n".join([title, *paragraphs]).encode("utf-8")
