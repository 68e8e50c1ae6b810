"""Metadata: trusted from the manifest, else the URL, else what the text proves; dates never invented."""
import datetime as dt

import pytest

from corpus import metadata, outlets
from corpus.document import ArticleError, Source


def src(text="Titre\n\nCorps.", **meta):
    return Source(path="a.txt", raw=text.encode(), text=text, format="text", file_sha256="0" * 64,
                  file_bytes=len(text), metadata={"collection": "t", **meta})


def test_outlet_from_metadata_url_text_or_nowhere(seed_text):
    assert metadata.resolve_outlet(src(outlet="Le Figaro")) == (outlets.registry()["le-figaro"], "metadata")
    assert metadata.resolve_outlet(src(url="http://sport24.lefigaro.fr/a/2018/12/07/x.php"))[1] == "url"
    assert metadata.resolve_outlet(src(seed_text)) == (outlets.registry()["rt-france"], "text")
    assert metadata.resolve_outlet(src()) == (outlets.registry()["unknown"], "none")


def test_an_unknown_outlet_name_is_an_error():
    with pytest.raises(ArticleError, match="not in the outlet registry"):
        metadata.resolve_outlet(src(outlet="Le Journal Imaginaire"))


def test_dates_come_from_metadata_or_url_and_are_never_invented():
    outlet = outlets.registry()["le-monde"]
    assert metadata.resolve(src(published="2021-07-02"), outlet)["published"] == dt.date(2021, 7, 2)
    r = metadata.resolve(src(url="https://www.lefigaro.fr/politique/2018/12/07/01002-x.php"), outlet)
    assert (r["published"], r["published_source"]) == (dt.date(2018, 12, 7), "url")
    r = metadata.resolve(src(url="https://www.lepoint.fr/a-la-une-16-02-2019-2293946_19.php"), outlet)
    assert r["published"] == dt.date(2019, 2, 16)
    assert metadata.resolve(src(published="8-2-2019"), outlet)["published"] == dt.date(2019, 2, 8)  # day first
    r = metadata.resolve(src("Titre\n\nCe 2 juillet, rien."), outlet)
    assert (r["published"], r["published_source"]) == (None, "none")


@pytest.mark.parametrize("bad", [{"published": "2021-13-45"}, {"published": "le 2 juillet"}, {"url": "not a url"}, {"authors": "Jean"}])
def test_malformed_metadata_is_an_error(bad):
    with pytest.raises(ArticleError):
        metadata.resolve(src(**bad), outlets.registry()["le-monde"])


def test_the_declared_language_comes_from_metadata_or_the_outlet():
    assert metadata.resolve(src(language="en"), outlets.registry()["le-monde"])["language"] == "en"
    assert metadata.resolve(src(), outlets.registry()["le-monde"])["language"] == "fr"
    assert metadata.resolve(src(), outlets.registry()["unknown"])["language"] is None  # the detector decides


def test_registry_entries_are_complete_and_domains_unique():
    seen = set()
    for o in outlets.registry().values():
        assert o["ownership"] in {"state-affiliated", "public", "private", "non-profit", "unknown"}
        assert not seen & set(o["domains"]), o["id"]
        seen |= set(o["domains"])
    assert outlets.row_value(outlets.registry()["rt-france"]) == {
        "id": "rt-france", "name": "RT France", "domain": "francais.rt.com", "country": "FR", "ownership": "state-affiliated"}
