"""One article as a self-contained HTML page, and the ``corpus show`` command that writes it.

``render(row)`` takes a row of the articles config (a dict as ``to_pylist()``
gives it, or a row of ``corpus.load()`` as a pandas Series) and returns one
HTML document: inline CSS, no script, no external resource (a
Content-Security-Policy forbids them too). It shows

* the title, outlet, date, authors, URL and duplicate marks;
* the text block by block, each with its type and its offsets in the raw file;
  entity mentions highlighted by label (tooltip: entity, QID, confidence,
  annotator), quotes marked with their kind and, after each, their speaker;
  speaker and cue spans outlined;
* the topics, a table of the entities (QIDs linked to Wikidata) and of the quotes;
* provenance: source path, hash, format, extractor, pipeline and annotators,
  and every span removed as boilerplate with its source offsets and the rule
  that dropped it (with its text when the raw source is given).

Every piece of text from the row goes through ``html.escape``; spans nest
properly (a mention inside a quote is an element inside the quote's element),
and spans that cross are split so the markup stays well formed.
"""
from __future__ import annotations

import hashlib
import html
import math
import re
from pathlib import Path
from typing import Any, Iterable

import click

__all__ = ["render", "find_row", "show", "LABEL_COLOURS"]

LABEL_COLOURS = {"PER": "#fdd0a2", "ORG": "#c6dbef", "LOC": "#c7e9c0", "MISC": "#dadaeb"}
LABEL_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
QUOTE_COLOUR = "#fff7bc"
BLOCK_TYPES = ("title", "lead", "paragraph", "caption", "credit")
QUOTE_KINDS = ("direct", "partial", "indirect")
_ID = re.compile(r"[0-9a-f]{1,16}")

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #1b1b1b; font: 15px/1.55 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.page { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font: 600 26px/1.25 "DejaVu Serif", "Liberation Serif", Georgia, serif; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 30px 0 8px; padding-bottom: 3px; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin: 2px 0; }
.meta b { color: #1b1b1b; font-weight: 600; }
.mono, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
.legend { margin: 14px 0 6px; font-size: 13px; color: #444; }
.legend > span { margin-right: 12px; white-space: nowrap; }
.article { font: 16px/1.7 "DejaVu Serif", "Liberation Serif", Georgia, serif; }
.block { display: flex; gap: 14px; margin: 0 0 12px; }
.gutter { flex: 0 0 96px; font: 11px/1.35 "DejaVu Sans Mono", monospace; color: #888; text-align: right; padding-top: 4px; }
.btext { flex: 1; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.block-title .btext { font-weight: 700; font-size: 19px; }
.block-lead .btext { font-weight: 600; }
.block-caption .btext, .block-credit .btext { font-size: 14px; font-style: italic; color: #444; }
.ent { padding: 1px 1px; border-radius: 3px; color: inherit; }
.ent-PER { background: %(PER)s; }
.ent-ORG { background: %(ORG)s; }
.ent-LOC { background: %(LOC)s; }
.ent-MISC { background: %(MISC)s; }
.ent-other { background: #e0e0e0; }
.ent.linked { border-bottom: 2px solid #7a7a7a; }
.quote { background: %(QUOTE)s; }
.quote-direct { border-bottom: 2px solid #d9a400; }
.quote-partial { border-bottom: 2px dashed #d9a400; }
.quote-indirect { border-bottom: 2px dotted #d9a400; }
.qtag { font: 600 11px/1 "DejaVu Sans", sans-serif; color: #7a5a00; background: #fff; border: 1px solid #d9a400;
        border-radius: 8px; padding: 1px 5px; margin-left: 3px; vertical-align: 2px; white-space: nowrap; }
.speaker { outline: 2px solid #6a51a3; outline-offset: 1px; border-radius: 2px; }
.cue { font-style: italic; text-decoration: underline wavy #999; }
.chip { display: inline-block; margin: 0 6px 6px 0; padding: 3px 8px; border: 1px solid #ccc; border-radius: 12px; font-size: 13px; }
.bar { display: inline-block; width: 60px; height: 7px; background: #eee; margin-left: 6px; vertical-align: 1px; }
.bar > i { display: block; height: 7px; background: #6b8fb3; }
table { border-collapse: collapse; width: 100%%; font-size: 13px; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #eee; }
th { color: #555; font-weight: 600; border-bottom: 1px solid #ccc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: 170px 1fr; gap: 2px 12px; font-size: 13px; margin: 4px 0 10px; }
dt { color: #555; }
dd { margin: 0; overflow-wrap: anywhere; }
td.rule { white-space: nowrap; }
.excerpt { white-space: pre-wrap; color: #666; font-size: 12px; }
.none { color: #999; font-style: italic; }
footer { margin-top: 30px; color: #999; font-size: 12px; }
""" % {**LABEL_COLOURS, "QUOTE": QUOTE_COLOUR}

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def esc(value: Any) -> str:
    """Escaped text of a value; '' for None."""
    return "" if value is None else html.escape(str(value), quote=True)


def _plain(value: Any) -> Any:
    """Numpy arrays and scalars (rows of a pandas DataFrame) as plain lists and Python values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _items(row: dict, key: str) -> list[dict]:
    return [x for x in (row.get(key) or []) if isinstance(x, dict)]


def _int(value: Any) -> int | None:
    try:
        return None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def _num(value: Any, fmt: str = "{:.2f}") -> str:
    try:
        return fmt.format(float(value))
    except (TypeError, ValueError):
        return esc(value)


def _label_class(label: Any) -> str:
    return label if label in LABEL_COLOURS else "other"


def _safe_href(url: Any) -> str | None:
    """Only http(s) URLs become links (no javascript:, data:, ...)."""
    if isinstance(url, str) and re.fullmatch(r"(?i)https?://\S+", url):
        return url
    return None


# ---------------------------------------------------------------- spans

class _Span:
    __slots__ = ("start", "end", "rank", "seq", "open", "close", "tail")

    def __init__(self, start, end, rank, seq, open_, close, tail=""):
        self.start, self.end, self.rank, self.seq = start, end, rank, seq
        self.open, self.close, self.tail = open_, close, tail

    def key(self):
        # outer spans first: earlier start, then longer, then quote < speaker/cue < mention
        return (self.start, -self.end, self.rank, self.seq)


def _spans(row: dict, n: int) -> list[_Span]:
    spans: list[_Span] = []

    def add(start, end, rank, open_, close, tail=""):
        start, end = _int(start), _int(end)
        if start is None or end is None:
            return
        start, end = max(0, start), min(n, end)
        if start < end:
            spans.append(_Span(start, end, rank, len(spans), open_, close, tail))

    for q in _items(row, "quotes"):
        kind = q.get("kind") if q.get("kind") in QUOTE_KINDS else "other"
        speaker = q.get("speaker_entity") or q.get("speaker")
        who = esc(speaker) if speaker else "<i>no speaker</i>"
        tip = f"quote {q.get('id')} · {q.get('kind')} · speaker: {q.get('speaker') or '—'}" \
              f" (entity: {q.get('speaker_entity') or '—'}) · cue: {q.get('cue') or '—'}"
        add(q.get("start"), q.get("end"), 0,
            f'<span class="quote quote-{kind}" title="{esc(tip)}">', "</span>",
            f'<span class="qtag">{esc(q.get("kind"))} · {who}</span>')
    # one outline per speaker or cue span, however many quotes share it
    roles: dict[tuple, list[str]] = {}
    for q in _items(row, "quotes"):
        for role in ("speaker", "cue"):
            s, e = _int(q.get(f"{role}_start")), _int(q.get(f"{role}_end"))
            if s is not None and e is not None:
                roles.setdefault((role, s, e), []).append(str(q.get("id")))
    for (role, s, e), ids in roles.items():
        add(s, e, 1, f'<span class="{role}" title="{esc(role + " of quote " + ", ".join(ids))}">', "</span>")
    for m in _items(row, "entities"):
        label = m.get("label")
        qid = m.get("wikidata_id")
        tip = " · ".join(str(x) for x in (label, m.get("entity"), qid or "no QID", m.get("id"),
                                          f"confidence {_num(m.get('confidence'))}", m.get("annotator")) if x)
        linked = " linked" if qid else ""
        add(m.get("start"), m.get("end"), 2,
            f'<mark class="ent ent-{_label_class(label)}{linked}" title="{esc(tip)}">', "</mark>")
    return spans


def _render_range(text: str, start: int, end: int, spans: Iterable[_Span]) -> str:
    """text[start:end] with the spans that touch it, nested; crossing spans are split."""
    inside = sorted((s for s in spans if s.start < end and s.end > start), key=_Span.key)
    cuts = sorted({start, end, *(max(start, s.start) for s in inside), *(min(end, s.end) for s in inside)})
    out: list[str] = []
    stack: list[_Span] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in inside if s.start <= a and s.end >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        while len(stack) > keep:
            s = stack.pop()
            out.append(s.close if a < s.end else s.tail + s.close)
        for s in active[keep:]:
            out.append(s.open)
            stack.append(s)
        out.append(esc(text[a:b]))
    while stack:
        s = stack.pop()
        out.append(s.close if end < s.end else s.tail + s.close)
    return "".join(out)


def _blocks(row: dict, text: str) -> list[dict]:
    blocks = []
    for b in _items(row, "blocks"):
        s, e = _int(b.get("start")), _int(b.get("end"))
        if s is not None and e is not None and 0 <= s < e <= len(text):
            blocks.append(b)
    return blocks or [{"type": "paragraph", "start": 0, "end": len(text), "source_start": None, "source_end": None}]


# ---------------------------------------------------------------- sections

def _article(row: dict) -> str:
    text = row.get("text") or ""
    spans = _spans(row, len(text))
    parts = []
    for b in _blocks(row, text):
        btype = b.get("type") if b.get("type") in BLOCK_TYPES else "other"
        src = ""
        if b.get("source_start") is not None:
            src = f"<br>src {esc(b.get('source_start'))}–{esc(b.get('source_end'))}"
        parts.append(f'<div class="block block-{btype}"><div class="gutter">{esc(b.get("type"))}{src}</div>'
                     f'<p class="btext">{_render_range(text, int(b["start"]), int(b["end"]), spans)}</p></div>')
    return "\n".join(parts)


def _legend() -> str:
    labels = "".join(f'<span><mark class="ent ent-{k}">{k}</mark> {LABEL_NAMES[k]}</span>' for k in LABEL_COLOURS)
    return (f'<div class="legend">{labels}<span><span class="ent linked">underlined</span> linked to Wikidata</span>'
            '<span><span class="quote quote-direct">direct</span> <span class="quote quote-partial">partial</span> '
            '<span class="quote quote-indirect">indirect</span> quote</span>'
            '<span><span class="speaker">speaker</span></span><span><span class="cue">cue</span></span></div>')


def _topics(row: dict) -> str:
    topics = sorted(_items(row, "topics"), key=lambda t: -(t.get("score") or 0))
    if not topics:
        return '<p class="none">no topics</p>'
    chips = []
    for t in topics:
        try:
            width = max(0.0, min(1.0, float(t.get("score")))) * 100
        except (TypeError, ValueError):
            width = 0.0
        chips.append(f'<span class="chip" title="{esc(t.get("annotator"))}"><b>{esc(t.get("label"))}</b> '
                     f'<span class="mono">{esc(t.get("code"))}</span> {_num(t.get("score"))}'
                     f'<span class="bar"><i style="width:{width:.0f}%"></i></span></span>')
    return "<div>" + "".join(chips) + "</div>"


def _entities(row: dict) -> str:
    groups: dict[str, dict] = {}
    for m in _items(row, "entities"):
        g = groups.setdefault(str(m.get("entity")), {"labels": {}, "qid": None, "forms": {}, "n": 0})
        g["n"] += 1
        g["labels"][m.get("label")] = g["labels"].get(m.get("label"), 0) + 1
        g["forms"][m.get("text")] = None
        g["qid"] = g["qid"] or m.get("wikidata_id")
    if not groups:
        return '<p class="none">no entities</p>'
    rows = []
    for name, g in sorted(groups.items(), key=lambda kv: (-kv[1]["n"], kv[0])):
        label = max(g["labels"], key=g["labels"].get)
        qid = g["qid"]
        if qid and re.fullmatch(r"Q[1-9][0-9]*", str(qid)):
            qcell = f'<a href="https://www.wikidata.org/wiki/{esc(qid)}">{esc(qid)}</a>'
        else:
            qcell = esc(qid) if qid else '<span class="none">—</span>'
        rows.append(f"<tr><td>{esc(name)}</td><td>{esc(label)}</td><td>{qcell}</td>"
                    f'<td class="num">{g["n"]}</td><td>{esc(" | ".join(str(f) for f in g["forms"]))}</td></tr>')
    return ('<table><tr><th>entity</th><th>label</th><th>Wikidata</th><th class="num">mentions</th>'
            "<th>surface forms</th></tr>" + "".join(rows) + "</table>")


def _quotes(row: dict) -> str:
    quotes = _items(row, "quotes")
    if not quotes:
        return '<p class="none">no quotes</p>'
    rows = []
    for q in quotes:
        text = str(q.get("text") or "")
        short = text if len(text) <= 160 else text[:157] + "…"
        rows.append(f'<tr><td class="mono">{esc(q.get("id"))}</td><td>{esc(q.get("kind"))}</td>'
                    f'<td>{esc(q.get("speaker")) or "<span class=none>—</span>"}</td>'
                    f'<td>{esc(q.get("speaker_entity")) or "<span class=none>—</span>"}</td>'
                    f'<td>{esc(q.get("cue")) or "<span class=none>—</span>"}</td>'
                    f'<td class="num">{_num(q.get("confidence"))}</td><td>{esc(short)}</td></tr>')
    return ('<table><tr><th>id</th><th>kind</th><th>speaker</th><th>speaker entity</th><th>cue</th>'
            '<th class="num">conf.</th><th>text</th></tr>' + "".join(rows) + "</table>")


def _dl(pairs: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def _provenance(row: dict, source: str | None) -> str:
    p = row.get("provenance") if isinstance(row.get("provenance"), dict) else {}
    o = row.get("outlet") if isinstance(row.get("outlet"), dict) else {}
    ext = p.get("extractor") if isinstance(p.get("extractor"), dict) else {}
    none = '<span class="none">—</span>'

    def v(x, cls=""):
        if x is None or x == "" or x == []:
            return none
        return f'<span class="{cls}">{esc(x)}</span>' if cls else esc(x)

    outlet = " · ".join(esc(x) for x in (o.get("name"), o.get("id"), o.get("domain"), o.get("country"),
                                         o.get("ownership")) if x)
    pairs = [
        ("outlet", (outlet or none) + f' <span class="none">(from {esc(p.get("outlet_source") or "?")})</span>'),
        ("source path", v(p.get("source_path"), "mono")),
        ("source sha256", v(p.get("source_sha256"), "mono")),
        ("source bytes", v(p.get("source_bytes"))),
        ("source format", v(p.get("source_format"))),
        ("collection", v(p.get("collection"))),
        ("retrieved at", v(p.get("retrieved_at"))),
        ("licence", v(p.get("license"))),
        ("extractor", v(f"{ext.get('name')}@{ext.get('version')}" if ext else None, "mono")),
        ("pipeline version", v(p.get("pipeline_version"), "mono")),
        ("repairs", v(", ".join(str(r) for r in p.get("repairs") or []) or None)),
    ]
    annotators = [a for a in (p.get("annotators") or []) if isinstance(a, dict)]
    ann = ('<table><tr><th>task</th><th>name</th><th>version</th><th>model</th></tr>' + "".join(
        f'<tr><td>{esc(a.get("task"))}</td><td class="mono">{esc(a.get("name"))}</td>'
        f'<td class="mono">{esc(a.get("version"))}</td><td class="mono">{v(a.get("model"))}</td></tr>'
        for a in annotators) + "</table>") if annotators else '<p class="none">no annotators</p>'
    removed = [r for r in (p.get("removed") or []) if isinstance(r, dict)]
    if removed:
        head = ('<tr><th class="num">source start</th><th class="num">source end</th><th class="num">chars</th>'
                "<th>rule (reason)</th>" + ("<th>removed text</th>" if source is not None else "") + "</tr>")
        body = []
        for r in removed:
            s, e = _int(r.get("source_start")), _int(r.get("source_end"))
            length = e - s if s is not None and e is not None else None
            cell = ""
            if source is not None:
                chunk = source[s:e] if length is not None and 0 <= s <= e <= len(source) else ""
                chunk = chunk if len(chunk) <= 240 else chunk[:200] + " … " + chunk[-30:]
                cell = f'<td class="excerpt">{esc(chunk)}</td>'
            body.append(f'<tr><td class="num">{esc(r.get("source_start"))}</td><td class="num">'
                        f'{esc(r.get("source_end"))}</td><td class="num">{esc(length)}</td>'
                        f'<td class="mono rule">{esc(r.get("reason"))}</td>{cell}</tr>')
        rem = "<table>" + head + "".join(body) + "</table>"
    else:
        rem = '<p class="none">nothing removed</p>'
    return (_dl(pairs) + "<h3>Annotators</h3>" + ann
            + f"<h3>Removed as boilerplate ({len(removed)} span{'s' if len(removed) != 1 else ''})</h3>" + rem)


def render(row: Any, source: str | None = None) -> str:
    """A self-contained HTML page for one article row.

    ``row`` is a dict of the articles config (or a pandas Series of ``corpus.load()``).
    ``source``, the raw file's text, adds the text of each removed span to the provenance table.
    """
    if hasattr(row, "to_dict") and not isinstance(row, dict):
        row = row.to_dict()
    row = _plain(dict(row))
    title = row.get("title") or "(untitled)"
    lang = row.get("language") if isinstance(row.get("language"), str) and re.fullmatch(r"[a-z]{2}", row["language"]) else None
    o = row.get("outlet") if isinstance(row.get("outlet"), dict) else {}
    byline = [f"<b>{esc(o.get('name') or o.get('id') or 'unknown outlet')}</b>"]
    if row.get("published"):
        byline.append(f"{esc(row['published'])} <span class=\"none\">(date from {esc(row.get('published_source'))})</span>")
    else:
        byline.append('<span class="none">date unknown</span>')
    authors = [str(a) for a in (row.get("authors") or [])]
    if authors:
        byline.append("by " + esc(", ".join(authors)))
    if row.get("language"):
        byline.append(f"language {esc(row.get('language'))}")
    url = row.get("url")
    href = _safe_href(url)
    url_html = (f'<a href="{esc(href)}" rel="noreferrer noopener">{esc(url)}</a>' if href
                else esc(url) if url else '<span class="none">no URL</span>')
    marks = [f'id <span class="mono">{esc(row.get("id"))}</span>']
    if row.get("duplicate_of"):
        marks.append(f'exact duplicate of <span class="mono">{esc(row["duplicate_of"])}</span>')
    if row.get("near_duplicate_cluster"):
        marks.append(f'near-duplicate cluster <span class="mono">{esc(row["near_duplicate_cluster"])}</span>')
    n_ent, n_q, n_t = (len(_items(row, k)) for k in ("entities", "quotes", "topics"))
    return f"""<!DOCTYPE html>
<html{f' lang="{lang}"' if lang else ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<div class="page">
<header>
<h1>{esc(title)}</h1>
<p class="meta">{" · ".join(byline)}</p>
<p class="meta">{url_html}</p>
<p class="meta">{" · ".join(marks)} · {n_ent} mention{"s" if n_ent != 1 else ""}, {n_q} quote{"s" if n_q != 1 else ""}, {n_t} topic{"s" if n_t != 1 else ""}</p>
</header>
{_legend()}
<main class="article">
{_article(row)}
</main>
<section><h2>Topics</h2>{_topics(row)}</section>
<section><h2>Entities</h2>{_entities(row)}</section>
<section><h2>Quotes</h2>{_quotes(row)}</section>
<section><h2>Provenance</h2>{_provenance(row, source)}</section>
<footer>Rendered by corpus.viewer. Offsets are Python string indices: text offsets into the article's
<code>text</code>, source offsets into the raw file decoded as UTF-8.</footer>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------- lookup and command

def find_row(dataset: str | Path, article_id: str) -> dict:
    """The articles row whose id is ``article_id`` or starts with it (it must be unique).

    Reads only the id column of each shard, then the one row group holding the row.
    Raises LookupError when no id or several ids match, ValueError when it is not a hex prefix.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    prefix = article_id.strip().lower()
    if not _ID.fullmatch(prefix):
        raise ValueError(f"{article_id!r} is not an article id or id prefix (1 to 16 hex digits)")
    files = sorted((Path(dataset) / "articles").glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet files under {Path(dataset) / 'articles'}")
    hits: list[tuple[Path, int, str]] = []
    for f in files:
        ids = pq.read_table(f, columns=["id"]).column("id")
        mask = pc.starts_with(ids, prefix)
        for i in pc.indices_nonzero(mask).to_pylist():
            hits.append((f, i, ids[i].as_py()))
    if not hits:
        raise LookupError(f"no article id starts with {prefix!r} in {dataset}")
    if len(hits) > 1:
        shown = ", ".join(h[2] for h in hits[:10]) + (", …" if len(hits) > 10 else "")
        raise LookupError(f"{len(hits)} article ids start with {prefix!r}: {shown}; give more digits")
    path, index, _ = hits[0]
    pf = pq.ParquetFile(path)
    offset = 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if index < offset + n:
            return pf.read_row_group(g).slice(index - offset, 1).to_pylist()[0]
        offset += n
    raise LookupError(f"row {index} not found in {path}")  # pragma: no cover - metadata and data disagree


def read_source(row: dict, raw: str | Path) -> str | None:
    """The raw text dump the row was built from, if it is under ``raw`` and its sha256 matches; else None."""
    p = row.get("provenance") or {}
    rel = p.get("source_path")
    if p.get("source_format") != "text" or not rel or "#" in rel:
        return None
    root = Path(raw).resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != p.get("source_sha256"):
        return None
    return data.decode("utf-8")


@click.command("show")
@click.argument("article_id", metavar="ID")
@click.option("--dataset", default="data/dataset", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="Published dataset folder.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="HTML file to write [default: <ID>.html, with the full id].")
@click.option("--raw", type=click.Path(exists=True, file_okay=False), default=None,
              help="Raw folder the article was built from: also show the text of each removed span "
                   "(text dumps only, when the file's sha256 matches).")
def show(article_id: str, dataset: str, out: str | None, raw: str | None) -> None:
    """Write one article as a self-contained HTML page.

    ID is an article id or a unique prefix of one. The page shows the text with
    entities, quotes and topics highlighted, and the article's provenance.
    """
    try:
        row = find_row(dataset, article_id)
    except (LookupError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    source = None
    if raw is not None:
        source = read_source(row, raw)
        if source is None:
            click.echo(f"note: {row['provenance']['source_path']} not found under {raw} with the row's sha256 "
                       "(or not a text dump): removed text not shown", err=True)
    target = Path(out if out is not None else f"{row['id']}.html")
    target.write_text(render(row, source), encoding="utf-8")
    click.echo(f"wrote {target} ({row['title']})")
