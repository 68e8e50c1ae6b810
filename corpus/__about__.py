"""Versions that go into every row's provenance.

Bump PIPELINE_VERSION when a change alters the rows the pipeline writes.
"""
PIPELINE_VERSION = "0.1.0"
