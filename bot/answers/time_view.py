"""Time in replies: the echo of a resolved date before a reminder is saved, and why an expression was refused."""

from __future__ import annotations

from datetime import datetime

from bot.answers.i18n import Translator, translator
from bot.domain.clock import SHANGHAI

__all__ = ["format_when", "reason_text"]


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

