"""The grammar of every button's callback data, one strict pattern per prefix.

Callback data comes back from the user's client and can be forged (anything up to 64 bytes). Before any
handler sees a pressed button, :func:`parse` checks the whole string against the pattern of its prefix:
known words only, ids within SQLite's signed 64-bit range, short tokens, Unix-second stamps, nothing left
over (credit figures are short tokens that the credit validator then explains). Anything else is answered "this
button is no longer valid" and changes nothing; handlers still check what the parts mean (ownership, state).

Adding a button means adding its shape here; ``tests/test_callbacks.py`` checks the shapes the bot makes and
the forged ones it must refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SQLITE_MAX_ID = 2**63 - 1

_ID = r"[1-9][0-9]{0,18}"  # a row id; its value is checked against SQLITE_MAX_ID below
# A credit figure or "-" for not given: a short token only. Whether it is a number the rules accept (not
# negative, at most one decimal, within the limits) is the credit validator's to say, with its own message.
_FIG = r"[-0-9A-Za-z.]{1,8}"
_YEAR = r"[0-9]{4}"  # which years may be recorded is also the validator's to say
_STAMP = r"[1-9][0-9]{8,10}"  # Unix seconds
_TOPIC = r"[a-z0-9][a-z0-9_-]{0,40}"

# prefix -> the pattern for what follows "prefix:"
GRAMMAR: dict[str, str] = {
    "lang": r"(?:zh|en)",
    "menu": r"(?:faq|credits|lang|reminders)",
    "faq": _TOPIC,
    "fb": rf"[+-]:{_TOPIC}",
    "cr": rf"(?:hist|how:(?:set|add)|undo:{_ID})",
    "cs": rf"{_YEAR}:{_FIG}:{_FIG}",
    "cc": rf"(?:no|[0-9]{{1,19}}:{_YEAR}:{_FIG}:{_FIG})",  # the newest entry's batch when the change was shown
    "fg": rf"(?:no|yes:{_STAMP})",
    "rm": rf"(?:list|(?:cancel|done|ok):{_ID}|snooze:{_ID}:(?:1h|tm|3d))",
    "set": r"(?:show|on|off|time|quiet|time:[0-9]{4}|quiet:(?:[0-9]{4}-[0-9]{4}|off)|inst:[01])",
    "ua": rf"(?:list|units|(?:ok|no):{_ID}|drop:{_ID}(?::y)?)",
    "share": r"(?:y|n)",
    "um": rf"(?:list|ho|keep|leave|quit|rot|(?:leave|quit):y|ho:{_ID}|rm:{_ID}(?::y)?)",
    "uh": rf"(?:y|n):{_ID}",
    "bc": rf"(?:send|cancel):{_ID}",
}

_COMPILED = {prefix: re.compile(rf"{re.escape(prefix)}:{body}") for prefix, body in GRAMMAR.items()}


@dataclass(frozen=True, slots=True)
class Pressed:
    """A well-formed button press: ``rm:snooze:12:1h`` → prefix ``rm``, action ``snooze``, args ``["12", "1h"]``."""

    prefix: str
    action: str
    args: list[str]


# The answer to a malformed press, where a feature has its own words for "no longer valid".
STALE_KEYS = {"rm": "rm.stale", "set": "rm.stale", "faq": "qa.topic_unknown", "fb": "qa.topic_unknown"}


def stale_key(data: str | None) -> str:
    return STALE_KEYS.get((data or "").split(":", 1)[0], "button.stale")


def parse(data: str | None) -> Pressed | None:
    """The press, or ``None`` when ``data`` is not exactly the shape of a button the bot makes."""
    if not data or len(data.encode()) > 64:
        return None
    prefix = data.split(":", 1)[0]
    pattern = _COMPILED.get(prefix)
    match = pattern.fullmatch(data) if pattern is not None else None
    if match is None:
        return None
    parts = data.split(":")
    if any(p.isdigit() and int(p) > SQLITE_MAX_ID for p in parts):
        return None
    return Pressed(prefix, parts[1] if len(parts) > 1 else "", parts[2:])
