"""Row metadata (url, outlet, date, language, authors, licence) from what came with a source.

Order of trust: the manifest or sidecar (``metadata``), then the URL, then the
text itself, and only where the text proves it (an outlet's own boilerplate).
A date is never invented: with none of these, ``published`` is null.
"""
from __future__ import annotations

import datetime as dt
import re

from . import outlets
from .document import ArticleError, Source
from .segment import identify_outlet

# Keys a manifest line or a sidecar may carry (``path`` only in the manifest).
KEYS = {"url", "outlet", "published", "authors", "license", "language", "collection", "retrieved_at", "title"}

# Dates that URLs carry: /2018/12/07/ (Le Figaro) and 16-02-2019 (Le Point).
_URL_DATES = (
    (re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/"), (1, 2, 3)),
    (re.compile(r"[/-](\d\d)-(\d\d)-((?:19|20)\d\d)-"), (3, 2, 1)),
)


_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*")


def check_keys(meta: dict, where: str) -> None:
    unknown = sorted(set(meta) - KEYS)
    if unknown:
        raise ArticleError(f"{where}: unknown metadata key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(KEYS))})")


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d\d)")


def parse_date(value, where: str) -> dt.date:
    """ISO dates (a time after the date is ignored) and day-first D-M-YYYY or D/M/YYYY."""
    text = str(value).strip()
    try:
        if _DAY_FIRST.fullmatch(text):
            d, m, y = _DAY_FIRST.fullmatch(text).groups()
            return dt.date(int(y), int(m), int(d))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ArticleError(f"{where}: published {value!r} is not a date (YYYY-MM-DD or D-M-YYYY)") from None


def date_from_url(url: str | None) -> dt.date | None:
    for pattern, (y, m, d) in _URL_DATES:
        found = pattern.search(url or "")
        if found:
            try:
                return dt.date(int(found.group(y)), int(found.group(m)), int(found.group(d)))
            except ValueError:
                return None
    return None


def resolve_outlet(source: Source) -> tuple[dict, str]:
    """(registry entry, outlet_source)."""
    name = source.metadata.get("outlet")
    if name:
        found = outlets.lookup(name)
        if found is None:
            raise ArticleError(f"outlet {name!r} is not in the outlet registry (corpus/resources/outlets.json)")
        by_url = outlets.from_url(source.metadata.get("url"))
        if by_url and by_url["id"] != found["id"]:
            raise ArticleError(f"contradictory metadata: outlet {found['id']!r} but the url is on {by_url['id']!r}'s domain")
        return found, "metadata"
    found = outlets.from_url(source.metadata.get("url"))
    if found:
        return found, "url"
    rule = identify_outlet(source.text)
    if rule:
        return outlets.registry()[rule.outlet], "text"
    return outlets.registry()["unknown"], "none"


def resolve(source: Source, outlet: dict) -> dict:
    """The row's metadata fields other than the outlet."""
    meta = source.metadata
    url = meta.get("url")
    if url is not None and not _URL.fullmatch(str(url)):
        raise ArticleError(f"metadata: url {url!r} is not an http(s) URL")
    if meta.get("published"):
        published, published_source = parse_date(meta["published"], "metadata"), "metadata"
    elif date_from_url(url):
        published, published_source = date_from_url(url), "url"
    else:
        published, published_source = None, "none"
    retrieved = meta.get("retrieved_at")
    if published and retrieved and str(retrieved)[:10] < published.isoformat():
        raise ArticleError(f"contradictory metadata: published {published} is after retrieved_at {retrieved}")
    language = meta.get("language") or outlet.get("language")  # declared; the detector may overrule it
    authors = meta.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise ArticleError("metadata: authors must be a list of non-empty strings")
    return {
        "url": url,
        "language": language,
        "published": published,
        "published_source": published_source,
        "authors": [a.strip() for a in authors],
        "license": meta.get("license"),
        "retrieved_at": meta.get("retrieved_at"),
    }
