"""Time in replies: the echo of a resolved date before a reminder is saved, and why an expression was refused."""

from __future__ import annotations

from datetime import datetime

from bot.answers.i18n import Translator, translator
from bot.domain.clock import SHANGHAI
from bot.parsing.timeparse import TimeParse

__all__ = ["explain", "format_when", "reason_text"]


def format_when(dt: datetime, lang: str, t: Translator | None = None) -> str:
    """The echo before saving a reminder, in Shanghai time.

    "2026年12月20日（周日）09:00" / "Sun 20 Dec 2026 09:00";
    the layout itself is ``time.format`` in the catalog.
    """
    if t is None:
        t = translator()
    local = dt.astimezone(SHANGHAI) if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)
    return t(
        lang,
        "time.format",
        year=local.year,
        month=local.month,
        month_name=t(lang, f"time.month.{local.month}"),
        day=local.day,
        weekday=t(lang, f"time.weekday.{local.weekday()}"),
        hh=f"{local.hour:02d}",
        mm=f"{local.minute:02d}",
    )


def reason_text(reason: str, lang: str, t: Translator) -> str:
    """The user-facing sentence for a reason code (``time.reason.<code>`` in timeparse.po)."""
    return t(lang, f"time.reason.{reason}")



def explain(parsed: TimeParse, lang: str, t: Translator) -> str:
    """Why a phrase was not turned into a time, as specifically as the parser knows (the unused word, the
    date that has already passed)."""
    reason = parsed.reason or "unrecognized"
    if reason == "unused" and parsed.unused:
        return t(lang, "time.reason.unused", word=parsed.unused, matched=parsed.matched)
    if reason == "vague" and parsed.unused:
        return t(lang, "time.reason.vague", word=parsed.unused)
    if reason == "past" and parsed.past is not None:
        return t(lang, "time.reason.past_at", when=format_when(parsed.past, lang, t))
    return reason_text(reason, lang, t)
