"""Placeholder until the topics annotator lands: fills nothing."""
from . import Annotator


class Topics(Annotator):
    task = "topics"
    name = "corpus.topics"
    version = "0"
    assigns = ("topics",)

    def annotate(self, docs):
        pass
