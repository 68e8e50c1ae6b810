"""The published folder loads with Hugging Face `load_dataset`, offline, without a script."""
import datetime as dt

import pyarrow.parquet as pq
from datasets import load_dataset

import corpus
from corpus import schema
from conftest import PUBLISHED


def test_load_dataset_reads_the_published_folder_with_nested_types(tmp_path):
    dd = load_dataset(str(PUBLISHED), cache_dir=str(tmp_path / "c"))
    ds = dd[next(iter(dd))]
    assert sum(d.num_rows for d in dd.values()) == sum(pq.ParquetFile(f).metadata.num_rows for f in (PUBLISHED / "articles").glob("*.parquet"))
    assert ds.features == schema.features(schema.arrow_schema())
    row = ds[0]
    assert isinstance(row["published"], dt.date)
    assert row["blocks"][0]["type"] == "title"
    assert row["text"][row["blocks"][0]["start"]:row["blocks"][0]["end"]] == row["title"]
    assert row["provenance"]["extractor"]["name"] == "corpus.segment"


def test_plain_parquet_loading_keeps_the_features(tmp_path):
    # load_dataset("parquet", ...) ignores the card's YAML: the features come from the file metadata.
    files = [str(p) for p in sorted((PUBLISHED / "articles").glob("*.parquet"))]
    ds = load_dataset("parquet", data_files=files, split="train", cache_dir=str(tmp_path / "c"))  # "train": parquet's default name
    assert ds.features == schema.features(schema.arrow_schema())


def test_every_declared_config_and_split_loads(tmp_path):
    import yaml

    card = (PUBLISHED / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    names = [c["config_name"] for c in front["configs"]]
    assert names[0] == "articles" and front["configs"][0]["default"]
    assert {"articles", "articles_by_outlet", "articles_by_date"} <= set(names)
    for c in front["configs"]:
        ds = load_dataset(str(PUBLISHED), c["config_name"], cache_dir=str(tmp_path / c["config_name"]))
        info = next(i for i in front["dataset_info"] if i["config_name"] == c["config_name"])
        assert {s["name"]: s["num_examples"] for s in info["splits"]} == {s: ds[s].num_rows for s in ds}


def test_pandas_load():
    df = corpus.load(PUBLISHED)
    assert list(df.columns) == schema.arrow_schema().names
    assert df.loc[0, "outlet"]["name"] == "RT France"
