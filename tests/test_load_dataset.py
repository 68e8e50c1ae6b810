"""The published folder loads with Hugging Face `load_dataset`, offline, without a script."""
import datetime as dt

import pyarrow.parquet as pq
from datasets import load_dataset

import corpus
from corpus import schema
from conftest import PUBLISHED


def test_load_dataset_reads_the_published_folder_with_nested_types(tmp_path):
    ds = load_dataset(str(PUBLISHED), split="train", cache_dir=str(tmp_path / "c"))
    assert ds.num_rows == pq.ParquetFile(next((PUBLISHED / "articles").glob("*.parquet"))).metadata.num_rows
    assert ds.features == schema.features(schema.arrow_schema())
    row = ds[0]
    assert isinstance(row["published"], dt.date)
    assert row["blocks"][0]["type"] == "title"
    assert row["text"][row["blocks"][0]["start"]:row["blocks"][0]["end"]] == row["title"]
    assert row["provenance"]["extractor"]["name"] == "corpus.segment"


def test_plain_parquet_loading_keeps_the_features(tmp_path):
    # load_dataset("parquet", ...) ignores the card's YAML: the features come from the file metadata.
    files = [str(p) for p in sorted((PUBLISHED / "articles").glob("*.parquet"))]
    ds = load_dataset("parquet", data_files=files, split="train", cache_dir=str(tmp_path / "c"))
    assert ds.features == schema.features(schema.arrow_schema())


def test_every_declared_config_loads(tmp_path):
    import yaml

    card = (PUBLISHED / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    names = [c["config_name"] for c in front["configs"]]
    assert names[0] == "articles" and front["configs"][0]["default"]
    for c in front["configs"]:
        ds = load_dataset(str(PUBLISHED), c["config_name"], split="train", cache_dir=str(tmp_path / c["config_name"]))
        info = next(i for i in front["dataset_info"] if i["config_name"] == c["config_name"])
        assert ds.num_rows == info["splits"][0]["num_examples"] > 0


def test_pandas_load():
    df = corpus.load(PUBLISHED)
    assert list(df.columns) == schema.arrow_schema().names
    assert df.loc[0, "outlet"]["name"] == "RT France"
