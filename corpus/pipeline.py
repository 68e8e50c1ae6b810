"""The steps of a build: read → segment → annotate → check → write.

A step is a callable over a batch of documents (data in → data out) that knows
nothing of where it runs; the executor (``corpus.executor``) owns batching,
error isolation, statistics and writing.
"""
from __future__ import annotations

from . import language, metadata, outlets
from .nlp import Parse
from .__about__ import DATASET_VERSION, PIPELINE_VERSION
from .annotators import default_annotators
from .dedup import Fingerprint
from .document import ArticleError, Document, Source
from .executor import process_batch
from .segment import rules, segment
from .validate import row_errors


class Segment:
    """Source → the row's text, blocks, metadata and provenance; annotation lists start empty.

    ``learned``: {outlet id: {normalised line: rule}}, boilerplate learned from the corpus (corpus.learn).
    """
    name = "segment"

    def __init__(self, learned: dict | None = None):
        self.learned = learned or {}

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.row = build_row(doc, self.learned)
        return docs


MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own limit; longer "articles" are dumps gone wrong


def build_row(doc: Document, learned: dict | None = None) -> dict:
    src = doc.source
    if len(src.text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"too long for an article: {len(src.text):,} characters (limit {MAX_ARTICLE_CHARS:,})")
    outlet, outlet_source = metadata.resolve_outlet(src)
    meta = metadata.resolve(src, outlet)
    seg = segment(src.text, outlet_id=outlet["id"], lead=outlet["lead"], title=src.metadata.get("title"),
                  learned=(learned or {}).get(outlet["id"]))
    if meta["published"] is None and seg.dateline is not None:
        meta["published"], meta["published_source"] = seg.dateline, "text"
    try:
        lang, lang_confidence = language.choose(seg.text, meta["language"])
    except ValueError as e:
        raise ArticleError(str(e)) from None
    extractor_name, extractor_version = src.extractor
    if src.format == "text":
        extractor_version = f"{extractor_version}+rules.{rules().version}"
    return {
        "id": src.id,
        "url": meta["url"],
        "outlet": outlets.row_value(outlet),
        "language": lang,
        "language_confidence": lang_confidence,
        "title": seg.title,
        "published": meta["published"],
        "published_source": meta["published_source"],
        "authors": meta["authors"],
        "text": seg.text,
        "blocks": seg.blocks,
        "entities": [],
        "quotes": [],
        "topics": [],
        "duplicate_of": None,            # set by the build once every article is known (corpus.dedup)
        "near_duplicate_cluster": None,
        "provenance": {
            "source_path": src.path,
            "source_sha256": src.file_sha256,
            "source_bytes": src.file_bytes,
            "source_format": src.format,
            "collection": src.metadata["collection"],
            "retrieved_at": meta["retrieved_at"],
            "license": meta["license"],
            "extractor": {"name": extractor_name, "version": extractor_version},
            "pipeline_version": PIPELINE_VERSION,
            "dataset_version": DATASET_VERSION,
            "repairs": list(src.repairs),
            "outlet_source": outlet_source,
            "annotators": [],
            "removed": seg.removed,
        },
    }


class Check:
    """The contract, checked on every row before it is written: a bad row is an error, not a file."""
    name = "check"

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            errors = row_errors(doc.row, doc.source.text)
            if errors:
                raise ArticleError("row breaks the contract: " + "; ".join(errors[:5]))
        return docs


# A short article written for this purpose: running the steps over it once loads
# everything they load lazily (the spaCy model, lexicons, alias table, language models).
WARM_UP_TEXT = ("Le maire de Lyon annonce un nouveau budget\n\n"
                "Le maire de Lyon, Paul Martin, a présenté mardi le budget de la ville. "
                "« Nous investirons dans les écoles », a-t-il déclaré devant le conseil municipal.\n")


def warm_up() -> None:
    """Load every resource of the default steps (a worker does this before its first batch)."""
    raw = WARM_UP_TEXT.encode("utf-8")
    process_batch([Source(path="warm-up.txt", raw=raw, text=WARM_UP_TEXT, format="text", file_sha256="0" * 64,
                          file_bytes=len(raw), metadata={"collection": "warm-up", "language": "fr"})], default_steps())


def default_steps(learned: dict | None = None) -> list:
    """The steps every article goes through. Picklable arguments only: worker processes call it."""
    annotators = default_annotators()
    needs = set().union(*(a.needs for a in annotators)) if annotators else set()
    return [Segment(learned), Parse(needs), *annotators, Check(), Fingerprint()]
