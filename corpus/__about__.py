"""Versions that go into every row's provenance.

PIPELINE_VERSION: the code; bump it when a change alters the rows the pipeline writes.
DATASET_VERSION: the published release (semantic versioning, see CHANGELOG.md): a
change of the data contract (schema/) is a major version, new fields or articles a
minor one, fixes a patch.
"""
PIPELINE_VERSION = "0.2.3"
DATASET_VERSION = "1.0.4"
