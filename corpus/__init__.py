"""Annotated news corpus: raw articles → schema-validated Parquet with provenance.

Library first; the ``corpus`` command line is a thin layer over these functions.
"""
from .__about__ import PIPELINE_VERSION as __version__
from .build import build
from .validate import validate_dataset as validate

__all__ = ["__version__", "build", "validate", "evaluate", "load"]


def evaluate(dataset, gold, raw=None):
    from .evaluate import evaluate as _evaluate

    return _evaluate(dataset, gold, raw)


def load(dataset="data/dataset", config="articles"):
    """The published dataset as a pandas DataFrame (all shards and splits of one config).

    Flat tables for mentions, entities, quotes and topics are in ``corpus.frames``.
    """
    from .frames import load as _load

    return _load(dataset, config)
