"""The topic annotator: IPTC Media Topics from the lexicon, linked entities, the URL and rules.

The articles below were written for these tests (no third-party text). They run
through the real segmenter and the real spaCy model, as in a build.
"""
from __future__ import annotations

import json
import re

import pytest

from corpus.annotators import default_annotators
from corpus.annotators import topics as T
from corpus.document import Document, Source
from corpus.nlp import Parse
from corpus.pipeline import Segment
from corpus.validate import TOP_LEVEL, row_errors

POLITICS = "medtop:11000000"
INTERNATIONAL = "medtop:20000638"
DIPLOMACY = "medtop:20000639"
ECONOMY, HEALTH, ENVIRONMENT = "medtop:04000000", "medtop:07000000", "medtop:06000000"
CRIME, LABOUR, SPORT, CONFLICT = "medtop:02000000", "medtop:09000000", "medtop:15000000", "medtop:16000000"
STRIKE, ELECTION, CORRUPTION = "medtop:20000530", "medtop:20000574", "medtop:20000093"


def annotate(title: str, *paragraphs: str, url: str | None = None, entities=None) -> Document:
    """One article through segment → parse → (entities given by hand) → topics."""
    text = "\n\n".join([title, *paragraphs])
    meta = {"collection": "test", "language": "fr"}
    if url:
        meta["url"] = url
    src = Source(path="t.txt", raw=text.encode(), text=text, format="text", file_sha256="0" * 64,
                 file_bytes=len(text.encode()), metadata=meta)
    docs = Parse(set(T.Topics.needs))(Segment()([Document(src)]))
    if entities:
        docs[0].row["entities"] = entities(docs[0].row["text"])
    T.Topics()(docs)
    return docs[0]


def codes(doc) -> set[str]:
    return {t["code"] for t in doc.row["topics"]}


def tops(doc) -> set[str]:
    return codes(doc) & TOP_LEVEL


def signal_keys(doc, code) -> set[str]:
    return {k for e in T.explain(doc) if e["code"] == code for s in e["signals"] for k in s["key"].split(" | ")}


DIPLOMATIC = annotate(
    "Paris et Varsovie veulent relancer le dialogue avec Berlin",
    "Le président de la République a reçu jeudi à l'Élysée son homologue polonais pour un entretien "
    "consacré aux relations entre la France, la Pologne et l'Allemagne.",
    "Les deux chefs d'État ont plaidé pour un sommet européen avant l'été. Selon la présidence polonaise, "
    "une coopération plus étroite aiderait à régler des dossiers aussi divers que la cybersécurité, les "
    "soins de santé, le climat et la lutte contre le terrorisme.",
    "Le ministre des Affaires étrangères doit se rendre à Berlin la semaine prochaine pour préparer la "
    "rencontre. La diplomatie française espère une déclaration commune des trois pays.",
)


# ---------------------------------------------------------------- the resources

def test_every_lexicon_entry_names_a_known_code_with_its_label_and_sane_weights():
    raw, tax = T.raw_lexicon(), T.taxonomy()
    assert raw["codes"], "empty lexicon"
    for code, entry in raw["codes"].items():
        assert code in tax.parent, code
        assert entry["label"] == tax.label_en[code], code
        assert entry["terms"], f"{code} has no terms"
        for term, w in entry["terms"].items():
            assert isinstance(w, (int, float)) and 0 < w <= 3, (code, term, w)
            text, surface_only, pos = T.parse_term(term)
            assert text.strip() == text and text and "  " not in text, repr(term)
            assert pos in (None, "NOUN", "VERB", "ADJ", "PROPN"), term


def test_every_top_level_branch_has_terms_and_every_term_compiles():
    tax, lex = T.taxonomy(), T.lexicon()
    per_top = {c: 0 for c in tax.top_level}
    for term in lex.terms:
        assert term.keys and all(term.keys), term.text
        if term.pos:
            assert len(term.keys) == 1, f"{term.text}: a part of speech only applies to one-word terms"
        words = T.parse_term(term.text)[0].split()
        assert len(words) == 1 or len(term.keys) > 1, f"{term.text}: only one word is left once articles are skipped"
        for code, _ in term.codes:
            per_top[tax.top(code)] += 1
    thin = {c: n for c, n in per_top.items() if n < 10}
    assert not thin, f"top-level topics with fewer than 10 terms: {thin}"


def test_entity_url_country_and_context_tables_are_consistent():
    raw, tax = T.raw_lexicon(), T.taxonomy()
    for qid, entry in raw["entities"].items():
        assert re.fullmatch(r"Q[1-9][0-9]*", qid) and entry["name"], qid
        assert all(c in tax.parent and 0 < w <= 3 for c, w in entry["codes"].items()), qid
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in raw["country_qids"])
    assert set(raw["country_qids"].values()) <= set(raw["countries"])
    assert all(code in tax.parent and seg == T.fold(seg) for seg, code in raw["url_sections"].items())
    assert all(len(b.split()) > 1 for b in raw["blockers"])  # an idiom, never a single word
    for rule in raw["context_rules"]:
        assert rule["if"] in tax.parent and rule["scale"] in tax.parent and 0 < rule["factor"] < 1 and rule["why"]


# ---------------------------------------------------------------- matching

def hits(title, *paragraphs):
    """(term, matched words) per lexicon hit; terms matching the same words are merged (``a | b``)."""
    doc = annotate(title, *paragraphs)
    return [(k, h.surface) for h in T.gather(doc.row, doc.cache["spacy"]).hits if h.source == "term"
            for k in h.key.split(" | ")]


def test_terms_match_inflected_forms_accents_and_articles():
    found = hits("Les grévistes bloquent la gare", "Les chefs d'Etat et les relations internationales.")
    assert ("gréviste", "grévistes") in found
    assert ("chef de l'État", "chefs d'Etat") in found
    assert ("relations internationales", "relations internationales") in found


def test_accents_count_except_on_capitals_that_lost_theirs():
    found = hits("La marche du 8 mars", "Le marché reste calme. L'ELYSEE et l'Etat se taisent.")
    assert ("marche#NOUN", "marche") in found and ("marché", "marché") in found
    assert ("marché", "marche") not in found and ("marche#NOUN", "marché") not in found
    assert ("Élysée", "ELYSEE") in found and ("État#NOUN", "Etat") in found


def test_the_longest_term_wins_and_a_word_inside_it_does_not_count_alone():
    found = hits("L'opposition dépose une motion de censure", "Le vote aura lieu mardi.")
    assert ("motion de censure", "motion de censure") in found
    assert not any(k.startswith("censure") for k, _ in found)  # freedom of speech must not fire


def test_part_of_speech_and_exact_form_restrictions_hold():
    found = hits("Il est parti hier", "Le parti a tenu son congrès. Une info de dernière minute.")
    parties = [s for k, s in found if k == "parti#NOUN"]
    assert parties == ["parti"]  # the noun, not the verb ``est parti``
    assert not any(k == "infox" for k, _ in found)  # a one-word term is not lemmatised into ``info``


def test_blockers_swallow_idioms_and_their_words():
    doc = annotate("Le policier bat en retraite", "Il part à la retraite en juin ; une grève de la faim.")
    found = [(h.key, h.start) for h in T.gather(doc.row, doc.cache["spacy"]).hits]
    second = doc.row["text"].index("retraite en juin")
    assert [s for k, s in found if "retraite" in k] == [second]  # ``bat en retraite`` counts for nothing
    assert [k for k, _ in found if "grève" in k] == ["grève de la faim"]  # a protest, not a strike


# ---------------------------------------------------------------- the seed-like article

def test_a_diplomatic_article_is_politics_with_international_relations_below_it():
    assert POLITICS in codes(DIPLOMATIC)
    assert INTERNATIONAL in codes(DIPLOMATIC) and DIPLOMACY in codes(DIPLOMATIC)


def test_words_met_once_in_an_enumeration_do_not_make_topics():
    assert not tops(DIPLOMATIC) & {HEALTH, ENVIRONMENT, ECONOMY, CRIME}
    listed = {h.key for h in T.gather(DIPLOMATIC.row, DIPLOMATIC.cache["spacy"]).hits if "enumeration" in h.notes}
    assert {"soins de santé", "climat", "terrorisme"} <= listed


def test_the_seed_row_of_the_build(built):
    import pyarrow.parquet as pq

    row = next(r for f in sorted((built / "articles").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
               if r["provenance"]["source_path"].startswith("000_"))
    got = {t["code"] for t in row["topics"]}
    assert POLITICS in got and INTERNATIONAL in got
    assert not got & {HEALTH, ENVIRONMENT, ECONOMY}


# ---------------------------------------------------------------- other topics

def test_a_strike_is_labour_with_the_strike_code():
    doc = annotate(
        "Grève à la RATP : les conducteurs de bus reconduisent le mouvement",
        "Les syndicats ont déposé un préavis de grève reconductible après l'échec des négociations salariales "
        "avec la direction. Les grévistes réclament une augmentation de salaire et de meilleures conditions "
        "de travail.",
        "La CGT et FO appellent les salariés à rejoindre le mouvement lundi. La direction propose une prime.",
    )
    assert LABOUR in tops(doc) and STRIKE in codes(doc)
    assert {"medtop:20000529", "medtop:20000524"} <= codes(doc)  # its ancestors come with it


def test_a_hospital_story_is_health_not_labour_only():
    doc = annotate(
        "Épidémie de grippe : les urgences du CHU de Rouen saturées",
        "Les médecins urgentistes du centre hospitalier accueillent deux fois plus de patients que l'an passé. "
        "L'agence régionale de santé a ouvert des lits supplémentaires et appelle à la vaccination.",
        "Les infirmières décrivent des journées épuisantes ; les malades attendent des heures sur des brancards.",
    )
    assert HEALTH in tops(doc)
    assert "medtop:20000449" in codes(doc)  # epidemic


def test_a_trial_for_favouritism_is_crime_and_justice():
    doc = annotate(
        "Un ancien maire condamné pour favoritisme",
        "Le tribunal correctionnel a condamné mardi l'ancien maire à dix-huit mois de prison avec sursis pour "
        "favoritisme dans l'attribution d'un marché public. Le procureur avait requis une peine plus lourde.",
        "Le prévenu, qui a toujours nié, va faire appel. Son avocat dénonce un procès politique.",
    )
    assert CRIME in tops(doc) and CORRUPTION in codes(doc)


def test_a_match_report_is_sport_only():
    doc = annotate(
        "Le XV de France s'impose face à l'Irlande",
        "Les joueurs du sélectionneur ont dominé le match de rugby devant un stade plein. L'entraîneur salue "
        "un groupe solide avant la demi-finale du tournoi.",
    )
    assert tops(doc) == {SPORT}


def test_an_election_night_is_politics_with_the_election_code():
    doc = annotate(
        "Législative partielle : la candidate de la majorité en tête au premier tour",
        "Le taux de participation a atteint 38 % dimanche. La candidate arrive en tête du scrutin devant le "
        "député sortant ; le second tour aura lieu dans une semaine.",
        "Les électeurs de la circonscription départageront les deux candidats dimanche prochain.",
    )
    assert POLITICS in tops(doc) and ELECTION in codes(doc) and "medtop:20000579" in codes(doc)


def test_police_at_a_protest_is_part_of_the_unrest_not_a_crime_story():
    doc = annotate(
        "Heurts en marge de la manifestation contre la réforme",
        "Des milliers de manifestants ont défilé samedi. En fin de cortège, des casseurs ont brisé des vitrines "
        "et la police a répliqué par des gaz lacrymogènes.",
        "Les forces de l'ordre ont procédé à douze interpellations, selon la préfecture de police. Les "
        "heurts ont duré une heure.",
    )
    assert CONFLICT in tops(doc) and "medtop:20000065" in codes(doc)
    assert CRIME not in tops(doc)
    notes = {n for h in T.gather(doc.row, doc.cache["spacy"]).hits if h.key == "police" for n in h.notes}
    assert any(n.startswith("context medtop:20000065") for n in notes)


def test_one_passing_mention_does_not_add_a_topic():
    doc = annotate(
        "Le gouvernement présente son budget",
        "Le ministre des Finances a présenté mercredi le projet de loi de finances au conseil des ministres. "
        "Les députés l'examineront en octobre à l'Assemblée nationale.",
        "Le texte prévoit aussi des crédits pour un hôpital de Lille.",
    )
    assert POLITICS in tops(doc)
    assert HEALTH not in tops(doc)


# ---------------------------------------------------------------- other signals

def test_linked_entities_count_unless_a_term_already_covers_their_words():
    def ents(text):
        out = []
        for n, (name, qid) in enumerate([("Vladimir Poutine", "Q7747"), ("Union européenne", "Q458")]):
            s = text.index(name)
            out.append({"id": f"e{n}", "start": s, "end": s + len(name), "text": name, "label": "PER",
                        "entity": name, "wikidata_id": qid, "confidence": 1.0, "annotator": "test"})
        return out

    doc = annotate("Vladimir Poutine écrit à l'Union européenne", "La lettre est arrivée lundi.", entities=ents)
    sources = [(h.source, h.key) for h in T.gather(doc.row, doc.cache["spacy"]).hits]
    assert ("entity", "Q7747") in sources  # a name the lexicon does not hold
    assert ("entity", "Q458") not in sources and ("term", "Union européenne") in sources  # counted once


def test_a_url_section_and_many_countries_are_signals():
    doc = annotate("Le point sur la semaine", "Des nouvelles du Japon, du Brésil, du Canada et de la Suède.",
                   url="https://example.fr/politique/2024/05/le-point.html")
    keys = {(h.source, h.key) for h in T.gather(doc.row, doc.cache["spacy"]).hits}
    assert ("url", "/politique/") in keys and ("rule", "countries") in keys
    assert POLITICS in tops(doc)


def test_an_article_without_evidence_gets_the_fallback_top_level_code_with_score_zero():
    doc = annotate("Un après-midi tranquille", "Il faisait doux et les enfants jouaient dans la cour.")
    assert doc.row["topics"][0]["code"] == T.FALLBACK and doc.row["topics"][0]["score"] == 0.0
    assert T.explain(doc)[0]["rule"].startswith("fallback")


# ---------------------------------------------------------------- the contract and the explanation

ARTICLES = [DIPLOMATIC]


@pytest.mark.parametrize("doc", ARTICLES + [annotate("Un après-midi tranquille", "Rien à signaler.")])
def test_rows_keep_the_contract(doc):
    topics, tax = doc.row["topics"], T.taxonomy()
    assert [t["code"] for t in topics] == sorted(t["code"] for t in topics)
    assert topics and TOP_LEVEL & codes(doc)
    for t in topics:
        assert t["label"] == tax.label_en[t["code"]] and t["annotator"] == T.Topics().tag and 0 <= t["score"] <= 1
        assert all(a in codes(doc) for a in tax.ancestors(t["code"])), f"{t['code']} without its ancestors"
    assert row_errors(doc.row, doc.source.text) == []
    assert doc.row["provenance"]["annotators"][-1]["task"] == "topics"


def test_explain_names_the_evidence_of_every_code_and_is_json():
    expl = T.explain(DIPLOMATIC)
    assert [e["code"] for e in expl] == [t["code"] for t in DIPLOMATIC.row["topics"]]
    assert all(e["signals"] and e["rule"] for e in expl)
    assert "chef de l'État" in signal_keys(DIPLOMATIC, POLITICS)
    assert "diplomatie" in signal_keys(DIPLOMATIC, DIPLOMACY)
    assert {"homologue", "diplomatie", "sommet européen"} <= signal_keys(DIPLOMATIC, INTERNATIONAL)  # children count for parents
    json.dumps(expl)
    fresh = Document(DIPLOMATIC.source, row=DIPLOMATIC.row, cache={})  # no cache: computed again, same answer
    assert T.explain(fresh) == expl


def test_the_annotator_declares_what_it_reads_and_is_deterministic():
    ann = next(a for a in default_annotators() if a.task == "topics")
    assert isinstance(ann, T.Topics) and ann.needs == frozenset({"lemmatizer"}) and ann.assigns == ("topics",)
    again = annotate(DIPLOMATIC.row["title"], *DIPLOMATIC.row["text"].split("\n\n")[1:])
    assert again.row["topics"] == DIPLOMATIC.row["topics"]
