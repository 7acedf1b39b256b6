"""``/mydata`` as a person reads it: what the bot keeps about them, in plain words and local time.

The rows come from :class:`bot.storage.personal.PersonalData`, which finds every table that holds a person's id,
so a feature added later is never silently left out: a table without a renderer here is still listed, by name and
count. Internal fields (claim tokens, batch numbers, row ids, summary links) are never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from decimal import Decimal

from bot.answers.credits_view import qualification_name
from bot.answers.i18n import Translator
from bot.answers.responder import FOLLOW_UP_MINUTES
from bot.parsing.numbers import fmt_number

Row = Mapping[str, object]
_UPCOMING = ("draft", "pending", "sending")


def _when(ts: object, tz: tzinfo) -> str:
    return datetime.fromtimestamp(int(str(ts)), tz).strftime("%Y-%m-%d %H:%M") if ts else "—"


def _clock(minutes: object) -> str:
    m = int(str(minutes))
    return f"{m // 60:02d}:{m % 60:02d}"


def _credits(row: Row) -> str:
    if "tenths" in row:
        return fmt_number(Decimal(int(str(row["tenths"]))) / 10)
    return fmt_number(Decimal(str(row.get("credits", 0))))


class MyDataView:
    """Renders the export of one person; ``unit_names`` maps unit ids to names (looked up by the caller)."""

    def __init__(self, t: Translator, lang: str, tz: tzinfo, unit_names: Mapping[int, str]) -> None:
        self.t, self.lang, self.tz, self.unit_names = t, lang, tz, unit_names

    def _(self, key: str, **kwargs: object) -> str:
        return self.t(self.lang, key, **kwargs)

    def _category(self, value: object) -> str:
        return self._(f"credits.category.{value}")

    def render(self, data: Mapping[str, list[dict[str, object]]]) -> str:
        sections: list[str] = [self._("mydata.title")]
        renderers: dict[str, Callable[[list[dict[str, object]]], list[str]]] = {
            "users": self._users, "profiles": self._profiles, "credit_entries": self._credits_rows,
            "reminder_settings": self._settings, "reminders": self._reminders, "f2f_courses": self._f2f,
            "units": self._units, "unit_members": self._members, "unit_applications": self._applications,
            "broadcasts": self._broadcasts, "outbox": self._outbox,
        }
        for table, rows in data.items():
            render = renderers.get(table)
            lines = render(rows) if render else [self._("mydata.other", table=table, count=len(rows))]
            if lines:
                sections.append("\n".join(lines))
        if len(sections) == 1:
            sections.append(self._("mydata.nothing"))
        sections.append(self._("mydata.questions_note", minutes=FOLLOW_UP_MINUTES))
        return "\n\n".join(sections)

    def _users(self, rows: list[dict[str, object]]) -> list[str]:
        u = rows[0]
        return [self._("mydata.user", language=self._(f"lang.name.{u['language']}"),
                       first=_when(u["first_seen"], self.tz), last=_when(u["last_seen"], self.tz))]

    def _profiles(self, rows: list[dict[str, object]]) -> list[str]:
        p = rows[0]
        none = self._("profile.unknown")
        return [self._("mydata.profile", qualification=qualification_name(
                           str(p["qualification"] or ""), self.lang, self.t),
                       qualification_year=p["qualification_year"] or none,
                       work_start_year=p["work_start_year"] or none,
                       institution=self._("profile.yes" if p["is_institution"] else "profile.no"))]

    def _credits_rows(self, rows: list[dict[str, object]]) -> list[str]:
        lines = [self._("mydata.credits.title", count=len(rows))]
        for r in sorted(rows, key=lambda r: (int(str(r["year"])), int(str(r["id"])))):
            key = "mydata.credits.set" if r["kind"] == "set" else "mydata.credits.course"
            lines.append("• " + self._(key, year=r["year"], category=self._category(r["category"]),
                                       credits=_credits(r), title=r["title"] or "—",
                                       day=r["studied_on"] or "—", recorded=_when(r["created_at"], self.tz)))
        return lines

    def _settings(self, rows: list[dict[str, object]]) -> list[str]:
        s = rows[0]
        quiet = self._("mydata.quiet.none") if s["quiet_start"] == s["quiet_end"] else \
            f"{_clock(s['quiet_start'])}–{_clock(s['quiet_end'])}"
        return [self._("mydata.settings", state=self._("mydata.on" if s["enabled"] else "mydata.off"),
                       at=_clock(s["remind_at"]), quiet=quiet)]

    def _reminders(self, rows: list[dict[str, object]]) -> list[str]:
        upcoming = [r for r in rows if r["status"] in _UPCOMING and r["kind"] in ("personal", "f2f")]
        lines = [self._("mydata.reminders.title", upcoming=len(upcoming), past=len(rows) - len(upcoming))]
        for r in sorted(upcoming, key=lambda r: int(str(r["due_at"]))):
            lines.append("• " + self._("mydata.reminders.line", when=_when(r["due_at"], self.tz),
                                       text=r["text"] or self._("mydata.reminders.untitled")))
        return lines

    def _f2f(self, rows: list[dict[str, object]]) -> list[str]:
        return [self._("mydata.f2f.title", count=len(rows))] + [
            "• " + self._("mydata.f2f.line", title=r["title"] or "—", ended=r["ended_on"], due=r["report_due"])
            for r in rows]

    def _units(self, rows: list[dict[str, object]]) -> list[str]:
        return [self._("mydata.contact", unit=r["name"]) for r in rows]

    def _members(self, rows: list[dict[str, object]]) -> list[str]:
        return [self._("mydata.member", unit=self.unit_names.get(int(str(r["unit_id"])), "?"),
                       since=_when(r["joined_at"], self.tz),
                       share=self._("unit.share_on" if r["share"] else "unit.share_off"),
                       name=r["display_name"]) for r in rows]

    def _applications(self, rows: list[dict[str, object]]) -> list[str]:
        return [self._("mydata.application", unit=r["unit_name"], when=_when(r["created_at"], self.tz),
                       status=self._(f"mydata.application.{r['status']}")) for r in rows]

    def _broadcasts(self, rows: list[dict[str, object]]) -> list[str]:
        sent = [r for r in rows if r["status"] in ("queued", "done")]
        return [self._("mydata.broadcasts", count=len(sent),
                       last=_when(max((int(str(r["created_at"])) for r in rows), default=0), self.tz))]

    def _outbox(self, rows: list[dict[str, object]]) -> list[str]:
        return [self._("mydata.received", count=len(rows))]
