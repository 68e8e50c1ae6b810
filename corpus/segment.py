"""Source text → blocks + removed spans, driven by ``resources/segmentation.json``.

Every non-blank line of the source ends up either in a block (with its exact
source offsets) or in ``removed`` (with the id of the rule that dropped it), so
kept + removed account for every non-blank character of the source.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .document import ArticleError

SEPARATOR = "\n\n"
_LINE = re.compile(r"[^\r\n]+")
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    reason: str
    outlet: str | None = None
    identifies_outlet: bool = False
    pattern: re.Pattern | None = None


@dataclass(frozen=True)
class Rules:
    version: str
    boilerplate: tuple[Rule, ...]
    block_types: tuple[tuple[str, re.Pattern], ...]
    captions_beside_credits: bool

    def for_outlet(self, outlet_id: str | None) -> list[Rule]:
        """The outlet's own rules first, then the generic ones, each in file order."""
        own = [r for r in self.boilerplate if r.outlet and r.outlet == outlet_id]
        return own + [r for r in self.boilerplate if r.outlet is None]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = json.loads(resources.files("corpus.resources").joinpath("segmentation.json").read_text(encoding="utf-8"))
    return Rules(
        version=data["version"],
        boilerplate=tuple(
            Rule(id=r["id"], kind=r["kind"], reason=r["reason"], outlet=r.get("outlet"),
                 identifies_outlet=r.get("identifies_outlet", False),
                 pattern=re.compile(r["pattern"]) if "pattern" in r else None)
            for r in data["boilerplate"]),
        block_types=tuple((b["type"], re.compile(b["pattern"])) for b in data["block_types"]),
        captions_beside_credits=data["captions_beside_credits"],
    )


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    group: int  # lines with no blank line between them share a group


def split_lines(src: str) -> list[Line]:
    """Non-blank lines with surrounding white space trimmed, grouped by blank lines."""
    out: list[Line] = []
    group, prev_end = 0, 0
    for m in _LINE.finditer(src):
        s, e = m.span()
        while s < e and (src[s].isspace() or src[s] == "\ufeff"):  # a BOM is not content
            s += 1
        while e > s and src[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        if out and len(_BREAK.findall(src, prev_end, s)) >= 2:
            group += 1
        out.append(Line(s, e, group))
        prev_end = e
    return out


def identify_outlet(src: str, lines: list[Line] | None = None) -> Rule | None:
    """The first outlet-identifying rule that matches a line of the source, if any."""
    lines = split_lines(src) if lines is None else lines
    for rule in rules().boilerplate:
        if rule.identifies_outlet and any(rule.pattern.fullmatch(src, ln.start, ln.end) for ln in lines):
            return rule
    return None


@dataclass(frozen=True)
class Segmentation:
    text: str
    blocks: list[dict]
    removed: list[dict]
    dateline: dt.date | None = None  # a publication date stated by the text itself

    @property
    def title(self) -> str:
        b = self.blocks[0]
        return self.text[b["start"]:b["end"]]


MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
          "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
_LIST_ITEM = re.compile(r"[-*•–↑·]\s*\S")


def _date(found: re.Match) -> dt.date | None:
    try:
        return dt.date(int(found["year"]), MONTHS[found["month"].lower()], int(found["day"]))
    except (ValueError, KeyError, IndexError):
        return None


def _link_line(text: str) -> bool:
    """A line of a related-links or sources list: a list item, or a short line that is no sentence."""
    return bool(_LIST_ITEM.match(text)) or (len(text) <= 100 and not text.rstrip().endswith((".", "!", "?", "»", '"', ":")))


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).casefold()


def segment(src: str, *, outlet_id: str | None, lead: bool, title: str | None = None,
            learned: dict | None = None) -> Segmentation:
    """Cut ``src`` into typed blocks; ``title`` (from metadata) picks the title line when given;
    ``learned`` maps normalised lines to rules learned from the corpus for this outlet (corpus.learn)."""
    lines = split_lines(src)
    removed: list[dict] = []
    outlet_rules = rules().for_outlet(outlet_id)
    active = [r for r in outlet_rules if r.kind in ("line", "dateline", "trailer")]
    kept: list[Line] = []
    dateline: dt.date | None = None
    trailer: Rule | None = None  # inside a "Voir aussi"/"Sources" section: its link lines go too
    for ln in lines:
        text = src[ln.start:ln.end]
        rule = next((r for r in active if r.pattern.fullmatch(text)), None)
        if rule is None and trailer is not None and _link_line(text):
            rule = trailer
        if rule is None and learned:
            rule = learned.get(" ".join(text.split()))
        if rule is None:
            trailer = None  # a real paragraph ends the links section
            kept.append(ln)
            continue
        if rule.kind == "trailer":
            trailer = rule
        removed.append({"source_start": ln.start, "source_end": ln.end, "reason": rule.id})
        if rule.kind == "dateline" and dateline is None:
            dateline = _date(rule.pattern.fullmatch(text))
    if not kept:
        raise ArticleError("nothing left after boilerplate removal")

    title_line = kept[0]
    if title:
        title_line = next((ln for ln in kept if _norm(src[ln.start:ln.end]) == _norm(title)), kept[0])
    title_text = src[title_line.start:title_line.end]
    repeat_rule = next((r for r in outlet_rules if r.kind == "title-repeat"), None)

    body: list[Line] = []
    for ln in kept:
        if ln is title_line:
            continue
        if repeat_rule and src.startswith(title_text, ln.start) and ln.start > title_line.start:
            cut = ln.start + len(title_text)
            removed.append({"source_start": ln.start, "source_end": cut, "reason": repeat_rule.id})
            while cut < ln.end and src[cut].isspace():
                cut += 1
            if cut == ln.end:
                continue
            ln = Line(cut, ln.end, ln.group)
        body.append(ln)
    if not body:
        raise ArticleError("no body text after the title")

    types = {ln: _block_type(src, ln) for ln in body}
    if rules().captions_beside_credits:
        # An image credit's caption is the line just before it (no blank line between),
        # or failing that the line just after it: scrapers put it on either side.
        for i, ln in enumerate(body):
            if types[ln] != "credit":
                continue
            for n in (body[i - 1] if i else None, body[i + 1] if i + 1 < len(body) else None):
                if n is not None and n.group == ln.group and types[n] == "paragraph":
                    types[n] = "caption"
                    break
    if lead:
        first = next((ln for ln in body if types[ln] == "paragraph"), None)
        if first is not None:
            types[first] = "lead"

    ordered = sorted([(title_line, "title")] + [(ln, types[ln]) for ln in body], key=lambda x: x[0].start)
    blocks, parts, pos = [], [], 0
    for ln, btype in ordered:
        if parts:
            pos += len(SEPARATOR)
        piece = src[ln.start:ln.end]
        blocks.append({"type": btype, "start": pos, "end": pos + len(piece),
                       "source_start": ln.start, "source_end": ln.end})
        parts.append(piece)
        pos += len(piece)
    removed.sort(key=lambda r: r["source_start"])
    return Segmentation(text=SEPARATOR.join(parts), blocks=blocks, removed=removed, dateline=dateline)


def _block_type(src: str, ln: Line) -> str:
    for btype, pattern in rules().block_types:
        if pattern.fullmatch(src, ln.start, ln.end):
            return btype
    return "paragraph"
