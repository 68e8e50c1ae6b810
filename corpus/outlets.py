"""The outlet registry shipped in ``resources/outlets.json``."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

ROW_FIELDS = ("id", "name", "domain", "country", "ownership")


@lru_cache(maxsize=1)
def registry() -> dict[str, dict]:
    data = json.loads(resources.files("corpus.resources").joinpath("outlets.json").read_text(encoding="utf-8"))
    return {o["id"]: o for o in data["outlets"]}


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    index = {}
    for o in registry().values():
        for name in [o["id"], o["name"], *o["aliases"], *o["domains"]]:
            index[_key(name)] = o["id"]
    return index


def lookup(name: str) -> dict | None:
    """An outlet by id, name, alias or domain; None if the registry does not know it."""
    oid = _by_name().get(_key(name))
    return registry()[oid] if oid else None


def from_url(url: str | None) -> dict | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    while host:
        found = _by_name().get(host)
        if found:
            return registry()[found]
        host = host.partition(".")[2] if "." in host else ""
    return None


def row_value(outlet: dict) -> dict:
    """The struct stored in a row: the first domain stands for the outlet."""
    return {
        "id": outlet["id"],
        "name": outlet["name"],
        "domain": outlet["domains"][0] if outlet["domains"] else None,
        "country": outlet["country"],
        "ownership": outlet["ownership"],
    }
