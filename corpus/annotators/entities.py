"""Placeholder until the entities annotator lands: fills nothing."""
from . import Annotator


class Entities(Annotator):
    task = "entities"
    name = "corpus.entities"
    version = "0"
    assigns = ("entities",)

    def annotate(self, docs):
        pass
