"""What a user typed, cleaned once before anything reads it.

Invisible characters change meaning without showing: a zero-width space inside 专业 makes the category
unreadable, and a name made only of them looks empty to the admin who approves it. :func:`clean_input`
removes format characters (Unicode category Cf: zero-width spaces and joiners, bidi controls, the BOM) and
control characters (Cc) except line breaks; tabs become spaces. Nothing else changes — full-width digits and
the user's own spacing are for the parsers to read.
"""

from __future__ import annotations

import unicodedata

__all__ = ["NAME_MAX", "clean_input"]

NAME_MAX = 100  # course titles, reminder subjects, unit names: long enough for any real one


def _keep(ch: str) -> bool:
    if ch in "\n":
        return True
    category = unicodedata.category(ch)
    return category not in ("Cf", "Cc")


def clean_input(text: str | None) -> str:
    """``text`` without invisible format and control characters (line breaks kept, tabs as spaces)."""
    if not text:
        return ""
    return "".join(ch for ch in text.replace("\t", " ").replace("\r\n", "\n") if _keep(ch))

