"""The shared parse step (corpus.nlp.Parse): one spaCy pass per batch, grouped by length."""
from __future__ import annotations

from corpus import nlp as corpus_nlp
from corpus.nlp import MAX_BATCH_CHARS, MODELS, Parse, load

NEEDS = {"parser", "ner", "lemmatizer"}


def texts_of_mixed_lengths() -> list[str]:
    short = "Le maire de Lyon a présenté le budget."
    long = " ".join(f"La commission numéro {i} s'est réunie mardi à Paris pour examiner le texte." for i in range(60))
    return [short, long, "Oui.", short + " " + short, long[:900], "Paris."]


def test_docs_come_back_in_the_order_of_the_texts_and_equal_an_unsorted_pipe():
    nlp = load(MODELS["fr"])
    texts = texts_of_mixed_lengths()
    docs = Parse(NEEDS).pipe(nlp, texts)
    plain = list(nlp.pipe(texts, disable=corpus_nlp.components_to_disable(nlp, NEEDS)))
    assert [d.text for d in docs] == texts
    for got, want in zip(docs, plain):
        assert [(t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in got] == \
               [(t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in want]


class RecordingModel:
    """Stands in for the model to observe how the texts are grouped (the real model is tested above)."""

    def __init__(self):
        self.groups: list[list[str]] = []

    def pipe(self, texts, batch_size, disable):
        self.groups.append(list(texts))
        return [f"doc:{t}" for t in texts]

    pipe_names: list[str] = []


def test_groups_are_bounded_in_texts_and_characters_and_sorted_by_length():
    texts = ["x" * n for n in (5, 9_000, 3, 12_000, 7, 30_000, 11)] * 3
    model = RecordingModel()
    out = Parse(NEEDS, batch_size=4).pipe(model, texts)
    assert out == [f"doc:{t}" for t in texts]
    for group in model.groups:
        assert len(group) <= 4
        assert len(group) == 1 or sum(map(len, group)) <= MAX_BATCH_CHARS  # a longer text goes alone
    lengths = [len(t) for g in model.groups for t in g]
    assert lengths == sorted(lengths)


def test_a_soft_hyphen_opening_a_word_reads_as_a_space_and_keeps_every_offset():
    text = "« C'est fini », a enfin tonné \u00adStéphane Pierrot dans l'hémicycle, sans mani\u00adfester de doute."
    seen = corpus_nlp.for_parser(text)
    assert len(seen) == len(text) and "\u00adStéphane" not in seen
    assert "mani\u00adfester" in seen, "a soft hyphen inside a word is left: removing it would shift offsets"
    doc = Parse(NEEDS).pipe(load(MODELS["fr"]), [seen])[0]
    name = next(t for t in doc if t.text == "Stéphane")
    assert name.pos_ == "PROPN" and text[name.idx:name.idx + len(name)] == "Stéphane"
