"""Credit answers as plain text, in the user's language.

Rendering is separate from the rule so that the same :class:`~bot.domain.credits.Assessment` reads the same in
the chat, the CLI and tests, and every sentence comes from ``credits.po`` (zh + en). Nothing here
decides anything: figures, dates and window states are already on the values passed in.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.answers.i18n import Translator
from bot.domain.conversions import ConversionQuery
from bot.domain.credits import Assessment, MakeupStatus
from bot.parsing.credit_parse import ParseError
from bot.parsing.numbers import fmt_number
from knowledge.conversions import ConversionForm, form_by_id

__all__ = ["fmt_date", "render_assessment", "render_between", "render_conversion", "render_error", "render_makeup_line"]


def fmt_date(day: date, lang: str) -> str:
    """``2026年12月31日`` / ``31 December 2026``."""
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


_QUALIFICATION_KEYS = {"初级": "junior", "中级": "intermediate", "高级": "senior"}


def qualification_name(qualification: str | None, lang: str, t: Translator) -> str:
    """初级 / 中级 / 高级 in the reader's language ("none" when there is no qualification)."""
    if not qualification:
        return t(lang, "profile.none")
    key = _QUALIFICATION_KEYS.get(qualification)
    return t(lang, f"profile.qualification.{key}") if key else qualification


def fmt_credits(value: Decimal | int | None) -> str:
    """A credit figure as the answers show it (``95``, ``7.5``); an unknown figure reads as 0."""
    return fmt_number(value if value is not None else 0)


def _required_line(a: Assessment, lang: str, t: Translator) -> str | None:
    if a.required is False:
        return t(lang, f"credits.required.{a.required_reason}", year=a.year, start_year=a.start_year)
    if a.required is None:
        return t(lang, "credits.required.no_profile")
    return None


def render_makeup_line(m: MakeupStatus, lang: str, t: Translator) -> str | None:
    """One line about a makeup year, or ``None`` when there is nothing worth saying."""
    if not m.relevant:
        return None
    args = {"year": m.year, "start": fmt_date(m.window_start, lang), "end": fmt_date(m.window_end, lang)}
    if m.gap and m.recorded is not None:
        return t(lang, f"credits.makeup.gap.{m.window}", total=fmt_credits(m.recorded.total),
                 professional=fmt_credits(m.recorded.professional), public=fmt_credits(m.recorded.public),
                 missing=fmt_credits(max(m.missing_total or 0, m.missing_professional or 0)),
                 missing_professional=fmt_credits(m.missing_professional), **args)
    return t(lang, f"credits.makeup.unknown.{m.window}", **args)


def render_assessment(a: Assessment, lang: str, t: Translator, *, profile_hint: bool = True) -> str:
    """Status line, figures, exactly what is missing, time left and pace, then relevant makeup years.

    ``profile_hint=False`` leaves out "set your profile with /profile" (the chat says it once, not every time).
    """
    lines: list[str] = []
    required_line = _required_line(a, lang, t) if profile_hint or a.required is not None else None
    if a.required is False:
        lines.append(required_line or "")
    else:
        lines.append(t(lang, "credits.status.met" if a.met else "credits.status.not_met", year=a.year))
        if required_line:
            lines.append(required_line)
    if a.has_record:
        lines.append(t(lang, "credits.figures", total=fmt_credits(a.total), professional=fmt_credits(a.professional),
                       public=fmt_credits(a.public)))
    else:
        lines.append(t(lang, "credits.figures.none", year=a.year))
    lines.append(t(lang, "credits.requirement", min_total=a.min_total, min_professional=a.min_professional))

    if a.required is not False:
        if not a.met:
            if a.missing_professional > 0:
                lines.append(t(lang, "credits.missing.with_professional", min_additional=fmt_credits(a.min_additional),
                               min_additional_professional=fmt_credits(a.missing_professional)))
            else:
                lines.append(t(lang, "credits.missing.any", min_additional=fmt_credits(a.min_additional),
                               min_professional=a.min_professional))
        elif a.public < a.min_total - a.min_professional:
            lines.append(t(lang, "credits.note.public_minimum"))

        if a.deadline is not None:
            deadline = fmt_date(a.deadline, lang)
            if a.past_deadline:
                key = "credits.deadline.past_makeup" if a.makeup and a.makeup[0].year == a.year \
                    else "credits.deadline.past"
                lines.append(t(lang, key, year=a.year, deadline=deadline))
            elif not a.met and a.days_left is not None and a.weekly_pace is not None:
                own = next((m for m in a.makeup if m.year == a.year), None)
                if own is None:
                    lines.append(t(lang, "credits.deadline.pace", deadline=deadline, days=a.days_left,
                                   pace=fmt_credits(a.weekly_pace)))
                else:
                    lines.append(t(lang, f"credits.deadline.makeup_{own.window}", year=a.year,
                                   start=fmt_date(own.window_start, lang), deadline=deadline,
                                   days=a.days_left, pace=fmt_credits(a.weekly_pace)))

    for status in a.makeup:
        if status.year == a.year:
            continue  # assessing a makeup year itself: its window is the deadline line above
        line = render_makeup_line(status, lang, t)
        if line:
            lines.append(line)
    return "\n".join(lines)


def render_between(final: Assessment, current: Assessment, lang: str, t: Translator) -> str:
    """Between years: the finished year is final (met or not, no makeup), then the year one studies in now,
    judged by the national rule because the province has not published that year's arrangements yet."""
    head = "credits.between.final_met" if final.met else "credits.between.final_not_met"
    lines = [t(lang, head, year=final.year, deadline=fmt_date(final.deadline, lang) if final.deadline else "",
               total=fmt_credits(final.total), professional=fmt_credits(final.professional),
               public=fmt_credits(final.public),
               missing=fmt_credits(final.min_additional))]
    lines.append("")
    lines.append(render_assessment(current, lang, t))
    lines.append(t(lang, "credits.between.caveat", year=current.year))
    return "\n".join(lines)


# --- conversions -----------------------------------------------------------------------------------

def _unit(form: ConversionForm, quantity: Decimal | None, lang: str, t: Translator) -> str:
    plural = "one" if quantity is None or quantity == 1 else "other"
    return t(lang, f"credits.unit.{form.unit}.{plural}")


def _sources(form: ConversionForm, lang: str, t: Translator) -> str:
    parts = []
    for src in form.sources:
        caveat = src.caveat_en if lang == "en" and src.caveat_en else src.caveat
        parts.append(t(lang, "credits.conv.source_caveat", citation=src.citation, caveat=caveat)
                     if caveat else src.citation)
    return t(lang, "credits.conv.sources", sources="；".join(parts) if lang != "en" else "; ".join(parts))


def render_conversion(q: ConversionQuery, lang: str, t: Translator) -> str:
    """The computed figure, the rule, where it comes from, and what the source does not say."""
    form = q.form
    name = t(lang, f"credits.form.{form.id}.name")
    unit_one = t(lang, f"credits.unit.{form.unit}.one")
    lines: list[str] = []
    if q.quantity is None or q.credits is None:
        lines.append(t(lang, "credits.conv.rate_hours", name=name, per_unit=fmt_credits(form.per_unit),
                       cap=fmt_credits(form.cap_per_day), day_max=fmt_credits(q.one_day_max)))
    elif q.credits_other is not None:
        lines.append(t(lang, "credits.conv.result_roles", name=name, quantity=fmt_credits(q.counted_quantity),
                       unit=_unit(form, q.counted_quantity, lang, t), unit_one=unit_one,
                       first=t(lang, f"credits.form.{form.id}.first"),
                       other=t(lang, f"credits.form.{form.id}.other"),
                       per_unit=fmt_credits(form.per_unit), per_unit_other=fmt_credits(form.per_unit_other),
                       credits=fmt_credits(q.credits), credits_other=fmt_credits(q.credits_other)))
    else:
        per_unit = form.per_unit_other if q.role == "other" and form.per_unit_other else form.per_unit
        role = t(lang, "credits.conv.role", role=t(lang, f"credits.form.{form.id}.{q.role}")) \
            if q.role and form.has_roles else ""
        lines.append(t(lang, "credits.conv.result", name=name, role=role, quantity=fmt_credits(q.counted_quantity),
                       unit=_unit(form, q.counted_quantity, lang, t), unit_one=unit_one,
                       per_unit=fmt_credits(per_unit), credits=fmt_credits(q.credits)))
    lines.append(t(lang, f"credits.form.{form.id}.condition", per_unit=fmt_credits(form.per_unit),
                   per_unit_other=fmt_credits(form.per_unit_other), cap=fmt_credits(form.cap_per_day)))
    if q.capped:
        lines.append(t(lang, "credits.conv.capped", cap=fmt_credits(form.cap_per_day), days=fmt_credits(q.days),
                       quantity=fmt_credits(q.quantity), counted=fmt_credits(q.counted_quantity),
                       credits=fmt_credits(q.credits)))
    if q.min_days:
        lines.append(t(lang, "credits.conv.min_days", cap=fmt_credits(form.cap_per_day),
                       quantity=fmt_credits(q.quantity), min_days=q.min_days, day_max=fmt_credits(q.one_day_max)))
    if q.once:
        lines.append(t(lang, "credits.conv.once", quantity=fmt_credits(q.quantity), credits=fmt_credits(q.credits)))
    lines.append(_sources(form, lang, t))
    if q.category is None:
        lines.append(t(lang, "credits.conv.category_unknown"))
    lines.append(t(lang, "credits.conv.add_hint", example=t(lang, f"credits.form.{form.id}.add_example")))
    return "\n".join(lines)


# --- errors ----------------------------------------------------------------------------------------

def render_error(err: ParseError, lang: str, t: Translator) -> str:
    """A friendly message that says what went wrong and what to type instead."""
    params = {k: ("" if v is None else v) for k, v in err.params.items()}
    if err.code == "bad_year" and lang == "en":
        params["years"] = params.get("years_en", params.get("years", ""))
    if err.code == "category_needed":
        if "form" in params:
            form = form_by_id(str(params["form"]))
            quantity = Decimal(str(params.get("quantity", "1")))
            return t(lang, "credits.error.category_needed.converted",
                     name=t(lang, f"credits.form.{form.id}.name"), quantity=params.get("quantity", ""),
                     unit=_unit(form, quantity, lang, t), credits=params.get("credits", ""),
                     source=params.get("source", ""),
                     example=t(lang, f"credits.form.{form.id}.add_example"))
        context = params.get("context", "add")
        return t(lang, f"credits.error.category_needed.{context}", **params)
    if err.code == "role_needed":
        form = form_by_id(str(params["form"]))
        return t(lang, "credits.error.role_needed", name=t(lang, f"credits.form.{form.id}.name"),
                 first=t(lang, f"credits.form.{form.id}.first"),
                 other=t(lang, f"credits.form.{form.id}.other"),
                 per_unit=fmt_credits(form.per_unit), per_unit_other=fmt_credits(form.per_unit_other),
                 unit_one=t(lang, f"credits.unit.{form.unit}.one"),
                 example=t(lang, f"credits.form.{form.id}.add_example"))
    if err.code == "empty" and params.get("context") == "add":
        return t(lang, "credits.error.empty_add")
    if err.code == "empty" and params.get("year"):
        return t(lang, "credits.error.empty_year", **params)
    return t(lang, f"credits.error.{err.code}", **params)
