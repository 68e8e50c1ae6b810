"""Annotators: named, versioned components that declare what they assign (spaCy-style).

An annotator takes a batch of documents and fills the row fields it declares in
``assigns``, for the documents whose language it supports; it records itself in
``provenance.annotators``. Each one is runnable alone on one document, so a bug
is reproduced in one line: ``Entities()([doc])``.
"""
from __future__ import annotations

from ..document import Document


class Annotator:
    task: str = ""
    name: str = ""
    version: str = ""
    model: str | None = None
    languages: frozenset[str] = frozenset({"fr"})
    assigns: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()  # spaCy components it reads from document.cache["spacy"]

    @property
    def tag(self) -> str:
        """What each annotation it makes carries in its ``annotator`` field."""
        return f"{self.name}@{self.version}"

    def annotate(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def __call__(self, docs: list[Document]) -> list[Document]:
        supported = [d for d in docs if d.row["language"] in self.languages]
        if supported:
            self.annotate(supported)
        for d in docs:
            ran = d.row["language"] in self.languages
            reason = None if ran else (f"language {d.row['language']!r} not supported "
                                       f"(supports {', '.join(sorted(self.languages))})")
            d.row["provenance"]["annotators"].append(
                {"task": self.task, "name": self.name, "version": self.version, "model": self.model,
                 "status": "ran" if ran else "skipped", "reason": reason})
        return docs


def default_annotators() -> list[Annotator]:
    """The annotators a build runs, in order (later ones may read earlier ones' fields)."""
    from .entities import Entities
    from .quotes import Quotes
    from .topics import Topics

    return [Entities(), Quotes(), Topics()]
