"""Placeholder until the quotes annotator lands: fills nothing."""
from . import Annotator


class Quotes(Annotator):
    task = "quotes"
    name = "corpus.quotes"
    version = "0"
    assigns = ("quotes",)

    def annotate(self, docs):
        pass
