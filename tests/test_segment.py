"""Text dumps → blocks and removed spans, by the rules in resources/segmentation.json."""
import json
import re

import pytest

from corpus import segment as seg
from conftest import GOLD, SEED

GOLD_SEED = json.loads((GOLD / SEED.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))


def test_seed_blocks_match_the_gold(seed_text):
    result = seg.segment(seed_text, outlet_id="rt-france", lead=True)
    got = [(b["type"], b["source_start"], b["source_end"]) for b in result.blocks]
    assert got == [(b["type"], b["start"], b["end"]) for b in GOLD_SEED["blocks"]]
    assert result.title == GOLD_SEED["blocks"][0]["text"]


def test_seed_boilerplate_is_removed_with_the_rule_that_removed_it(seed_text):
    result = seg.segment(seed_text, outlet_id="rt-france", lead=True)
    assert [(r["source_start"], r["source_end"]) for r in result.removed] == \
           [(b["start"], b["end"]) for b in GOLD_SEED["boilerplate"]]
    reasons = {seed_text[r["source_start"]:r["source_end"]][:20]: r["reason"] for r in result.removed}
    assert reasons["Suivez RT France sur"] == "rt-france/follow-telegram"
    assert reasons["Poutine et Macron s'"] == "generic/title-repeat"
    assert reasons["Ce site utilise des "] == "generic/cookie-consent"


def test_text_is_the_blocks_joined_and_maps_back_to_the_source(seed_text):
    result = seg.segment(seed_text, outlet_id="rt-france", lead=True)
    assert result.text == "\n\n".join(seed_text[b["source_start"]:b["source_end"]] for b in result.blocks)
    for b in result.blocks:
        assert result.text[b["start"]:b["end"]] == seed_text[b["source_start"]:b["source_end"]]


def test_the_outlet_is_identified_by_its_own_boilerplate(seed_text):
    assert seg.identify_outlet(seed_text).outlet == "rt-france"
    assert seg.identify_outlet("Un titre\n\nUn paragraphe sans signature.") is None


def test_outlet_rules_do_not_apply_to_other_outlets():
    src = "Titre\n\nRaconter l'actualité\n\nTexte."
    kept = seg.segment(src, outlet_id="le-monde", lead=False)
    assert "Raconter l'actualité" in kept.text
    dropped = seg.segment(src, outlet_id="rt-france", lead=False)
    assert "Raconter" not in dropped.text


def test_crlf_offsets_count_both_characters():
    src = "Titre\r\n\r\nPremier paragraphe.\r\n\r\nSecond paragraphe."
    result = seg.segment(src, outlet_id=None, lead=False)
    for b in result.blocks:
        assert src[b["source_start"]:b["source_end"]] == result.text[b["start"]:b["end"]]
    assert result.blocks[1]["source_start"] == src.index("Premier")


def test_a_bom_and_surrounding_spaces_are_not_content():
    src = "\ufeff  Titre  \n\n\tCorps du texte. \n"
    result = seg.segment(src, outlet_id=None, lead=False)
    assert result.text == "Titre\n\nCorps du texte."


def test_captions_next_to_credits_and_the_lead():
    src = "Titre\n\n© AFP\nLégende de la photo.\n\nChapô de l'article.\n\nCorps."
    result = seg.segment(src, outlet_id=None, lead=True)
    assert [b["type"] for b in result.blocks] == ["title", "credit", "caption", "lead", "paragraph"]


def test_only_lines_next_to_a_credit_are_captions():
    # JSONL dumps separate paragraphs by one newline: one group, yet only the neighbour is a caption.
    src = "Titre\nUn manifestant sur la route.\n Crédits photo : JEFF PACHOUD/AFP\nPremier paragraphe.\nSecond."
    result = seg.segment(src, outlet_id=None, lead=False)
    assert [b["type"] for b in result.blocks] == ["title", "caption", "credit", "paragraph", "paragraph"]


def test_a_dateline_gives_the_date_and_a_links_section_goes_with_its_heading():
    src = ("Titre\n\nPublié le 8 février 2010\n\nLe président a été élu dimanche.\n\n"
           "Voir aussi\n- « Un autre article ». Wikinews, 7 février 2010.\nSources\n- « Une source ». Le Monde.\n|\n"
           "Un dernier paragraphe qui est une vraie phrase.")
    result = seg.segment(src, outlet_id=None, lead=False)
    assert result.dateline.isoformat() == "2010-02-08"
    assert result.text == "Titre\n\nLe président a été élu dimanche.\n\nUn dernier paragraphe qui est une vraie phrase."
    reasons = [r["reason"] for r in result.removed]
    assert reasons.count("generic/related-links") == 4 and "generic/markup" in reasons


def test_an_article_that_is_all_boilerplate_is_an_error():
    with pytest.raises(seg.ArticleError, match="nothing left"):
        seg.segment("Ce site utilise des cookies.\nOK\n", outlet_id=None, lead=False)
    with pytest.raises(seg.ArticleError, match="no body"):
        seg.segment("Seulement un titre\n", outlet_id=None, lead=False)


# Every rule of the data file is exercised by an example it must drop, and the
# generic rules leave ordinary news sentences alone.
RULE_EXAMPLES = {
    "rt-france/follow-telegram": "Suivez RT France surTelegram",
    "rt-france/comments-disclaimer": "Les opinions, assertions et points de vue exprimés dans les commentaires sont le fait de leur auteur et ne peuvent en aucun cas être imputés à RT.",
    "rt-france/slogan": "Raconter l'actualité",
    "generic/cookie-consent": "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.",
    "generic/consent-button": "Tout accepter",
    "generic/follow-prompt": "Suivez-nous sur Twitter",
    "generic/comments-disclaimer": "Les commentaires publiés n'engagent que leurs auteurs.",
    "generic/read-also": "Lire aussi : Le gouvernement présente son budget",
    "generic/newsletter": "Recevez chaque matin l'essentiel de l'actualité : inscrivez-vous à notre newsletter.",
    "generic/dateline": "Publié le 8 février 2010",
    "generic/related-links": "Voir aussi",
    "generic/share": "Partager sur Facebook",
    "generic/paywall": "Il vous reste 80% de cet article à lire.",
    "generic/timestamp": "Publié le 12/03 à 18h42 - Mis à jour le 12/03 à 19h05",
    "generic/site-navigation": "Aller à la navigation",
    "generic/advertising": "Publicité",
    "generic/byline": "Par notre correspondante à Besançon",
    "generic/markup": "</ARTICLE>",
    "wikinews-fr/protected": "Ceci est une page protégée.",
    "wikinews-fr/tagline": "Une nouvelle de Wikinews, la source d'informations que vous pouvez écrire.",
    "wikinews-fr/archived": "Cet article est archivé et n'est plus librement éditable. Vous pouvez demander des modifications.",
    "wikinews-fr/portal": "Page « Royaume-Uni » de Wikinews. L'actualité britannique dans le monde.",
    "wikinews-fr/infobox": "Voir sur Wikipedia",
    "wikinews-fr/edit-links": "[modifier | modifier le wikicode]- ((fr)) « Un article ». Wikinews.",
}
NEWS_SENTENCES = [
    "Par ailleurs, le gouvernement a annoncé un nouveau plan d'aide aux agriculteurs.",
    "Notes de frais : le député a remboursé 12 000 euros.",
    "Le Premier ministre a présenté son plan de relance lors d'une conférence de presse.",
    "Le président a déclaré qu'il suivrait de près la situation sur le terrain.",
    "Les manifestants ont accepté de lever le blocage après deux heures de discussion.",
    "Selon l'Elysée, les deux dirigeants ont évoqué le partage des informations.",
    "OK Corral est un film de 1957.",
]


def test_every_rule_has_an_example_and_drops_it():
    line_rules = [r for r in seg.rules().boilerplate if r.kind in ("line", "dateline", "trailer")]
    assert {r.id for r in line_rules} == set(RULE_EXAMPLES)
    for r in line_rules:
        assert r.pattern.fullmatch(RULE_EXAMPLES[r.id]), r.id


@pytest.mark.parametrize("sentence", NEWS_SENTENCES)
def test_generic_rules_keep_news_sentences(sentence):
    assert not any(r.pattern.fullmatch(sentence) for r in seg.rules().boilerplate if r.kind == "line" and r.outlet is None)


def test_block_type_rules_compile_and_match_their_examples():
    types = dict((t, p) for t, p in seg.rules().block_types)
    assert types["credit"].fullmatch("© Sputnik/Mikhail Klimentyev/Kremlin via REUTERS")
    assert types["caption"].fullmatch("Deux dirigeants lors d'un sommet (image d'illustration).")
    assert not types["credit"].fullmatch("Le président a parlé.")
