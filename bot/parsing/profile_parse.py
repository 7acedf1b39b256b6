"""``/profile`` arguments: qualification and the year obtained, the year accounting work began, the
training-institution flag. Each part is optional and updates only what it names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.domain.credits import Profile
from bot.parsing.numbers import normalize_text

EARLIEST_YEAR = 1950

_QUALIFICATIONS = {
    "初级": "初级", "助理会计师": "初级", "junior": "初级",
    "中级": "中级", "会计师": "中级", "intermediate": "中级",
    "高级": "高级", "正高级": "高级", "高级会计师": "高级", "senior": "高级",
}
_NO_QUALIFICATION = ("无资格", "没有资格", "无证", "没证", "无", "none", "no")
_WORK = ("工作", "从事会计", "入职", "work", "started")
_INSTITUTION_ON = ("机构", "培训机构", "institution")
_INSTITUTION_OFF = ("非机构", "不是机构", "no-institution")
_CLEAR = ("清除", "重置", "clear", "reset")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:年)?(?!\d)")


def parse_profile_args(text: str, current: Profile | None, today: date) -> Profile | str:
    """The updated profile, or an error code: ``empty``, ``bad_year``, ``unparseable``."""
    body = normalize_text(text).strip().lower()
    if not body:
        return "empty"
    if body in _CLEAR:
        return Profile()
    profile = current or Profile()
    years = [int(y) for y in _YEAR.findall(body)]
    rest = _YEAR.sub(" ", body)
    if any(not EARLIEST_YEAR <= y <= today.year for y in years) or len(years) > 1:
        return "bad_year"
    year = years[0] if years else None
    words = rest.split()
    understood = False
    for word in words:
        if word in _INSTITUTION_OFF:
            profile, understood = replace(profile, is_institution=False), True
        elif word in _INSTITUTION_ON:
            profile, understood = replace(profile, is_institution=True), True
        elif word in _QUALIFICATIONS:
            profile = replace(profile, qualification=_QUALIFICATIONS[word], qualification_year=year)
            understood = True
        elif word in _NO_QUALIFICATION:
            profile = replace(profile, qualification=None, qualification_year=None)
            understood = True
        elif word in _WORK:
            profile, understood = replace(profile, work_start_year=year), True
        else:
            return "unparseable"
    if year is not None and not any(w in _QUALIFICATIONS or w in _WORK for w in words):
        if any(w in _NO_QUALIFICATION for w in words):
            profile = replace(profile, work_start_year=year)
        else:
            return "unparseable"
    return profile if understood else "unparseable"
