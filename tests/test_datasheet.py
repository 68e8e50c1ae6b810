"""DATASHEET.md's figures agree with the published dataset."""
import re

import pyarrow.parquet as pq

from conftest import PUBLISHED, ROOT

SHEET = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")


def figure(name):
    found = re.search(rf"<!-- figure:{name} -->(.*?)<!-- /figure -->", SHEET)
    assert found, f"no figure {name} in DATASHEET.md"
    return found.group(1).strip()


def test_article_count_matches():
    n = sum(pq.ParquetFile(f).metadata.num_rows for f in (PUBLISHED / "articles").glob("*.parquet"))
    assert int(figure("articles").replace(",", "")) == n


def test_reliability_figures_match_the_test_suite():
    import test_bad_input
    import test_properties
    import test_validate

    assert int(figure("bad_input_kinds")) == test_bad_input.bad_input_kinds()
    assert int(figure("fuzz_cases")) == test_properties.FUZZ_CASES_PER_RUN
    assert int(figure("corruption_kinds")) == test_validate.corruption_kinds()


def test_version_matches_the_package():
    from corpus.__about__ import DATASET_VERSION

    assert figure("version") == DATASET_VERSION
    assert f"## {DATASET_VERSION}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_every_datasheet_section_is_there():
    for section in ("Motivation", "Composition", "Collection process", "Preprocessing", "Uses", "Distribution", "Maintenance"):
        assert re.search(rf"^## {section}", SHEET, re.M), section
