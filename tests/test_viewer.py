"""corpus.viewer: escaping, nesting, self-containment, the ``show`` command, and a real headless Chromium render."""
from __future__ import annotations

import copy
import hashlib
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import PUBLISHED, RAW, ROOT
from corpus import frames, schema
from corpus.viewer import LABEL_COLOURS, QUOTE_COLOUR, find_row, read_source, render, show
from test_frames import _mention, make_row, sample_rows, write_dataset

PAYLOAD = '<script>alert("x")</script>'


# ---------------------------------------------------------------- a strict little DOM

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "embed", "source", "track"}
ALLOWED = {"html", "head", "meta", "title", "style", "body", "div", "header", "h1", "h2", "h3", "p", "span", "a",
           "b", "i", "mark", "br", "main", "section", "table", "tr", "th", "td", "dl", "dt", "dd", "code", "footer"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def text(self, skip=lambda n: False):
        return "".join(c if isinstance(c, str) else ("" if skip(c) else c.text(skip)) for c in self.children)

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


class Tree(HTMLParser):
    """Parses the page and fails on any end tag that does not close the innermost open element."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.feed(page)
        self.close()
        assert self.cur is self.root, f"unclosed <{self.cur.tag}>"

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        assert tag not in VOID, f"</{tag}>"
        assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}>: badly nested"
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)

    def all(self, tag=None, cls=None):
        return [n for n in self.root.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]


def is_tag(n):
    return "qtag" in n.classes


def check_page(row: dict, page: str, whole: bool = True) -> Tree:
    """Well formed, only expected elements, and every annotation's text rendered exactly once in order;
    ``whole``: no mention or quote is split in pieces (right for nested spans, which are never split)."""
    tree = Tree(page)
    for n in tree.root.walk():
        assert n.tag == "#document" or n.tag in ALLOWED, f"unexpected <{n.tag}>"
        assert not any(a.startswith("on") for a in n.attrs), f"event handler on <{n.tag}>"
        if "href" in n.attrs:
            assert n.attrs["href"].startswith("https://") or n.attrs["href"].startswith("http://")
    text = row["text"]
    blocks = tree.all("p", "btext")
    assert [b.text(skip=is_tag) for b in blocks] == [text[b["start"]:b["end"]] for b in row["blocks"]]
    # each mention: its pieces (same tooltip, which names the mention's id) join to its text
    marks: dict[str, str] = {}
    pieces_of: dict[str, int] = {}
    for m in tree.all("mark", "ent"):
        if any("btext" in a.classes for a in m.ancestors()):
            marks[m.attrs["title"]] = marks.get(m.attrs["title"], "") + m.text()
            pieces_of[m.attrs["title"]] = pieces_of.get(m.attrs["title"], 0) + 1
    if whole:
        assert set(pieces_of.values()) <= {1}, "a mention was split"
    assert len(marks) == len(row["entities"])
    for e in row["entities"]:
        (title,) = [t for t in marks if f" · {e['id']} · " in t]
        assert marks[title] == e["text"]
        cls = f"ent-{e['label']}" if e["label"] in LABEL_COLOURS else "ent-other"
        assert cls in next(m for m in tree.all("mark") if m.attrs.get("title") == title).classes
    quotes: dict[str, list[Node]] = {}
    for q in tree.all("span", "quote"):
        if "title" in q.attrs:
            quotes.setdefault(q.attrs["title"], []).append(q)
    assert len(quotes) == len(row["quotes"])
    for q in row["quotes"]:
        (title,) = [t for t in quotes if t.startswith(f"quote {q['id']} · ")]
        pieces = quotes[title]
        assert not whole or len(pieces) == 1, f"quote {q['id']} was split"
        assert "".join(p.text(skip=is_tag) for p in pieces) == q["text"]
        tags = [n for p in pieces for n in p.walk() if is_tag(n)
                and next(a for a in n.ancestors() if "quote" in a.classes) is p]
        assert len(tags) == 1 and tags[0].parent is pieces[-1], "one speaker tag, after the quote's last piece"
        assert q["kind"] in tags[0].text()
    return tree


# ---------------------------------------------------------------- rows

def rich_row() -> dict:
    """Every label; a MISC mention only inside a quote; a mention that is also a speaker span."""
    title = "Le Kremlin et Paris"
    p1 = "Emmanuel Macron a reçu Olaf Scholz à Paris, selon l'AFP."
    p2 = "« Europe unie : nous soutenons le plan Marshall », a déclaré Emmanuel Macron devant l'OTAN."
    text = "\n\n".join([title, p1, p2])
    row = make_row("0d00000000000004", title, [p1, p2], published=None)
    at = text.index
    row["entities"] = [
        _mention(0, text, at("Kremlin"), "Kremlin", "ORG", "Kremlin"),
        _mention(1, text, at("Paris"), "Paris", "LOC", "Paris", "Q90"),
        _mention(2, text, at("Emmanuel Macron"), "Emmanuel Macron", "PER", "Emmanuel Macron", "Q3052772"),
        _mention(3, text, at("Olaf Scholz"), "Olaf Scholz", "PER", "Olaf Scholz", "Q61053"),
        _mention(4, text, at("Paris,"), "Paris", "LOC", "Paris", "Q90"),
        _mention(5, text, at("AFP"), "AFP", "ORG", "AFP", "Q40464"),
        _mention(6, text, at("Europe"), "Europe", "LOC", "Europe", "Q46"),
        _mention(7, text, at("plan Marshall"), "plan Marshall", "MISC", "plan Marshall", "Q131704"),
        _mention(8, text, text.rindex("Emmanuel Macron"), "Emmanuel Macron", "PER", "Emmanuel Macron", "Q3052772"),
        _mention(9, text, at("OTAN"), "OTAN", "ORG", "OTAN", "Q7184"),
    ]
    quoted = "Europe unie : nous soutenons le plan Marshall"   # starts with a mention, ends with another
    q = at(quoted)
    s, c = text.rindex("Emmanuel Macron"), at("a déclaré")
    row["quotes"] = [{"id": "q0", "start": q, "end": q + len(quoted), "text": quoted, "kind": "direct",
                      "speaker": "Emmanuel Macron", "speaker_start": s, "speaker_end": s + len("Emmanuel Macron"),
                      "speaker_entity": "Emmanuel Macron", "cue": "a déclaré", "cue_start": c,
                      "cue_end": c + len("a déclaré"), "confidence": 0.9, "annotator": "test.quotes@1"}]
    row["topics"] = [{"code": "medtop:11000000", "label": "politics and government", "score": 0.8,
                      "annotator": "test.topics@1"}]
    row["provenance"]["removed"] = [{"source_start": 10, "source_end": 42, "reason": "generic/cookie-consent"}]
    return row


def hostile_row() -> dict:
    """A payload in every string of the row, metadata and rule ids included."""
    title = f"Titre {PAYLOAD} \"quoted\" & 'single'"
    para = f"Le texte cite {PAYLOAD} puis « une phrase \"piégée\" » dit X."
    text = "\n\n".join([title, para])
    row = make_row("0e00000000000005", title, [para], outlet=(f"o{PAYLOAD}", f"Outlet {PAYLOAD} \""))
    row["url"] = 'javascript:alert("x")'
    row["authors"] = [PAYLOAD]
    row["language"] = '"><script>'
    row["published_source"] = PAYLOAD
    row["duplicate_of"] = PAYLOAD
    row["blocks"][1]["type"] = PAYLOAD
    s = text.rindex(PAYLOAD)
    row["entities"] = [{"id": f'e"{PAYLOAD}', "start": s, "end": s + len(PAYLOAD), "text": PAYLOAD,
                        "label": f'"{PAYLOAD}', "entity": f'Ent "{PAYLOAD}', "wikidata_id": f'Q1"><script>',
                        "confidence": 0.5, "annotator": PAYLOAD}]
    qs = text.index("une phrase")
    quoted = 'une phrase "piégée"'
    row["quotes"] = [{"id": f"q{PAYLOAD}", "start": qs, "end": qs + len(quoted), "text": quoted, "kind": PAYLOAD,
                      "speaker": f'X "{PAYLOAD}', "speaker_start": text.index(" X.") + 1,
                      "speaker_end": text.index(" X.") + 2, "speaker_entity": PAYLOAD, "cue": PAYLOAD,
                      "cue_start": None, "cue_end": None, "confidence": 0.5, "annotator": PAYLOAD}]
    row["topics"] = [{"code": PAYLOAD, "label": PAYLOAD, "score": 0.5, "annotator": PAYLOAD}]
    p = row["provenance"]
    p.update(source_path=PAYLOAD, source_sha256=PAYLOAD, collection=PAYLOAD, license=PAYLOAD,
             retrieved_at=PAYLOAD, pipeline_version=PAYLOAD, repairs=[PAYLOAD], outlet_source=PAYLOAD,
             extractor={"name": PAYLOAD, "version": '"'},
             annotators=[{"task": PAYLOAD, "name": PAYLOAD, "version": PAYLOAD, "model": PAYLOAD}],
             removed=[{"source_start": 0, "source_end": 5, "reason": f'rule"{PAYLOAD}'}])
    return row


def published_rows() -> list[dict]:
    return [r for f in sorted((PUBLISHED / "articles").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]


# ---------------------------------------------------------------- escaping and structure

def test_everything_is_escaped():
    row = hostile_row()
    page = render(row, source="x" * 10 + PAYLOAD)
    assert "<script" not in page.lower()
    assert 'href="javascript' not in page
    tree = check_page(row, page)
    assert not tree.all("script")
    assert all("javascript" not in n.attrs.get("href", "") for n in tree.root.walk())
    # the payload is shown as text: in the title, the heading, the text, the metadata and the rule id
    assert PAYLOAD in tree.all("title")[0].text() and PAYLOAD in tree.all("h1")[0].text()
    body = tree.all("body")[0].text()
    for shown in (f"Outlet {PAYLOAD} \"", f'rule"{PAYLOAD}', 'javascript:alert("x")', f'Ent "{PAYLOAD}',
                  'Q1"><script>', f'X "{PAYLOAD}'):
        assert shown in body
    assert "lang=" not in page.split(">", 2)[1]  # a language that is not two letters is left out


def crossing(row: dict) -> bool:
    """Whether two of the row's spans overlap without one containing the other (the viewer splits those)."""
    spans = [(x["start"], x["end"]) for k in ("entities", "quotes") for x in row[k]]
    spans += [(q[f"{r}_start"], q[f"{r}_end"]) for q in row["quotes"] for r in ("speaker", "cue")
              if q[f"{r}_start"] is not None]
    return any(a < c < b < d for a, b in spans for c, d in spans)


def test_pages_are_well_formed_and_complete():
    for row in [rich_row(), hostile_row(), *sample_rows(), *published_rows()]:
        check_page(row, render(row), whole=not crossing(row))


def test_a_mention_inside_a_quote_nests_in_it():
    row = rich_row()
    tree = check_page(row, render(row))
    (misc,) = [m for m in tree.all("mark", "ent-MISC") if any("btext" in a.classes for a in m.ancestors())]
    (quote,) = [q for q in tree.all("span", "quote-direct") if q.attrs.get("title")]
    assert quote in misc.ancestors()
    # the quote starts with a mention and ends with another: both inside it, the quote unsplit
    marks = [n for n in quote.children if isinstance(n, Node) and n.tag == "mark"]
    assert [m.text() for m in marks] == ["Europe", "plan Marshall"]
    assert quote.children[0] is marks[0] and quote.text(skip=is_tag).endswith("plan Marshall")
    # the speaker span wraps the speaker's mention; the cue has its own span
    (speaker,) = [s for s in tree.all("span", "speaker") if s.attrs.get("title")]
    assert [c.tag for c in speaker.children if isinstance(c, Node)] == ["mark"]
    assert speaker.text() == "Emmanuel Macron"
    assert [c.text() for c in tree.all("span", "cue") if c.attrs.get("title")] == ["a déclaré"]


def test_crossing_and_cross_block_spans_are_split_not_broken():
    row = rich_row()
    text = row["text"]
    q = row["quotes"][0]
    # a mention that starts inside the quote and ends after it (bad data must not break the page)
    start = q["end"] - 6
    row["entities"].append({"id": "e99", "start": start, "end": q["end"] + 3, "text": text[start:q["end"] + 3],
                            "label": "LOC", "entity": "X", "wikidata_id": None, "confidence": 0.5,
                            "annotator": "t"})
    # a quote running over two blocks
    b1, b2 = row["blocks"][1], row["blocks"][2]
    s, e = b1["end"] - 10, b2["start"] + 10
    row["quotes"].append({"id": "q1", "start": s, "end": e, "text": text[s:e], "kind": "partial", "speaker": None,
                          "speaker_start": None, "speaker_end": None, "speaker_entity": None, "cue": None,
                          "cue_start": None, "cue_end": None, "confidence": 0.5, "annotator": "t"})
    row["entities"].sort(key=lambda m: m["start"])
    page = render(row)
    tree = Tree(page)
    pieces = [m for m in tree.all("mark") if m.attrs.get("title", "").find(" · e99 · ") >= 0]
    assert len(pieces) == 2 and "".join(p.text() for p in pieces) == text[start:q["end"] + 3]
    assert any("quote" in a.classes for a in pieces[0].ancestors())
    assert not any("quote" in a.classes for a in pieces[1].ancestors())
    assert len([p for p in tree.all("span", "quote-partial") if p.attrs.get("title")]) == 2
    # check_page's exact-text checks need the two-newline join between blocks: drop it from q1's text
    row["quotes"][1]["text"] = text[s:b1["end"]] + text[b2["start"]:e]
    check_page(row, page, whole=False)


def test_self_contained():
    for row in [rich_row(), *published_rows()]:
        page = render(row)
        low = page.lower()
        for banned in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "url(", "@import", " src=",
                       "<base"):
            assert banned not in low, banned
        assert "<style>" in page and "Content-Security-Policy" in page and "default-src 'none'" in page


def test_a_pandas_row_renders_like_the_dict():
    rows = published_rows()
    df = frames.articles(PUBLISHED)
    for i, row in enumerate(rows):
        assert render(df.iloc[i]) == render(row)


def test_removed_spans_show_offsets_reason_and_text():
    row = rich_row()
    source = "0123456789" + "Accepter les cookies et continuer" + "tail"
    tree = Tree(render(row, source=source))
    rows = [tr for tr in tree.all("tr") if any(c.tag == "td" and c.text() == "generic/cookie-consent"
                                                for c in tr.children if isinstance(c, Node))]
    assert len(rows) == 1
    cells = [c.text() for c in rows[0].children if isinstance(c, Node)]
    assert cells == ["10", "42", "32", "generic/cookie-consent", source[10:42]]


# ---------------------------------------------------------------- the show command

@pytest.fixture
def sample_dataset(tmp_path):
    rows = sample_rows() + [rich_row()]
    rows.sort(key=lambda r: r["id"])
    return write_dataset(tmp_path / "dataset", rows, shards=2)


def test_show_writes_the_page_by_id_prefix(sample_dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(show, ["0d", "--dataset", str(sample_dataset)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "0d00000000000004.html").read_text(encoding="utf-8")
    assert page == render(rich_row())
    out = tmp_path / "x.html"
    result = CliRunner().invoke(show, ["0D00000000000004", "--dataset", str(sample_dataset), "--out", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == page


@pytest.mark.parametrize("arg, message", [("0", "4 article ids start with '0'"), ("ff", "no article id starts"),
                                          ("../x", "not an article id"), ("0123456789abcdef0", "not an article id")])
def test_show_refuses_unknown_ambiguous_and_bad_ids(sample_dataset, tmp_path, arg, message):
    result = CliRunner().invoke(show, [arg, "--dataset", str(sample_dataset), "--out", str(tmp_path / "o.html")])
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "o.html").exists()


def test_find_row_reads_the_right_row_group(tmp_path):
    rows = [make_row(f"{k:016x}", f"Titre {k}", [f"Texte {k}."]) for k in range(25)]
    folder = tmp_path / "dataset" / "articles"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.arrow_schema()), folder / "train-00000-of-00001.parquet",
                   row_group_size=4)
    for k in (0, 3, 4, 17, 24):
        assert find_row(tmp_path / "dataset", f"{k:016x}")["title"] == f"Titre {k}"


def test_show_with_raw_shows_the_removed_text(tmp_path, monkeypatch):
    row = published_rows()[0]
    source = read_source(row, RAW)
    if source is None:
        pytest.skip("the published seed row's source is not in data/raw with the same sha256")
    monkeypatch.chdir(ROOT)
    out = tmp_path / "seed.html"
    result = CliRunner().invoke(show, [row["id"][:8], "--out", str(out), "--raw", "data/raw"])
    assert result.exit_code == 0, result.output
    body = Tree(out.read_text(encoding="utf-8")).all("body")[0].text()
    for r in row["provenance"]["removed"]:
        assert r["reason"] in body
        chunk = source[r["source_start"]:r["source_end"]]
        assert (chunk if len(chunk) <= 240 else chunk[:200]) in body


def test_read_source_is_confined_and_checked(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(b"hello")
    (tmp_path / "secret.txt").write_bytes(b"secret")
    good = {"provenance": {"source_path": "a.txt", "source_format": "text",
                           "source_sha256": hashlib.sha256(b"hello").hexdigest()}}
    assert read_source(good, raw) == "hello"
    bad_hash = copy.deepcopy(good)
    bad_hash["provenance"]["source_sha256"] = "0" * 64
    outside = {"provenance": {"source_path": "../secret.txt", "source_format": "text",
                              "source_sha256": hashlib.sha256(b"secret").hexdigest()}}
    jsonl = copy.deepcopy(good)
    jsonl["provenance"]["source_format"] = "jsonl"
    assert read_source(bad_hash, raw) is None and read_source(outside, raw) is None and read_source(jsonl, raw) is None


# ---------------------------------------------------------------- headless Chromium

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)


def decode_png(path: Path) -> np.ndarray:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) as an (h, w, channels) array."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    raw = zlib.decompress(b"".join(idat))
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1)
        if f == 0:
            cur = line.copy()
        elif f == 1:    # Sub: a running sum per channel
            cur = (np.cumsum(line.reshape(w, bpp), axis=0, dtype=np.uint64) % 256).astype(np.uint8).reshape(-1)
        elif f == 2:    # Up
            cur = line + prev
        else:           # Average, Paeth: depend on the left byte as decoded, byte by byte
            cur = bytearray(line.tobytes())
            up = prev.tobytes()
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                b = up[x]
                if f == 3:
                    cur[x] = (cur[x] + ((a + b) >> 1)) & 255
                else:
                    c = up[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[x] = (cur[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            cur = np.frombuffer(bytes(cur), dtype=np.uint8)
        out[y] = cur
        prev = out[y]
    return out.reshape(h, w, bpp)


def screenshots(pages: dict[str, str], tmp: Path) -> dict[str, np.ndarray]:
    """Each page rendered by headless Chromium (concurrently, one profile each) and decoded."""
    procs = {}
    for name, page in pages.items():
        html_path, png = tmp / f"{name}.html", tmp / f"{name}.png"
        html_path.write_text(page, encoding="utf-8")
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={tmp / f'profile-{name}'}",
               f"--screenshot={png}", "--window-size=1200,1600", html_path.resolve().as_uri()]
        procs[name] = (png, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    out = {}
    for name, (png, proc) in procs.items():
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        assert proc.returncode == 0 and png.exists(), f"chromium failed on {name} ({proc.returncode}): {err[-2000:]}"
        out[name] = decode_png(png)
    return out


def count(pixels: np.ndarray, colour: str) -> int:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    return int((np.abs(pixels[..., :3].astype(np.int16) - rgb).max(axis=-1) <= 2).sum())


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (CI: apt-get install -y chromium)")
@pytest.mark.parametrize("which", ["rich", "published"])
def test_highlights_render_in_headless_chromium(which, tmp_path):
    row = rich_row() if which == "rich" else published_rows()[0]
    bare = copy.deepcopy(row)
    bare["entities"], bare["quotes"] = [], []
    # the same page without mentions and quotes gives the legend's share of each colour
    shots = screenshots({which: render(row), f"{which}-bare": render(bare)}, tmp_path)
    full, base = shots[which], shots[f"{which}-bare"]
    assert full.shape[:2] == (1600, 1200)
    assert count(full, "#ffffff") > 0.3 * 1600 * 1200, "the page did not render"
    present = {m["label"] for m in row["entities"]}
    for label, colour in LABEL_COLOURS.items():
        extra = count(full, colour) - count(base, colour)
        if label in present:
            assert extra >= 150, f"{label} highlights ({colour}) not visible: {extra} pixels beyond the legend"
        else:
            assert abs(extra) < 50, f"{label} colour ({colour}) appears with no {label} mention: {extra}"
    if row["quotes"]:
        assert count(full, QUOTE_COLOUR) - count(base, QUOTE_COLOUR) >= 500, "quotes not highlighted"
    if which == "rich":
        # MISC appears only inside the quote: its pixels prove the nested mark paints over the quote
        assert present == set(LABEL_COLOURS)
