#!/usr/bin/env python3
"""Build gold-annotated raw articles from inline-markup sources.

Usage:
    python scripts/make_gold.py            # (re)write data/gold/NNN_*.txt and .gold.json
    python scripts/make_gold.py --check    # verify the files on disk, write nothing
    python scripts/make_gold.py --src DIR --out DIR

Standard library only. Every `data/gold/src/NNN_slug.src` file describes one
article; the script writes, next to the seed gold file, the raw text dump
`NNN_<hash>.txt` and its annotations `NNN_<hash>.gold.json` (format of
`shared/gold/000_*.gold.json`). `<hash>` is the first 16 hex digits of the
sha256 of the raw file bytes, and `raw_sha256` in the gold file is the full
sha256 of those bytes. Offsets are Python str indices (code points) into the
raw file decoded as UTF-8, end exclusive.

Source format
-------------
A header of `key: value` lines, a line `---`, then the body. The body with all
markup removed is the raw file, byte for byte (UTF-8).

Header keys:
    number              NNN of the output files (101, 102, ...)
    url, outlet, domain, language, published, published_note, license,
    license_url, attribution, modifications
                        copied into the gold `metadata` object, in this order;
                        url, outlet, domain, language and published are always
                        written (null when not given)
    annotation_notes    may be repeated; becomes a list in `metadata`
    topics_required     space-separated IPTC top-level codes (medtop:NN000000)
    topics_acceptable   idem, may be empty
    topics_note         free text
    newline             `lf` (default) or `crlf`: every newline of the body is
                        written as "\\r\\n" (offsets count both characters)
    typography          `plain` (default) or `nbsp`: "« " / " »" become
                        "«\\u00a0" / "\\u00a0»" and " :" becomes "\\u202f:"
                        (one character for one, so offsets do not move)

Body markup: a span is written `⟦HEADER|content⟧` (U+27E6 ... U+27E7); spans
nest; the header ends at the first `|`. Headers:
    b:TYPE          kept block; TYPE in title, lead, paragraph, caption, credit
    x:REASON        boilerplate span, with the reason recorded in the gold file
    e:LABEL[?][!][:QID]
                    entity mention; LABEL in PER, ORG, LOC; `?` marks it
                    optional (debatable); `!` allows a leading article that is
                    part of an official name ("La France insoumise"); QID is a
                    Wikidata id such as Q90
    q:ID:KIND       quote span (the quoted words, without quotation marks);
                    KIND in direct, partial, indirect; ID is local to the file
    s:ID[,ID..]=NAME
                    speaker span of the quote(s) ID; NAME is the canonical
                    entity name (`refers_to`) and must be the text of an entity
                    mention of the same article. A quote without `s:` has
                    speaker null.
    c:ID[,ID..]     cue span (reporting verb, `selon`, or the colon) of the
                    quote(s) ID. A quote without `c:` has cue null.

Checks (any failure stops the script with a message naming the file):
    * markup is balanced and headers are well formed;
    * for every annotation raw[start:end] == text, also after writing and
      re-reading the raw file as bytes;
    * blocks are ordered, do not overlap, are trimmed; the first is the title
      and starts at offset 0; there is exactly one title;
    * boilerplate spans overlap no block and no other boilerplate span, and
      blocks + boilerplate cover every non-whitespace character of the file;
    * every entity, quote, speaker and cue lies inside one block; entity
      mentions do not overlap; spans are trimmed; entity spans do not start
      with a determiner or elision (unless `!`); quote spans do not start or
      end with a quotation mark; direct and partial quotes are enclosed in
      quotation marks in the raw text;
    * quote ids are unique, speaker/cue ids exist, a quote has at most one
      speaker and one cue, `refers_to` names an entity of the article;
    * topics are top-level IPTC codes, at least one required;
    * real articles carry url and license; fixtures carry the CC0 licence.
"""
import argparse
import hashlib
import json
import os
import re
import sys

OPEN, CLOSE = "\u27e6", "\u27e7"
BLOCK_TYPES = ("title", "lead", "paragraph", "caption", "credit")
LABELS = ("PER", "ORG", "LOC")
KINDS = ("direct", "partial", "indirect")
TOP_TOPICS = {f"medtop:{i:02d}000000" for i in range(1, 18)}
META_KEYS = ("url", "outlet", "domain", "language", "published", "published_note",
             "license", "license_url", "attribution", "modifications")
CONTROL_KEYS = ("number", "topics_required", "topics_acceptable", "topics_note",
                "newline", "typography", "annotation_notes")
FIXTURE_LICENSE = "CC0 (written for this project)"
QUOTE_MARKS = "«»\"“”„‘’'"
OPENING_MARKS = "«\"“„"
CLOSING_MARKS = "»\"”“"
SPACES = " \u00a0\u202f\t"
DETERMINERS = re.compile(r"^(?:l['’]|d['’]|qu['’]|(?:le|la|les|du|des|au|aux|un|une) )", re.I)
OUT_NAME = re.compile(r"^(\d{3})_[0-9a-f]{16}\.(?:txt|gold\.json)$")


class GoldError(Exception):
    pass


def fail(src, msg):
    raise GoldError(f"{os.path.basename(src)}: {msg}")


# ---------------------------------------------------------------- parsing

def read_source(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    if "\r" in text:
        fail(path, "source must use LF newlines (use `newline: crlf` for CRLF output)")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        fail(path, "missing '---' line between header and body")
    header = {"annotation_notes": []}
    for n, line in enumerate(head.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or key not in META_KEYS + CONTROL_KEYS:
            fail(path, f"header line {n}: unknown or malformed {line!r}")
        if key == "annotation_notes":
            header[key].append(value)
        elif key in header:
            fail(path, f"header key {key!r} given twice")
        else:
            header[key] = value
    return header, body


def apply_typography(body):
    return body.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u202f:")


def parse_body(path, body, crlf):
    """Strip the markup; return (raw text, list of (header, start, end, line))."""
    out, pos, line = [], 0, 1
    stack, spans = [], []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == OPEN:
            j = body.find("|", i)
            if j < 0:
                fail(path, f"line {line}: tag without '|'")
            header = body[i + 1:j]
            if any(c in header for c in (OPEN, CLOSE, "\n")):
                fail(path, f"line {line}: malformed tag header {header!r}")
            stack.append((header, pos, line))
            i = j + 1
        elif ch == CLOSE:
            if not stack:
                fail(path, f"line {line}: '{CLOSE}' without opening tag")
            header, start, l0 = stack.pop()
            spans.append((header, start, pos, l0))
            i += 1
        else:
            if ch == "\n":
                line += 1
                piece = "\r\n" if crlf else "\n"
            else:
                piece = ch
            out.append(piece)
            pos += len(piece)
            i += 1
    if stack:
        fail(path, f"unclosed tag {stack[-1][0]!r} opened on line {stack[-1][2]}")
    return "".join(out), spans


# ---------------------------------------------------------------- building

def span_obj(raw, s, e):
    return {"start": s, "end": e, "text": raw[s:e]}


def build(path):
    header, body = read_source(path)
    if header.get("typography", "plain") == "nbsp":
        body = apply_typography(body)
    elif header.get("typography", "plain") != "plain":
        fail(path, "typography must be 'plain' or 'nbsp'")
    if header.get("newline", "lf") not in ("lf", "crlf"):
        fail(path, "newline must be 'lf' or 'crlf'")
    raw, spans = parse_body(path, body, header.get("newline") == "crlf")

    blocks, boiler, ents, quotes, speakers, cues = [], [], [], {}, [], []
    for hdr, s, e, line in spans:
        where = f"line {line}, tag {hdr!r}"
        if s >= e:
            fail(path, f"{where}: empty span")
        kind, _, rest = hdr.partition(":")
        if kind == "b":
            if rest not in BLOCK_TYPES:
                fail(path, f"{where}: unknown block type")
            blocks.append({"type": rest, **span_obj(raw, s, e)})
        elif kind == "x":
            if not rest:
                fail(path, f"{where}: boilerplate needs a reason")
            boiler.append({**span_obj(raw, s, e), "reason": rest})
        elif kind == "e":
            m = re.fullmatch(r"(PER|ORG|LOC)([?!]*)(?::(Q[1-9]\d*))?", rest)
            if not m:
                fail(path, f"{where}: malformed entity tag")
            ent = {**span_obj(raw, s, e), "label": m.group(1)}
            if m.group(3):
                ent["wikidata_id"] = m.group(3)
            if "?" in m.group(2):
                ent["optional"] = True
            ent["_article_ok"] = "!" in m.group(2)
            ent["_line"] = line
            ents.append(ent)
        elif kind == "q":
            qid, _, qkind = rest.partition(":")
            if not qid or qkind not in KINDS:
                fail(path, f"{where}: malformed quote tag (q:ID:KIND)")
            if qid in quotes:
                fail(path, f"{where}: quote id {qid} used twice")
            quotes[qid] = {**span_obj(raw, s, e), "kind": qkind, "speaker": None, "cue": None,
                           "_line": line}
        elif kind == "s":
            ids, eq, name = rest.partition("=")
            if not eq or not ids or not name:
                fail(path, f"{where}: malformed speaker tag (s:ID=NAME)")
            speakers.append((ids.split(","), {**span_obj(raw, s, e), "refers_to": name}, line))
        elif kind == "c":
            if not rest:
                fail(path, f"{where}: malformed cue tag (c:ID)")
            cues.append((rest.split(","), span_obj(raw, s, e), line))
        else:
            fail(path, f"{where}: unknown tag kind")

    for field, items in (("speaker", speakers), ("cue", cues)):
        for ids, obj, line in items:
            for qid in ids:
                if qid not in quotes:
                    fail(path, f"line {line}: {field} for unknown quote id {qid!r}")
                if quotes[qid][field] is not None:
                    fail(path, f"line {line}: quote {qid} has two {field}s")
                quotes[qid][field] = dict(obj)

    blocks.sort(key=lambda b: b["start"])
    boiler.sort(key=lambda b: b["start"])
    ents.sort(key=lambda x: x["start"])
    qlist = sorted(quotes.values(), key=lambda q: (q["start"], q["end"]))

    validate(path, header, raw, blocks, boiler, ents, qlist)

    for x in ents:
        del x["_article_ok"], x["_line"]
    for q in qlist:
        del q["_line"]

    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    number = int(header["number"])
    stem = f"{number:03d}_{sha[:16]}"
    # url, outlet, domain, language and published are always present (null when
    # unknown, e.g. for fixtures); the other metadata keys only when given.
    always = ("url", "outlet", "domain", "language", "published")
    meta = {k: header.get(k) or None for k in always}
    meta.update({k: header[k] for k in META_KEYS if k not in always and header.get(k)})
    if header["annotation_notes"]:
        meta["annotation_notes"] = header["annotation_notes"]
    gold = {
        "raw_file": stem + ".txt",
        "raw_sha256": sha,
        "offsets": "Python str indices (Unicode code points) into the raw file decoded as UTF-8; end exclusive",
        "metadata": meta,
        "blocks": blocks,
        "boilerplate": boiler,
        "entities": ents,
        "quotes": qlist,
        "topics": {
            "required": header.get("topics_required", "").split(),
            "acceptable": header.get("topics_acceptable", "").split(),
            "note": header.get("topics_note", ""),
        },
    }
    return number, stem, raw, gold


# ---------------------------------------------------------------- checks

def trimmed(text):
    return text == text.strip(SPACES + "\r\n")


def validate(path, header, raw, blocks, boiler, ents, quotes):
    def where(obj):
        return f"{obj.get('text', '')[:40]!r} @{obj['start']}"

    def check_text(obj):
        if raw[obj["start"]:obj["end"]] != obj["text"]:
            fail(path, f"text mismatch {where(obj)}")

    def block_of(obj):
        for b in blocks:
            if b["start"] <= obj["start"] and obj["end"] <= b["end"]:
                return b
        return None

    if "number" not in header or not re.fullmatch(r"\d{1,3}", header["number"]):
        fail(path, "header 'number' missing or not a number")
    if int(header["number"]) == 0:
        fail(path, "number 000 is reserved for the seed")

    # blocks and boilerplate
    if not blocks:
        fail(path, "no blocks")
    titles = [b for b in blocks if b["type"] == "title"]
    if len(titles) != 1 or blocks[0]["type"] != "title" or blocks[0]["start"] != 0:
        fail(path, "exactly one title block, first, starting at offset 0, is required")
    regions = sorted([(b["start"], b["end"], "block") for b in blocks] +
                     [(x["start"], x["end"], "boilerplate") for x in boiler])
    for (s1, e1, k1), (s2, e2, k2) in zip(regions, regions[1:]):
        if s2 < e1:
            fail(path, f"{k1} [{s1},{e1}) overlaps {k2} [{s2},{e2})")
    for obj in blocks + boiler:
        check_text(obj)
        if not trimmed(obj["text"]):
            fail(path, f"block/boilerplate not trimmed {where(obj)}")
    covered = bytearray(len(raw))
    for s, e, _ in regions:
        covered[s:e] = b"\x01" * (e - s)
    for i, ch in enumerate(raw):
        if not covered[i] and not ch.isspace():
            fail(path, f"character {ch!r} at {i} is in no block and no boilerplate span "
                       f"(context {raw[max(0, i - 20):i + 20]!r})")

    # entities
    names = set()
    prev = None
    for x in ents:
        check_text(x)
        ln = f"line {x['_line']}"
        if block_of(x) is None:
            fail(path, f"{ln}: entity outside any block {where(x)}")
        if not trimmed(x["text"]) or x["text"][-1] in ".,;:!?" or x["text"][0] in QUOTE_MARKS:
            fail(path, f"{ln}: entity span not minimal {where(x)}")
        if DETERMINERS.match(x["text"]) and not x["_article_ok"]:
            fail(path, f"{ln}: entity starts with a determiner/elision {where(x)} (use '!' if part of the name)")
        if prev is not None and x["start"] < prev["end"]:
            fail(path, f"{ln}: entity {where(x)} overlaps {where(prev)}")
        prev = x
        names.add(norm(x["text"]))

    # quotes
    for q in quotes:
        check_text(q)
        ln = f"line {q['_line']}"
        if block_of(q) is None:
            fail(path, f"{ln}: quote outside any block (or across blocks) {where(q)}")
        t = q["text"]
        if not trimmed(t) or t[0] in QUOTE_MARKS or t[-1] in QUOTE_MARKS:
            fail(path, f"{ln}: quote span must exclude quotation marks and spaces {where(q)}")
        if q["kind"] in ("direct", "partial"):
            # Enclosed in marks; a part of a quotation split by an incise
            # ('« A, a-t-il dit. B »') only has a mark on one side, the other
            # mark being elsewhere in the same block.
            b = block_of(q)
            i = q["start"] - 1
            while i >= b["start"] and raw[i] in SPACES:
                i -= 1
            j = q["end"]
            while j < b["end"] and raw[j] in SPACES:
                j += 1
            before = i >= b["start"] and raw[i] in OPENING_MARKS
            after = j < b["end"] and raw[j] in CLOSING_MARKS
            if not (before and after):
                before = before or any(c in OPENING_MARKS for c in raw[b["start"]:q["start"]])
                after = after or any(c in CLOSING_MARKS for c in raw[q["end"]:b["end"]])
                if not (before and after) or q["text"].count("«") != q["text"].count("»"):
                    fail(path, f"{ln}: {q['kind']} quote not enclosed in quotation marks {where(q)}")
        for field in ("speaker", "cue"):
            obj = q[field]
            if obj is None:
                continue
            check_text(obj)
            if block_of(obj) is None:
                fail(path, f"{ln}: {field} outside any block {where(obj)}")
            if not trimmed(obj["text"]):
                fail(path, f"{ln}: {field} not trimmed {where(obj)}")
        if q["speaker"] is not None and norm(q["speaker"]["refers_to"]) not in names:
            fail(path, f"{ln}: refers_to {q['speaker']['refers_to']!r} is not the text of any entity mention")

    # topics and metadata
    req = header.get("topics_required", "").split()
    acc = header.get("topics_acceptable", "").split()
    if not req:
        fail(path, "at least one required topic")
    for code in req + acc:
        if code not in TOP_TOPICS:
            fail(path, f"topic {code!r} is not a top-level IPTC media topic")
    if set(req) & set(acc):
        fail(path, "a topic is both required and acceptable")
    outlet = header.get("outlet")
    if not outlet or not header.get("language"):
        fail(path, "outlet and language are required")
    if outlet == "fixture":
        if header.get("license") != FIXTURE_LICENSE:
            fail(path, f"fixtures must carry license {FIXTURE_LICENSE!r}")
    else:
        for key in ("url", "license", "attribution"):
            if not header.get(key):
                fail(path, f"real article without {key!r}")
    if header.get("published") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", header["published"]):
        fail(path, "published must be YYYY-MM-DD")


def norm(text):
    return " ".join(text.replace("’", "'").split())


# ---------------------------------------------------------------- output

def render(gold):
    return json.dumps(gold, ensure_ascii=False, indent=1)


def verify_written(out_dir, stem, raw, gold):
    """Re-read the files as bytes and check every annotation against them."""
    with open(os.path.join(out_dir, stem + ".txt"), "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != gold["raw_sha256"]:
        raise GoldError(f"{stem}: raw file on disk does not match raw_sha256")
    text = data.decode("utf-8")
    if text != raw:
        raise GoldError(f"{stem}: raw file on disk differs from the built text")
    with open(os.path.join(out_dir, stem + ".gold.json"), encoding="utf-8") as f:
        disk = json.load(f)
    if disk != json.loads(render(gold)):
        raise GoldError(f"{stem}: gold file on disk differs from the built annotations")
    objs = disk["blocks"] + disk["boilerplate"] + disk["entities"] + disk["quotes"]
    objs += [q[k] for q in disk["quotes"] for k in ("speaker", "cue") if q[k]]
    for o in objs:
        if text[o["start"]:o["end"]] != o["text"]:
            raise GoldError(f"{stem}: offset check failed for {o['text'][:40]!r}")


MANIFEST_KEYS = ("url", "outlet", "published", "language", "license")


def write_manifest(out_dir):
    """manifest.jsonl for `corpus build --raw data/gold`: each gold file's metadata, so that
    the gold articles build with the outlet, date, URL and licence their pages state."""
    lines = []
    for name in sorted(os.listdir(out_dir)):
        if not name.endswith(".gold.json"):
            continue
        with open(os.path.join(out_dir, name), encoding="utf-8") as f:
            gold = json.load(f)
        meta = gold.get("metadata", {})
        entry = {"path": gold["raw_file"], **{k: meta[k] for k in MANIFEST_KEYS if meta.get(k)}}
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    with open(os.path.join(out_dir, "manifest.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=os.path.join(root, "data", "gold", "src"))
    ap.add_argument("--out", default=os.path.join(root, "data", "gold"))
    ap.add_argument("--check", action="store_true",
                    help="verify that the files on disk match the sources; write nothing")
    a = ap.parse_args(argv)

    sources = sorted(f for f in os.listdir(a.src) if f.endswith(".src"))
    if not sources:
        print(f"no .src files in {a.src}", file=sys.stderr)
        return 1
    built, numbers = [], {}
    try:
        for name in sources:
            number, stem, raw, gold = build(os.path.join(a.src, name))
            if number in numbers:
                raise GoldError(f"{name}: number {number:03d} already used by {numbers[number]}")
            numbers[number] = name
            built.append((number, stem, raw, gold))
        if not a.check:
            os.makedirs(a.out, exist_ok=True)
            for f in os.listdir(a.out):  # drop outputs of the same numbers built from older text
                m = OUT_NAME.match(f)
                if m and int(m.group(1)) in numbers:
                    os.remove(os.path.join(a.out, f))
            for number, stem, raw, gold in built:
                with open(os.path.join(a.out, stem + ".txt"), "wb") as f:
                    f.write(raw.encode("utf-8"))
                with open(os.path.join(a.out, stem + ".gold.json"), "w", encoding="utf-8") as f:
                    f.write(render(gold))
        for number, stem, raw, gold in built:
            verify_written(a.out, stem, raw, gold)
        if not a.check:
            write_manifest(a.out)
    except (GoldError, FileNotFoundError) as exc:
        print(f"make_gold: ERROR: {exc}", file=sys.stderr)
        return 1

    totals = {"entities": 0, "direct": 0, "partial": 0, "indirect": 0}
    for number, stem, raw, gold in built:
        kinds = [q["kind"] for q in gold["quotes"]]
        totals["entities"] += len(gold["entities"])
        for k in KINDS:
            totals[k] += kinds.count(k)
        print(f"{stem}  {gold['metadata']['outlet']:9} chars={len(raw):5} blocks={len(gold['blocks']):2} "
              f"boilerplate={len(gold['boilerplate']):2} entities={len(gold['entities']):3} "
              f"quotes={len(kinds):2} (d={kinds.count('direct')} p={kinds.count('partial')} "
              f"i={kinds.count('indirect')})")
    print(f"{len(built)} articles, {totals['entities']} entity mentions, quotes: "
          f"{totals['direct']} direct, {totals['partial']} partial, {totals['indirect']} indirect"
          + (" -- files on disk match" if a.check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
