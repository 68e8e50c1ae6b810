"""Named entities: spaCy's NER, corrected by data rules, grouped per article, linked to Wikidata.

For each block, the mentions of the shared spaCy parse (``doc.cache["spacy"]``,
NER only) go through the rules of ``resources/entity_rules.json`` (cut at line
breaks and quotes, trim punctuation, strip determiners, drop roles and common
nouns, split hyphenated pairs, relabel institutions, demonyms and known names);
names the model missed are added from the alias table and from image-credit
lines. Mentions of one thing in the article then share an ``entity`` (its most
complete name) and, when the alias table knows it unambiguously, a
``wikidata_id``; a surname alone takes the identity of the full name it
shortens in the same article. ``docs/entities.md`` describes every rule.

Runnable alone on one document: ``Entities()([doc])`` parses it if no parse is cached.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .. import linking
from ..linking import AliasTable, Entry, normalize
from ..nlp import MODELS, ensure_parsed, model_version
from . import Annotator

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
_WORD = re.compile(r"\w+(?:[-‐]\w+)*", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_]+['’]|\w+(?:[-‐.]\w+)*\.?|\S", re.UNICODE)
_UPPER_START = re.compile(r"[A-ZÀ-ÖØ-Þ0-9]")
_ACRONYM_END = re.compile(r"(?:\b[A-ZÀ-ÖØ-Þ]\.){2,}$")
_SENTENCE_OPENERS = " \t\u00a0\u202f\u2009«\"“„'‘-–—([*•"
_SENTENCE_ENDS = ".!?…:;"
_FOLLOWING = re.compile(r"(?:[ \u00a0]+[\w'’][\w'’\-]*)+")
_NEXT_WORD = re.compile(r"[ \u00a0]+[\w'’][\w'’\-]*")
_PREV_WORD = re.compile(r"(?<![\w'’\-])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ][\w\-]*)[ \u00a0]$")
_PREV_TOKEN = re.compile(r"(?<![\w'’])(\w+)[\s\u00a0]+$")
_AFTER_OPENING_QUOTE = re.compile(r"[«“\"][\s\u00a0\u202f]*$")
_OF_BEFORE = re.compile(r"(?<![\w'’-])([\w-]+)[\s\u00a0]+(?:de|du|d['’])[\s\u00a0]*$")
_OF = re.compile(r"\b(?:de|du|des|d['’])\W*$")
_NOT_A_PLACE = re.compile(r"(?:\bà la|\ben)[\s\u00a0]+$", re.IGNORECASE)
_PARTICLES = {"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "ben", "bin", "al", "el", "ibn", "di", "da", "del", "dos"}


# ---------------------------------------------------------------- the rules (data)

@dataclass(frozen=True)
class Rules:
    version: str
    split: re.Pattern
    trim: str
    junk: tuple[re.Pattern, ...]
    min_length: int
    det: re.Pattern
    det_per: frozenset[str]
    keep: frozenset[str]
    role_heads: frozenset[str]
    role_head_max: int
    person_titles: frozenset[str]
    complements: frozenset[str]
    not_entities: frozenset[str]
    hy_min_acronym: int
    hy_never_after: frozenset[str]
    hy_never_before: frozenset[str]
    hy_known: frozenset[str]
    institutions: frozenset[str]
    misc: frozenset[str]
    demonym_endings: tuple[str, ...]
    demonym_context: frozenset[str]
    gaz_enabled: bool
    gaz_min_length: int
    gaz_min_acronym: int
    gaz_max_tokens: int
    credit_types: frozenset[str]
    credit_prefix: re.Pattern
    credit_sep: re.Pattern
    credit_org_words: frozenset[str]
    credit_max_tokens: int
    trailing: frozenset[str]
    common_words: bool
    complement_window: int
    org_heads: frozenset[str]
    extend_max: int
    of_split: re.Pattern
    prefix_min_rest: int
    contractions: dict
    geo_adjectives: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern], ...]
    acronym_max: int
    street: re.Pattern
    inst_heads: re.Pattern
    misc_heads: frozenset[str]
    confidence: dict = field(default_factory=dict)


def _prefix_pattern(prefixes: list[str]) -> re.Pattern:
    alts = []
    for p in sorted(prefixes, key=len, reverse=True):
        alts.append(re.escape(p).replace("'", "['’]").replace("\\ ", r"[\s\u00a0]+").replace(" ", r"[\s\u00a0]+"))
    return re.compile(r"^(?:" + "|".join(alts) + ")" if alts else r"(?!)", re.IGNORECASE)


def rules_from(data: dict) -> Rules:
    n = lambda xs: frozenset(normalize(x) for x in xs)  # noqa: E731
    det, roles, hy, rel, gaz, cred = (data["determiners"], data["roles"], data["hyphen_split"],
                                     data["relabel"], data["gazetteer"], data["credits"])
    return Rules(
        version=data["version"],
        split=re.compile("[" + re.escape(data["split_chars"]) + "]+"),
        trim=data["trim_chars"],
        junk=tuple(re.compile(p) for p in data["junk_patterns"]),
        min_length=data["min_length"],
        det=_prefix_pattern(det["prefixes"]),
        det_per=n(det["per_prefixes"]),
        keep=n(det["keep"]),
        role_heads=n(roles["heads"]),
        role_head_max=max(len(normalize(h).split()) for h in roles["heads"]),
        person_titles=n(roles["person_titles"]),
        complements=n(roles["complements"]),
        not_entities=n(data["not_entities"]["words"]),
        hy_min_acronym=hy["min_acronym"],
        hy_never_after=frozenset(hy["never_split_after"]),  # case-sensitive: `Sud` is a word, `SUD` a union
        hy_never_before=frozenset(hy["never_split_before"]),
        hy_known=n(hy["known"]),
        institutions=n(data["institutions"]["names"]),
        misc=n(rel["MISC"]),
        demonym_endings=tuple(rel["demonym_endings"]),
        demonym_context=frozenset(rel["demonym_context"]),
        gaz_enabled=gaz["enabled"],
        gaz_min_length=gaz["min_length"],
        gaz_min_acronym=gaz["min_acronym"],
        gaz_max_tokens=gaz["max_tokens"],
        credit_types=frozenset(cred["block_types"]),
        credit_prefix=re.compile(cred["prefix"]),
        credit_sep=re.compile(cred["separators"]),
        credit_org_words=n(cred["org_words"]),
        credit_max_tokens=cred["max_tokens"],
        trailing=n(data["trailing_words"]["words"]),
        common_words=data["common_words"]["enabled"],
        complement_window=data["role_complements_context"]["window"],
        org_heads=n(data["org_heads"]["words"]),
        extend_max=data["extend"]["max_words"],
        of_split=re.compile(r"[\s\u00a0]+(?:" + "|".join(
            re.escape(c.strip()).replace("\\ ", r"[\s\u00a0]+").replace("'", "['’]")
            + (r"[\s\u00a0]*" if c.strip().endswith("'") else r"[\s\u00a0]+")
            for c in sorted(data["of_split"]["connectors"], key=len, reverse=True)) + ")"),
        prefix_min_rest=data["prefix_split"]["min_rest"],
        contractions={normalize(k): v for k, v in data["contractions"]["after"].items()},
        geo_adjectives=n(data["geo_adjectives"]["words"]),
        patterns=tuple((x["label"], re.compile(x["pattern"])) for x in data["patterns"]["items"]),
        acronym_max=data["acronyms"]["max_length"],
        street=re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(w) for w in sorted(data["street_heads"]["words"], key=len, reverse=True))
                          + r")(?:[\s\u00a0]+(?:de[\s\u00a0]+la|de|du|des)[\s\u00a0]+|[\s\u00a0]+(?:de|d)['’]|[\s\u00a0]+)$"),
        inst_heads=re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(w) for w in sorted(data["institution_heads"]["words"], key=len, reverse=True))
                              + r")(?:[\s\u00a0]+[a-zà-öø-ÿ'’\-]+){0,%d}?" % data["institution_heads"]["max_words"]
                              + r"(?:[\s\u00a0]+(?:de[\s\u00a0]+la|de|du|des)[\s\u00a0]+|[\s\u00a0]+(?:de|d)['’])$"),
        misc_heads=n(data["misc_heads"]["words"]),
        confidence=dict(data["confidence"]),
    )


def rules_data() -> dict:
    return json.loads(resources.files("corpus.resources").joinpath("entity_rules.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return rules_from(rules_data())


# ---------------------------------------------------------------- mentions in the making

@dataclass
class Cand:
    start: int                 # block-relative
    end: int
    label: str
    origin: str                # model | gazetteer | institution | credit
    rewritten: bool = False
    entry: Entry | None = None  # the alias-table entry of this very text, if unambiguous
    institution: bool = False


def _is_upper_start(s: str) -> bool:
    return bool(s) and bool(_UPPER_START.match(s))


def _is_acronym(s: str, min_len: int) -> bool:
    return len(s) >= min_len and s.isalpha() and s.isupper()


def sentence_start(text: str, start: int) -> bool:
    """True when nothing but opening punctuation stands between ``start`` and a sentence end."""
    i = start
    while i > 0 and text[i - 1] in _SENTENCE_OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_ENDS


# The patterns matched against the text just before a span (`...$`) match a few words at most;
# searching only this far back gives the same match without rescanning the block from its start.
_LOOKBACK = 200


def ending_at(pattern: re.Pattern, text: str, end: int) -> re.Match | None:
    """``pattern.search(text, 0, end)`` for a pattern anchored at ``end``, in constant time."""
    return pattern.search(text, max(0, end - _LOOKBACK), end)


class Resolver:
    """The rules applied to the spans of one block (pure functions of text, span, label)."""

    def __init__(self, rules: Rules, table: AliasTable, lexicon=frozenset()):
        self.r = rules
        self.t = table
        self.lexicon = lexicon  # lowercase common French words (``in`` only)
        self._inst_first = frozenset(k.split()[0] for k in rules.institutions)

    # -- knowledge
    def known(self, s: str) -> bool:
        k = normalize(s)
        return k in self.r.keep or k in self.r.institutions or k in self.r.hy_known or s in self.t

    def lookup(self, s: str, label: str | None) -> Entry | None:
        return self.t.lookup(s, label)

    def lookup_at(self, text: str, s: int, e: int, label: str | None) -> Entry | None:
        """The entry of text[s:e], trying the article a contraction before it hides (`au Caire` → `Le Caire`)."""
        entry = self.t.lookup(text[s:e], label)
        if entry is None:
            m = ending_at(_PREV_TOKEN, text, s)
            article = m and self.r.contractions.get(normalize(m.group(1)))
            if article:
                entry = self.t.lookup(article + text[s:e], label)
        return entry

    # -- the steps
    def pieces(self, text: str, s: int, e: int) -> list[tuple[int, int]]:
        """Cut at line breaks, quotes, brackets; trim punctuation and spaces at both ends."""
        out = []
        pos = s
        for m in list(self.r.split.finditer(text, s, e)) + [None]:
            ps, pe = pos, (m.start() if m else e)
            pos = m.end() if m else e
            ps, pe = self.trim(text, ps, pe)
            if ps < pe:
                out.append((ps, pe))
        return out

    def trim(self, text: str, s: int, e: int) -> tuple[int, int]:
        trim = self.r.trim
        while s < e and (text[s] in trim or text[s].isspace()):
            s += 1
        while e > s and (text[e - 1] in trim or text[e - 1].isspace()):
            if text[e - 1] == "." and _ACRONYM_END.search(text, s, e):
                break
            e -= 1
        return s, e

    def junk(self, span: str) -> bool:
        if len(span) < self.r.min_length:
            return True
        return any(p.search(span) for p in self.r.junk)

    def strip_determiner(self, text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
        """None: drop the mention. Repeats while a determiner leads (``de la`` → ``la`` → ...)."""
        for _ in range(3):
            span = text[s:e]
            if self.known(span):
                return s, e
            m = self.r.det.match(span)
            if not m:
                return s, e
            det = m.group()
            if det[0].isupper() and not sentence_start(text, s):
                return s, e  # `à La Rochelle`: a capitalised article inside a sentence is part of the name
            if label == "PER" and (det[0].isupper() or normalize(det) not in self.r.det_per):
                return s, e  # `de Gaulle`, `Le Pen`: particles of a person's name
            ns = s + m.end()
            ns, e = self.trim(text, ns, e)
            if ns >= e or not _is_upper_start(text[ns:e]):
                return None
            s = ns
        return s, e

    def role(self, text: str, s: int, e: int, label: str) -> tuple[tuple[int, int] | None, str, bool]:
        """(span, label, changed): a leading title/role is cut off; a role alone is dropped (span None)."""
        span = text[s:e]
        toks = [(m.start() + s, m.end() + s, m.group()) for m in _TOKEN.finditer(span)]
        if not toks:
            return None, label, True
        first = normalize(toks[0][2])
        if first in self.r.person_titles:
            rest = [t for t in toks[1:] if t[2] not in ".’'"]
            if rest and _is_upper_start(rest[0][2]):
                return (rest[0][0], e), "PER", True
            return None, label, True
        head = None
        for n in range(min(self.r.role_head_max, len(toks)), 0, -1):
            if normalize(text[toks[0][0]:toks[n - 1][1]]) in self.r.role_heads:
                head = n
                break
        if head is None:
            return (s, e), label, False
        # the name: the trailing run of capitalised words (with particles), up to a role complement
        name_start = None
        i = len(toks) - 1
        while i >= head:
            w = toks[i][2]
            if _is_upper_start(w) and normalize(w) not in self.r.complements:
                name_start = i
            elif normalize(w) in _PARTICLES and name_start is not None:
                pass
            else:
                break
            i -= 1
        if name_start is None:
            return None, label, True
        # keep a particle directly before the surname when the name is a single capitalised word (`général de Gaulle`)
        j = name_start - 1
        if j >= head and normalize(toks[j][2]) in {"de", "d'"} and name_start == len(toks) - 1:
            name_start = j
        return (toks[name_start][0], e), "PER", True

    def noun_head(self, text: str, s: int, e: int) -> tuple[int, int] | None:
        """`États du Jonglei` → the span of `Jonglei`; None when the span has no such head."""
        first = _TOKEN.match(text, s)
        if not first or normalize(first.group()) not in self.r.not_entities:
            return None
        m = self.r.of_split.match(text, first.end(), e)
        if m and m.end() < e and _is_upper_start(text[m.end():e]):
            return m.end(), e
        return None

    def common_noun(self, span: str) -> bool:
        parts = [p for p in re.split(r"[\s\u00a0\-‐]+", span) if p]
        if not parts or normalize(parts[0]) not in self.r.not_entities:
            return False
        return all(not _is_upper_start(p) for p in parts[1:])

    def hyphen_split(self, text: str, s: int, e: int, label: str = None, chain: bool = False):
        """Names joined by a hyphen → their spans; None when the span is one name."""
        span = text[s:e]
        if "-" not in span or self.known(span) or " " in span.strip():
            return None
        for m in re.finditer("-", span):
            left, right = span[:m.start()], span[m.end():]
            if not left or not right:
                continue
            if left in self.r.hy_never_after or right.split("-")[0] in self.r.hy_never_before:
                continue
            la, ra = _is_acronym(left, self.r.hy_min_acronym), _is_acronym(right, self.r.hy_min_acronym)
            if la and ra and not chain and span.count("-") < 2 and not (self.known(left) and self.known(right)):
                continue  # `CFE-CGC`, `BFM-TV`: two unknown acronyms are one name; a chain of three is a list
            lk, rk = la or self.known(left), self.known(right) or ra
            # the right side may itself be a hyphenated pair (`CGT-FO-SUD`)
            rest = self.hyphen_split(text, s + m.end(), e, chain=chain or span.count("-") >= 2) if not rk else None
            if (lk and rk and (la or ra or (self.known(left) and self.known(right)))) or (lk and rest):
                return [(s, s + m.start(), None)] + (rest or [(s + m.end(), e, None)])
        return None

    def misc_word(self, text: str, s: int, e: int, label: str) -> bool:
        span = text[s:e]
        if normalize(span) in self.r.misc:
            return True
        if label == "PER" or " " in span or not span.endswith(self.r.demonym_endings):
            return False
        before = text[:s].rstrip().rsplit(None, 1)
        return bool(before) and before[-1] in self.r.demonym_context

    # -- all of it, on one model mention
    def refine(self, text: str, s: int, e: int, label: str) -> list[Cand]:
        if self.junk(text[s:e]):
            return []  # before cutting: `pic.twitter.com/fWBlsuVxCs` is junk as a whole
        out = []
        parts = self.pieces(text, s, e)
        rewritten = parts != [(s, e)]
        for ps, pe in parts:
            out.extend(self._refine_piece(text, ps, pe, label, rewritten))
        return out

    def _refine_piece(self, text, s, e, label, rewritten, depth=0) -> list[Cand]:
        if self.junk(text[s:e]):
            return []
        span0 = (s, e)
        if not self.known(text[s:e]):
            r = self.strip_determiner(text, s, e, label)
            if r is None:
                return []
            s, e = self.trim_trailing(text, *r)
            if s >= e:
                return []
        if not self.known(text[s:e]):
            (r, label, changed) = self.role(text, s, e, label)
            if r is None:
                return []
            s, e = r
            s, e = self.noun_head(text, s, e) or (s, e)
            span = text[s:e]
            if (self.junk(span) or self.common_noun(span) or self.role_domain(text, s, e)
                    or self.common_word(text, s, e)):
                return []
            if depth < 2:
                for split in (self.of_split, self.hyphen_split, self.prefix_split):
                    parts = split(text, s, e, label)
                    if parts:
                        out = []
                        for ps, pe, plabel in parts:
                            out.extend(self._refine_piece(text, ps, pe, plabel or label, True, depth + 1))
                        return out
        s, e = self.place_adjective(text, s, e, label)
        rewritten = rewritten or (s, e) != span0
        return [self.finish(text, s, e, label, "model", rewritten)]

    def trim_trailing(self, text: str, s: int, e: int) -> tuple[int, int]:
        """Cut lowercase function words off the end (`... de l'Homme pour`)."""
        while True:
            toks = list(_TOKEN.finditer(text, s, e))
            if len(toks) < 2:
                return s, e
            last = toks[-1]
            w = last.group()
            if w[0].isupper() or normalize(w) not in self.r.trailing:
                return s, e
            s, e = self.trim(text, s, last.start())

    def role_domain(self, text: str, s: int, e: int) -> bool:
        """`ministre délégué aux [Transports]`: the domain of a role, not an organisation."""
        first = _TOKEN.match(text, s)
        if not first or normalize(first.group()) not in self.r.complements:
            return False
        window = normalize(text[max(0, s - self.r.complement_window):s])
        words = window.split()
        return any(" ".join(words[i:i + n]) in self.r.role_heads
                   for n in range(1, self.r.role_head_max + 1) for i in range(len(words)))

    def common_word(self, text: str, s: int, e: int) -> bool:
        """A single capitalised common word opening a sentence or a title."""
        if not self.r.common_words:
            return False
        span = text[s:e]
        if not span.isalpha() or span.isupper():
            return False
        if not sentence_start(text, s) and not ending_at(_AFTER_OPENING_QUOTE, text, s):
            return False
        return span.lower() in self.lexicon

    def of_split(self, text: str, s: int, e: int, label: str = None):
        """`Conseil de sécurité de l'ONU` → `Conseil de sécurité` + `ONU` (one side an acronym, both known)."""
        span = text[s:e]
        if self.known(span):
            return None
        for m in self.r.of_split.finditer(span):
            left, right = span[:m.start()], span[m.end():]
            if not left or not right:
                continue
            if (_is_acronym(left, 2) and self.known(left) and _is_upper_start(right)) or \
                    (_is_acronym(right, 2) and self.known(right) and _is_upper_start(left)):
                return [(s, s + m.start(), None), (s + m.end(), e, None)]
        return None

    def prefix_split(self, text: str, s: int, e: int, label: str):
        """`Seine-Saint-Denis Leïla Haddad` (PER) → the known place + the person."""
        if label != "PER":
            return None
        toks = list(re.finditer(r"\S+", text[s:e]))
        if len(toks) > self.r.prefix_min_rest and all(_is_upper_start(t.group()) for t in toks):
            before = ending_at(_OF_BEFORE, text, s)
            if before and normalize(before.group(1)) in self.r.role_heads:
                return [(s, s + toks[0].end(), "LOC"), (s + toks[1].start(), e, "PER")]
        for k in range(len(toks) - self.r.prefix_min_rest, 0, -1):
            left = text[s:s + toks[k - 1].end()]
            rest = toks[k:]
            if not all(_is_upper_start(t.group()) for t in rest):
                continue
            if normalize(left) in self.t.person_first_words:
                continue  # `Marine Le Pen`: a first name, even if it is also a place
            entry = self.lookup(left, None)
            typ = entry.type if entry else ("ORG" if normalize(left) in self.r.institutions else None)
            if typ in ("LOC", "ORG"):
                return [(s, s + toks[k - 1].end(), typ), (s + rest[0].start(), e, "PER")]
        return None

    def finish(self, text, s, e, label, origin, rewritten=False) -> Cand:
        span = text[s:e]
        c = Cand(s, e, label, origin, rewritten)
        if normalize(span) in self.r.institutions:
            c.label, c.institution = "ORG", True
            c.entry = self.lookup(span, "ORG")
            return c
        entry = self.lookup_at(text, s, e, label)
        if entry is None and self.misc_word(text, s, e, label):
            c.label = "MISC"
            return c
        if entry is not None:
            c.entry = entry
            c.label = entry.type
        elif normalize(span).split()[0] in self.r.misc_heads or " ".join(normalize(span).split()[:3]) in self.r.misc_heads:
            c.label = "MISC"
        elif c.label in ("LOC", "MISC", "PER") and self.org_head(span):
            c.label = "ORG"
        elif c.label == "LOC" and _is_acronym(span.replace("&", ""), 2) and len(span) <= self.r.acronym_max:
            c.label = "ORG"
        return c

    def place_adjective(self, text: str, s: int, e: int, label: str) -> tuple[int, int]:
        """`Suisse libérale` → `Suisse`: a known place followed only by lowercase words that are not orientations."""
        if label != "LOC" or self.known(text[s:e]):
            return s, e
        words = list(re.finditer(r"\S+", text[s:e]))
        for k in range(len(words) - 1, 0, -1):
            rest = [w.group() for w in words[k:]]
            if any(_is_upper_start(w) or normalize(w) in self.r.geo_adjectives or normalize(w) in _PARTICLES for w in rest):
                return s, e
            head_end = s + words[k - 1].end()
            if self.known(text[s:head_end]):
                return s, head_end
        return s, e

    def org_head(self, span: str) -> bool:
        words = normalize(span).split()
        return bool(words) and (words[0] in self.r.org_heads or " ".join(words[:2]) in self.r.org_heads)

    # -- mentions that stop short
    def extend(self, text: str, cands: list[Cand]) -> list[Cand]:
        """Right: take following words (or the next mention) that complete a known name.
        Left (PER): take a capitalised word written just before, inside a sentence."""
        out = []
        for c in cands:
            tail = _FOLLOWING.match(text, c.end)
            if tail:
                ends = [m.end() for m in _NEXT_WORD.finditer(text, c.end, tail.end())][:self.r.extend_max]
                for e in reversed(ends):
                    if self.known(text[c.start:e]):
                        c = self.finish(text, c.start, e, c.label, c.origin, True)
                        break
            nxt = _NEXT_WORD.match(text, c.end)
            if c.label == "LOC" and nxt and normalize(nxt.group()) in self.r.geo_adjectives:
                c = self.finish(text, c.start, nxt.end(), "LOC", c.origin, True)
            if c.label == "ORG" and nxt:
                after = next((o for o in cands if o.start == nxt.start() + len(nxt.group()) - len(nxt.group().lstrip())), None)
                if after is not None and after.label == "LOC" and after.entry is not None and after.end == nxt.end():
                    c = self.finish(text, c.start, after.end, "ORG", c.origin, True)
            street = ending_at(self.r.street, text, c.start)
            if street and not c.institution and not (
                    _OF.search(street.group()) and ending_at(_NOT_A_PLACE, text, street.start())):
                c = Cand(street.start(), c.end, "LOC", c.origin, True)
            inst = ending_at(self.r.inst_heads, text, c.start) if c.label == "LOC" else None
            if inst and not (c.start - inst.start() > 60):
                c = Cand(inst.start(), c.end, "ORG", c.origin, True)
            if c.label == "PER":
                m = ending_at(_PREV_WORD, text, c.start)
                if m and not sentence_start(text, m.start(1)) and self._name_word(m.group(1)) \
                        and not any(o.start < c.start and m.start(1) < o.end for o in cands if o is not c):
                    c = self.finish(text, m.start(1), c.end, "PER", c.origin, True)
            out.append(c)
        return out

    def _name_word(self, w: str) -> bool:
        k = normalize(w)
        if w.isupper() or k in self.r.not_entities or k in self.r.role_heads or k in self.r.complements \
                or k in self.r.person_titles or k in self.r.trailing:
            return False
        typ = self.t.type_of(w)
        return typ in (None, "PER")

    # -- names the model missed
    def patterns(self, text: str) -> list[Cand]:
        """Fixed-shape names (`France 3 Aquitaine`); they win over the model's pieces of them."""
        out = []
        for label, pat in self.r.patterns:
            for m in pat.finditer(text):
                c = self.finish(text, m.start(), m.end(), label, "pattern")
                c.label = label
                out.append(c)
        return out

    def credits(self, text: str, taken: list[tuple[int, int]]) -> list[Cand]:
        m = self.r.credit_prefix.match(text)
        if not m:
            return []
        out = []
        pos = m.end()
        for sep in list(self.r.credit_sep.finditer(text, pos)) + [None]:
            cs, ce = pos, (sep.start() if sep else len(text))
            pos = sep.end() if sep else len(text)
            cs, ce = self.trim(text, cs, ce)
            chunk = text[cs:ce]
            if cs >= ce or not _is_upper_start(chunk) or self.junk(chunk) or _overlaps(cs, ce, taken):
                continue
            words = chunk.split()
            if len(words) > self.r.credit_max_tokens or normalize(words[0]) in self.r.not_entities:
                continue
            if normalize(chunk) in self.r.institutions:
                c = self.finish(text, cs, ce, "ORG", "institution")
            else:
                entry = self.lookup(chunk, None)
                if entry is not None:
                    label = entry.type
                elif len(words) == 1 or any(normalize(w) in self.r.credit_org_words for w in words):
                    label = "ORG"
                else:
                    label = "PER"
                c = self.finish(text, cs, ce, label, "credit")
            out.append(c)
            taken.append((cs, ce))
        return out

    def gazetteer(self, text: str, taken: list[tuple[int, int]]) -> list[Cand]:
        if not self.r.gaz_enabled:
            return []
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        out = []
        i = 0
        while i < len(words):
            ws, we = words[i]
            if not text[ws].isupper():
                i += 1
                continue
            first = normalize(text[ws:we]).split()
            if not first or (first[0] not in self.t.first_words and first[0] not in self._inst_first):
                i += 1
                continue
            hit = None
            for j in range(min(len(words), i + self.r.gaz_max_tokens) - 1, i - 1, -1):
                s, e = ws, words[j][1]
                if "\n" in text[s:e]:
                    continue
                span = text[s:e]
                key = normalize(span)
                inst = key in self.r.institutions
                if not inst and self.lookup_at(text, s, e, None) is None:
                    continue
                if not self._gaz_ok(text, s, e, span, key, j == i, inst):
                    continue
                hit = (j, s, e, inst)
                break
            if hit is None:
                i += 1
                continue
            j, s, e, inst = hit
            if not _overlaps(s, e, taken):
                if inst:
                    c = self.finish(text, s, e, "ORG", "institution")
                else:
                    entry = self.lookup_at(text, s, e, None)
                    c = self.finish(text, s, e, entry.type, "gazetteer") if entry and entry.type != "MISC" else None
                if c is not None:
                    out.append(c)
                    taken.append((s, e))
            i = j + 1
        return out

    def _gaz_ok(self, text, s, e, span, key, single, inst) -> bool:
        if key in self.r.not_entities or not text[e - 1].isalnum():
            return False
        if span.isupper() and span.isalpha():
            if len(span) < self.r.gaz_min_acronym:
                return False
        elif len(span) < self.r.gaz_min_length:
            return False
        if single and not inst and not span.isupper() and sentence_start(text, s):
            return False
        return True


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < oe and os_ < e for os_, oe in spans)


# ---------------------------------------------------------------- the annotator

@dataclass
class Mention:
    start: int          # row text offsets
    end: int
    text: str
    cand: Cand
    label: str
    qid: str | None = None
    via: "Mention | None" = None   # the full-name mention a surname was linked through
    group: int = -1

    @property
    def tokens(self) -> list[str]:
        return normalize(self.text).split()


class Entities(Annotator):
    task = "entities"
    name = "corpus.entities"
    version = "1"
    assigns = ("entities",)
    needs = frozenset({"ner"})

    def __init__(self, aliases: str | None = None, rules: Rules | None = None):
        self._aliases_path = aliases  # None: the packaged resources/wikidata_aliases.tsv
        self._rules = rules           # None: the packaged resources/entity_rules.json

    @property
    def model(self) -> str:
        """The spaCy model and version that proposed the mentions (provenance.annotators)."""
        return model_version(MODELS["fr"])

    @property
    def table(self) -> AliasTable:
        return linking.load(self._aliases_path)

    @property
    def rules(self) -> Rules:
        return self._rules or default_rules()

    def annotate(self, docs) -> None:
        ensure_parsed(docs, self.needs)
        resolver = Resolver(self.rules, self.table, lexicon(MODELS["fr"]))
        for doc in docs:
            doc.row["entities"] = self.mentions(doc, resolver)

    # one article
    def mentions(self, doc, resolver: Resolver) -> list[dict]:
        text = doc.row["text"]
        found: list[Mention] = []
        for b, sdoc in zip(doc.row["blocks"], doc.cache["spacy"]):
            btext = text[b["start"]:b["end"]]  # what sdoc was parsed from (Doc.text rebuilds it token by token)
            cands: list[Cand] = []
            for ent in sdoc.ents:
                if ent.label_ in ENTITY_LABELS:
                    cands.extend(resolver.refine(btext, ent.start_char, ent.end_char, ent.label_))
            cands = _no_overlap(resolver.patterns(btext) + resolver.extend(btext, _no_overlap(cands)))
            taken = [(c.start, c.end) for c in cands]
            if b["type"] in resolver.r.credit_types:
                cands.extend(resolver.credits(btext, taken))
            cands.extend(resolver.gazetteer(btext, taken))
            base = b["start"]
            for c in sorted(cands, key=lambda c: (c.start, c.end)):
                s, e = base + c.start, base + c.end
                found.append(Mention(s, e, text[s:e], c, c.label, c.entry.qid if c.entry else None))
        names = self.link_and_group(found)
        return [self.row_value(i, m, names[m.group]) for i, m in enumerate(found)]

    def link_and_group(self, ms: list[Mention]) -> dict[int, str]:
        """Sets ``qid``, ``group`` (and harmonised labels); returns each group's name."""
        # a surname alone (or a shorter form of a name) takes the identity of the full name it ends
        full = [m for m in ms if m.label == "PER" and len(m.tokens) >= 2]
        for m in ms:
            if m.label != "PER" and (m.cand.entry is not None or m.cand.institution or len(m.tokens) != 1):
                continue
            toks = m.tokens
            longer = [f for f in full if len(f.tokens) > len(toks) and f.tokens[-len(toks):] == toks]
            if not longer:
                continue
            idents = {(f.qid or "", normalize(f.text)) for f in longer}
            before = [f for f in longer if f.start < m.start]
            if len({q or t for q, t in idents}) == 1:
                f = longer[0]
            elif before:
                f = max(before, key=lambda f: f.start)  # the nearest name introduced before it
            else:
                continue  # ambiguous: no guess
            while f.via is not None:
                f = f.via
            m.via = f
            m.qid = f.qid
            m.label = "PER"  # the model may call a surname alone a place (`Garnier a quitté...`)
        # an organisation's head word alone (`Assemblée`) is the one linked organisation it starts
        long_orgs = [m for m in ms if m.label == "ORG" and m.qid and len(m.tokens) >= 2]
        for m in ms:
            if m.label != "ORG" or m.qid or len(m.tokens) != 1:
                continue
            qids = {f.qid for f in long_orgs if f.tokens[0] == m.tokens[0]}
            if len(qids) == 1:
                m.via = next(f for f in long_orgs if f.tokens[0] == m.tokens[0])
                m.qid = m.via.qid
        # groups: by QID, else by the full name a surname points to, else by the normalised text
        keys: dict[str, int] = {}
        for m in ms:
            root = m.via or m
            key = f"Q:{root.qid}" if root.qid else f"T:{normalize(root.text)}"
            m.group = keys.setdefault(key, len(keys))
        groups: dict[int, list[Mention]] = {}
        for m in ms:
            groups.setdefault(m.group, []).append(m)
        for members in groups.values():
            if members[0].qid:
                continue
            # an unlinked group speaks with one voice: the label most of its mentions have
            votes: dict[str, int] = {}
            for m in members:
                votes[m.label] = votes.get(m.label, 0) + 1
            best = max(votes.values())
            if len(votes) > 1:
                longest = max(members, key=lambda m: (len(m.tokens), len(m.text)))
                label = longest.label if votes[longest.label] == best else \
                    next(m.label for m in members if votes[m.label] == best)
                for m in members:
                    if not m.cand.institution:
                        m.label = label
        return {g: max(members, key=lambda m: (len(m.tokens), len(m.text), -m.start)).text
                       for g, members in groups.items()}

    def confidence(self, m: Mention) -> float:
        c = self.rules.confidence
        v = c[m.cand.origin] if m.cand.origin in c else c["model"]
        if len(m.tokens) >= 2:
            v += c["multi_token"]
        if m.cand.entry is not None:
            v += c["alias_hit"]
        if m.via is not None:
            v += c["surname_link"]
        if m.cand.rewritten:
            v += c["rewritten"]
        if len(m.text) <= 2 and not m.text.isupper():
            v += c["single_char_token"]
        return round(min(0.99, max(0.05, v)), 3)

    def row_value(self, i: int, m: Mention, entity: str) -> dict:
        return {
            "id": f"e{i}",
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": m.label,
            "entity": entity,
            "wikidata_id": m.qid,
            "confidence": self.confidence(m),
            "annotator": self.tag,
        }


class _Lexicon:
    """Lowercase French words the model's lemmatizer tables know (inflected forms and lemmas)."""

    def __init__(self, lookup, index: frozenset[str]):
        self.lookup = lookup
        self.index = index

    def __contains__(self, word: str) -> bool:
        return word in self.index or (self.lookup is not None and word in self.lookup)


@lru_cache(maxsize=None)
def lexicon(model: str) -> _Lexicon:
    from ..nlp import load

    nlp = load(model)
    if "lemmatizer" not in nlp.pipe_names:
        return _Lexicon(None, frozenset())
    tables = nlp.get_pipe("lemmatizer").lookups
    lookup = tables.get_table("lemma_lookup") if tables.has_table("lemma_lookup") else None
    index = tables.get_table("lemma_index") if tables.has_table("lemma_index") else {}
    return _Lexicon(lookup, frozenset(w for words in index.values() for w in words))


def _no_overlap(cands: list[Cand]) -> list[Cand]:
    out: list[Cand] = []
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
