"""corpus.frames: the flat tables agree with the nested rows; docs/exploring.md runs as written."""
from __future__ import annotations

import collections
import datetime
import re
import tempfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import PUBLISHED, ROOT
from corpus import frames, schema

CONTEXT = ["article_id", "outlet_id", "outlet_name", "published"]
COLUMNS = {
    "mentions": CONTEXT + ["mention_id", "start", "end", "text", "label", "entity", "wikidata_id", "confidence",
                           "annotator"],
    "entities": CONTEXT + ["entity", "label", "wikidata_id", "mention_count", "first_start"],
    "quotes": CONTEXT + ["quote_id", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end",
                         "speaker_entity", "cue", "cue_start", "cue_end", "confidence", "annotator",
                         "speaker_label", "speaker_wikidata_id"],
    "topics": CONTEXT + ["code", "label", "score", "annotator"],
}


# ---------------------------------------------------------------- a small dataset built by hand

def _mention(i, text, start, surface, label, entity, qid=None, conf=0.8):
    assert text[start:start + len(surface)] == surface
    return {"id": f"e{i}", "start": start, "end": start + len(surface), "text": surface, "label": label,
            "entity": entity, "wikidata_id": qid, "confidence": conf, "annotator": "test.entities@1"}


def _quote(i, text, quoted, kind, speaker=None, speaker_entity=None, cue=None, conf=0.9):
    start = text.index(quoted)
    q = {"id": f"q{i}", "start": start, "end": start + len(quoted), "text": quoted, "kind": kind,
         "speaker": None, "speaker_start": None, "speaker_end": None, "speaker_entity": speaker_entity,
         "cue": None, "cue_start": None, "cue_end": None, "confidence": conf, "annotator": "test.quotes@1"}
    if speaker:
        s = text.index(speaker)
        q.update(speaker=speaker, speaker_start=s, speaker_end=s + len(speaker))
    if cue:
        c = text.index(cue)
        q.update(cue=cue, cue_start=c, cue_end=c + len(cue))
    return q


def make_row(id_, title, paragraphs, *, outlet=("test-outlet", "Test Outlet"), published=None,
             entities=(), quotes=(), topics=(), removed=()):
    """A complete articles row (every contract field), blocks joined by two newlines."""
    parts = [title, *paragraphs]
    text = "\n\n".join(parts)
    blocks, pos = [], 0
    for k, p in enumerate(parts):
        blocks.append({"type": "title" if k == 0 else "paragraph", "start": pos, "end": pos + len(p),
                       "source_start": pos, "source_end": pos + len(p)})
        pos += len(p) + 2
    return {
        "id": id_, "url": None,
        "outlet": {"id": outlet[0], "name": outlet[1], "domain": None, "country": "FR", "ownership": "private"},
        "language": "fr", "title": title, "published": published,
        "published_source": "metadata" if published else "none", "authors": [], "text": text,
        "blocks": blocks, "entities": list(entities), "quotes": list(quotes), "topics": list(topics),
        "duplicate_of": None, "near_duplicate_cluster": None,
        "provenance": {"source_path": f"{id_}.txt", "source_sha256": "0" * 64, "source_bytes": len(text.encode()),
                       "source_format": "text", "collection": "test", "retrieved_at": None, "license": None,
                       "extractor": {"name": "test", "version": "1"}, "pipeline_version": "0",
                       "repairs": [], "outlet_source": "metadata",
                       "annotators": [{"task": "entities", "name": "test.entities", "version": "1", "model": None}],
                       "removed": list(removed)},
    }


def sample_rows() -> list[dict]:
    t1 = "Moscou répond à Paris"
    p1 = ("« La Russie ne cédera pas », a déclaré Dmitri Peskov au Kremlin. Selon Peskov, la France "
          "« se trompe ». Des experts estiment que la Russie attendra.")
    text1 = "\n\n".join([t1, p1])
    a = make_row(
        "0a00000000000001", t1, [p1], published=datetime.date(2024, 3, 1),
        entities=[
            _mention(0, text1, 0, "Moscou", "LOC", "Moscou", "Q649"),
            _mention(1, text1, text1.index("Paris"), "Paris", "LOC", "Paris", "Q90"),
            _mention(2, text1, text1.index("Russie"), "Russie", "LOC", "Russie", "Q159"),
            _mention(3, text1, text1.index("Dmitri Peskov"), "Dmitri Peskov", "PER", "Dmitri Peskov", "Q2298310"),
            _mention(4, text1, text1.index("Kremlin"), "Kremlin", "ORG", "Kremlin"),
            _mention(5, text1, text1.index("Peskov,"), "Peskov", "PER", "Dmitri Peskov", "Q2298310"),
            _mention(6, text1, text1.index("France"), "France", "LOC", "France", "Q142"),
            # the last Russie mention labelled MISC: the group keeps the majority label, LOC
            _mention(7, text1, text1.rindex("Russie"), "Russie", "MISC", "Russie", "Q159"),
        ],
        quotes=[
            _quote(0, text1, "La Russie ne cédera pas", "direct", "Dmitri Peskov", "Dmitri Peskov", "a déclaré"),
            _quote(1, text1, "se trompe", "partial", "Peskov", "Dmitri Peskov", "Selon"),
            _quote(2, text1, "la Russie attendra", "indirect", None, None, "estiment"),
        ],
        topics=[{"code": "medtop:11000000", "label": "politics and government", "score": 0.9, "annotator": "t@1"},
                {"code": "medtop:20000638", "label": "international relations", "score": 0.4, "annotator": "t@1"}],
        removed=[{"source_start": 0, "source_end": 1, "reason": "test/rule"}],
    )
    t2 = "Le gouvernement présente son budget"
    p2 = "Le ministre Jean Martin a présenté le budget à l'Assemblée. « Il est juste », a dit Jean Martin."
    text2 = "\n\n".join([t2, p2])
    b = make_row(
        "0b00000000000002", t2, [p2], outlet=("other", "Other Outlet"), published=datetime.date(2024, 4, 2),
        entities=[
            _mention(0, text2, text2.index("Jean Martin"), "Jean Martin", "PER", "Jean Martin"),
            _mention(1, text2, text2.index("Assemblée"), "Assemblée", "ORG", "Assemblée nationale", "Q193582"),
            _mention(2, text2, text2.rindex("Jean Martin"), "Jean Martin", "PER", "Jean Martin"),
        ],
        quotes=[_quote(0, text2, "Il est juste", "direct", "Jean Martin", "Jean Martin", "a dit")],
        topics=[{"code": "medtop:04000000", "label": "economy, business and finance", "score": 0.7,
                 "annotator": "t@1"}],
    )
    # an article with no annotations at all and no date
    c = make_row("0c00000000000003", "Brève", ["Rien à signaler."])
    return [a, b, c]


def write_dataset(folder, rows, shards=1):
    """Rows written as the writer does, split over ``shards`` files of the articles config."""
    out = folder / "articles"
    out.mkdir(parents=True)
    arrow = schema.arrow_schema()
    per = -(-len(rows) // shards)
    for k in range(shards):
        chunk = rows[k * per:(k + 1) * per]
        pq.write_table(pa.Table.from_pylist(chunk, schema=arrow), out / f"train-{k:05d}-of-{shards:05d}.parquet")
    return folder


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("frames") / "dataset", sample_rows(), shards=2)


# ---------------------------------------------------------------- columns and counts

@pytest.mark.parametrize("name", list(COLUMNS))
def test_columns(sample, name):
    df = getattr(frames, name)(sample)
    assert list(df.columns) == COLUMNS[name]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_empty_tables_keep_their_columns(tmp_path, name):
    d = write_dataset(tmp_path / "dataset", [make_row("0c00000000000003", "Brève", ["Rien."])])
    df = getattr(frames, name)(d)
    assert len(df) == 0 and list(df.columns) == COLUMNS[name]


def nested(dataset):
    return [r for f in sorted((dataset / "articles").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]


def _value(v):
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def records(df):
    return [{k: _value(v) for k, v in r.items()} for r in df.to_dict("records")]


def check_tables_agree(dataset):
    rows = nested(dataset)
    arts = frames.articles(dataset)
    assert list(arts["id"]) == [r["id"] for r in rows]
    by_id = {r["id"]: r for r in rows}

    def context(r):
        return {"article_id": r["id"], "outlet_id": r["outlet"]["id"], "outlet_name": r["outlet"]["name"],
                "published": r["published"]}

    m = frames.mentions(dataset)
    assert len(m) == sum(len(r["entities"]) for r in rows)
    assert records(m) == [{**context(r), **{("mention_id" if k == "id" else k): v for k, v in e.items()}}
                          for r in rows for e in r["entities"]]
    for r, e in zip((r for r in rows for _ in r["entities"]), m.itertuples()):
        assert r["text"][e.start:e.end] == e.text

    ents = frames.entities(dataset)
    expected = []
    for r in rows:
        groups: dict[str, list[dict]] = {}
        for e in r["entities"]:
            groups.setdefault(e["entity"], []).append(e)
        for name, ms in sorted(groups.items(), key=lambda kv: min(e["start"] for e in kv[1])):
            labels = collections.Counter(e["label"] for e in ms)
            top = max(labels.values())
            label = next(e["label"] for e in ms if labels[e["label"]] == top)
            qid = next((e["wikidata_id"] for e in ms if e["wikidata_id"] is not None), None)
            expected.append({**context(r), "entity": name, "label": label, "wikidata_id": qid,
                             "mention_count": len(ms), "first_start": min(e["start"] for e in ms)})
    assert records(ents) == expected
    assert ents["mention_count"].sum() == len(m)

    q = frames.quotes(dataset)
    assert len(q) == sum(len(r["quotes"]) for r in rows)
    speaker = {(e["article_id"], e["entity"]): (e["label"], e["wikidata_id"]) for e in expected}
    assert records(q) == [
        {**context(r), **{("quote_id" if k == "id" else k): v for k, v in x.items()},
         "speaker_label": speaker.get((r["id"], x["speaker_entity"]), (None, None))[0],
         "speaker_wikidata_id": speaker.get((r["id"], x["speaker_entity"]), (None, None))[1]}
        for r in rows for x in r["quotes"]]

    t = frames.topics(dataset)
    assert len(t) == sum(len(r["topics"]) for r in rows)
    assert records(t) == [{**context(r), **x} for r in rows for x in r["topics"]]

    for df in (m, ents, q, t):   # every article_id is an article, with that article's context
        for rec in records(df[CONTEXT].drop_duplicates()):
            assert rec == context(by_id[rec["article_id"]])


def test_tables_agree_with_nested_rows(sample):
    check_tables_agree(sample)


def test_tables_agree_with_the_published_dataset():
    check_tables_agree(PUBLISHED)


def test_sample_values(sample):
    ents = frames.entities(sample).set_index(["article_id", "entity"])
    russia = ents.loc[("0a00000000000001", "Russie")]
    assert (russia["label"], russia["wikidata_id"], russia["mention_count"]) == ("LOC", "Q159", 2)
    assert ents.loc[("0b00000000000002", "Jean Martin"), "mention_count"] == 2
    assert pd.isna(ents.loc[("0b00000000000002", "Jean Martin"), "wikidata_id"])
    q = frames.quotes(sample)
    assert list(q["speaker_wikidata_id"].fillna("-")) == ["Q2298310", "Q2298310", "-", "-"]
    assert list(q["speaker_label"].fillna("-")) == ["PER", "PER", "-", "PER"]
    assert str(q["speaker_start"].dtype) == "Int64" and q["speaker_start"].isna().sum() == 1
    assert frames.topics(sample)["article_id"].tolist() == ["0a00000000000001"] * 2 + ["0b00000000000002"]
    assert frames.articles(sample)["published"].tolist()[2] is None


def test_russia_question_on_the_sample(sample):
    """The docs' "who is quoted most about Russia?" query gives the expected answer on known data."""
    entities, quotes = frames.entities(sample), frames.quotes(sample)
    about_russia = entities.loc[entities["wikidata_id"] == "Q159", "article_id"].unique()
    speakers = (quotes[quotes["article_id"].isin(about_russia)]
                .groupby("speaker_entity").size().sort_values(ascending=False))
    assert speakers.to_dict() == {"Dmitri Peskov": 2}


def test_mentions_match_the_published_mentions_config():
    if not (PUBLISHED / "mentions").exists():
        pytest.skip("the published dataset has no mentions config")
    stored = frames.load(PUBLISHED, "mentions")
    mine = frames.mentions(PUBLISHED)
    cols = [c for c in stored.columns if c in mine.columns]
    assert cols == [c for c in mine.columns if c in stored.columns] and len(cols) == len(stored.columns)
    assert records(mine[cols]) == records(stored[cols])


def test_load_and_articles(sample):
    a = frames.load(sample)
    assert list(a.columns) == [f.name for f in schema.arrow_schema()]
    assert len(a) == 3 and a["id"].is_monotonic_increasing
    b = frames.articles(sample, columns=["id", "title"])
    assert list(b.columns) == ["id", "title"] and b["title"].tolist() == a["title"].tolist()
    with pytest.raises(FileNotFoundError):
        frames.articles(sample.parent / "missing")


def test_only_needed_columns_are_read(sample, monkeypatch):
    seen = []
    real = pq.read_table

    def spy(source, *args, columns=None, **kw):
        seen.append(columns)
        return real(source, *args, columns=columns, **kw)

    monkeypatch.setattr(frames.pq, "read_table", spy)
    for name in COLUMNS:
        getattr(frames, name)(sample)
    assert seen and all(cols is not None and "text" not in cols and "provenance" not in cols for cols in seen)


# ---------------------------------------------------------------- docs/exploring.md

DOC = ROOT / "docs" / "exploring.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_docs_have_examples():
    assert len(BLOCKS) >= 5
    text = "\n".join(BLOCKS)
    assert '"Q159"' in text and "speaker_entity" in text


def test_docs_examples_run_as_written(monkeypatch, tmp_path):
    """Every ```python block of docs/exploring.md, in order, in one session, from the repository root."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))   # where the viewer example writes its page
    namespace: dict = {}
    for i, code in enumerate(BLOCKS):
        exec(compile(code, f"docs/exploring.md[python block {i}]", "exec"), namespace)
    assert len(namespace["articles"]) >= 1
    assert "speakers" in namespace and isinstance(namespace["speakers"], pd.Series)
