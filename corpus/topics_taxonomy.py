"""The IPTC Media Topics subset shipped in ``resources/iptc_mediatopics.json``."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict]:
    data = json.loads(resources.files("corpus.resources").joinpath("iptc_mediatopics.json").read_text(encoding="utf-8"))
    return {t["code"]: t for t in data["topics"]}


def label(code: str) -> str:
    entry = taxonomy().get(code)
    return entry["label_en"] if entry else code
