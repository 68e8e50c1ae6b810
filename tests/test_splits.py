"""Splits: deterministic, stable when articles are added, and leak-free for near-duplicates."""
import json

import pyarrow.parquet as pq
from datasets import load_dataset

from corpus import build, splits, validate
from test_dedup import WIRE


def _ids_by_split(folder, config="articles"):
    out = {}
    for f in (folder / config).glob("*.parquet"):
        out.update(dict.fromkeys(pq.read_table(f, columns=["id"]).column("id").to_pylist(), f.name.split("-")[0]))
    return out


def _write(raw_dir, names, outlets=("le-monde", "le-figaro", "la-libre", "le-temps", "le-devoir")):
    manifest = []
    for k, name in enumerate(names):
        (raw_dir / f"{name}.txt").write_text(f"Titre {name}\n\nLe conseil a débattu du projet {name} pendant trois heures mardi.", encoding="utf-8")
        manifest.append({"path": f"{name}.txt", "outlet": outlets[k % len(outlets)],
                         **({"published": f"2019-0{1 + k % 9}-15"} if k % 4 else {})})
    (raw_dir / "manifest.jsonl").write_text("\n".join(json.dumps(m) for m in manifest) + "\n", encoding="utf-8")


def test_hash_assignment_is_deterministic_and_follows_the_shares():
    shares = splits.settings()["random"]
    got = [splits.by_hash(f"{i:016x}", shares) for i in range(2000)]
    assert got == [splits.by_hash(f"{i:016x}", shares) for i in range(2000)]
    assert 0.75 < got.count("train") / 2000 < 0.85 and got.count("validation") > 100 and got.count("test") > 100


def test_dates_split_on_fixed_cutoffs_and_undated_articles_are_kept_apart():
    cut = splits.settings()["by_date"]
    assert splits.by_date(None) == "undated"
    assert splits.by_date("2000-01-01") == "train"
    assert splits.by_date(cut["validation_from"]) == "validation"
    assert splits.by_date(cut["test_from"]) == "test"


def test_clusters_follow_their_canonical_article_in_every_config():
    items = {"a" * 16: ("le-monde", "2019-01-01"), "b" * 16: ("la-libre", "2019-09-01"), "c" * 16: ("le-temps", None)}
    clusters = {"a" * 16: "a" * 16, "b" * 16: "a" * 16}
    result = splits.assign(items, clusters)
    for config, assigned in result.items():
        assert assigned["a" * 16] == assigned["b" * 16], config
    assert result["articles_by_date"]["a" * 16] == "train"   # the canonical's date, not the copy's


def test_adding_articles_never_moves_an_earlier_one(raw_dir, tmp_path):
    _write(raw_dir, [f"a{i}" for i in range(12)])
    out = tmp_path / "out"
    build(raw_dir, out, workers=1)
    before = {c: _ids_by_split(out, c) for c in splits.CONFIGS}
    _write(raw_dir, [f"a{i}" for i in range(30)])
    build(raw_dir, out, workers=1)
    after = {c: _ids_by_split(out, c) for c in splits.CONFIGS}
    for config in splits.CONFIGS:
        assert {i: after[config][i] for i in before[config]} == before[config], config
    assert len(after["articles"]) == 30


def test_previous_assignment_wins_over_the_hash(raw_dir, tmp_path):
    items = {"a" * 16: ("le-monde", None)}
    natural = splits.assign(items, {})["articles"]["a" * 16]
    other = next(s for s in ("train", "validation", "test") if s != natural)
    kept = splits.assign(items, {}, {"articles": {"a" * 16: other}})
    assert kept["articles"]["a" * 16] == other


def test_every_config_and_split_loads_and_no_cluster_crosses_splits(raw_dir, tmp_path):
    _write(raw_dir, [f"a{i}" for i in range(20)])
    (raw_dir / "wire1.txt").write_text(f"Aides agricoles\n\n{WIRE}", encoding="utf-8")
    (raw_dir / "wire2.txt").write_text(f"Sécheresse : l'aide\n\n{WIRE.replace('jeudi', 'mercredi')}", encoding="utf-8")
    with open(raw_dir / "manifest.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"path": "wire1.txt", "outlet": "le-figaro", "published": "2019-02-01"}) + "\n")
        f.write(json.dumps({"path": "wire2.txt", "outlet": "la-libre", "published": "2019-08-01"}) + "\n")
    report = build(raw_dir, tmp_path / "out", workers=1)
    out = tmp_path / "out"
    assert validate(out).ok
    assert report["near_duplicate_clusters"] == 1
    for config, sizes in report["splits"].items():
        ds = load_dataset(str(out), config, cache_dir=str(tmp_path / f"cache-{config}"))
        assert {s: ds[s].num_rows for s in ds} == sizes
        if config != "mentions":
            ids = [i for s in ds for i in ds[s]["id"]]
            assert len(ids) == len(set(ids)) == 22
            cluster_splits = {s for s in ds for c in ds[s]["near_duplicate_cluster"] if c}
            assert len(cluster_splits) == 1, (config, cluster_splits)
    assert "undated" in report["splits"]["articles_by_date"]
