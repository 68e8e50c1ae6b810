"""Nothing executes code from the data; paths stay inside the folders given."""
import re

import pyarrow.parquet as pq

from corpus import schema, validate
from corpus.writer import write_table
from conftest import ROOT, RAW

PACKAGE = sorted((ROOT / "corpus").rglob("*.py"))


def test_no_unsafe_deserialisation_or_remote_code_in_the_package():
    for path in PACKAGE:
        code = path.read_text(encoding="utf-8")
        for pattern in (r"\bimport pickle\b", r"\bpickle\.load", r"trust_remote_code", r"\beval\(", r"\bexec\(",
                        r"yaml\.load\(", r"shell=True"):
            assert not re.search(pattern, code), f"{path.name}: {pattern}"


def test_the_published_folder_has_no_loading_script():
    assert not list((ROOT / "data" / "dataset").rglob("*.py"))


def test_a_row_cannot_make_the_validator_read_outside_the_raw_folder(copy_of_built):
    path = next((copy_of_built / "articles").glob("*.parquet"))
    rows = pq.read_table(path).to_pylist()
    rows[0]["provenance"]["source_path"] = "../../../../etc/passwd"
    write_table(rows, schema.arrow_schema(), path)
    report = validate(copy_of_built, RAW)
    assert report.ok  # the raw file is simply not found: nothing outside RAW is opened
