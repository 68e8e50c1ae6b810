"""Encoding repair for formats whose source text is already derived (JSON fields, extracted HTML)."""
from __future__ import annotations

import unicodedata

import ftfy

# Only mojibake and broken escapes: quotes, dashes and ligatures stay as the publisher wrote them.
_CONFIG = ftfy.TextFixerConfig(unescape_html=False, fix_latin_ligatures=False, fix_character_width=False,
                               uncurl_quotes=False, fix_line_breaks=False, normalization=None, explain=False)


def repair(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with mojibake fixed (ftfy), and what was done, for provenance."""
    fixed = ftfy.fix_text(text, _CONFIG)
    repairs = []
    if fixed != text:
        repairs.append(f"ftfy {ftfy.__version__}: mojibake repaired")
    if "\x00" in fixed:
        fixed = fixed.replace("\x00", "")
        repairs.append("NUL characters removed")
    return fixed, tuple(repairs)


def clean_line(value: str) -> str:
    """A one-line metadata value: control characters and runs of space collapsed."""
    return " ".join("".join(" " if unicodedata.category(c).startswith("C") else c for c in value).split())
