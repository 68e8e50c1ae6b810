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
    """The published dataset as a pandas DataFrame (all shards of one config)."""
    import pandas as pd
    import pyarrow.parquet as pq
    from pathlib import Path

    files = sorted((Path(dataset) / config).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet files under {Path(dataset) / config}")
    return pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
