"""Reading the shape of a question: several questions in one message, yes/no questions, and the personal
facts that turn "do I need to study?" into a question about one person.

Pure functions over cleaned text (Traditional → Simplified, full-width folded: :func:`knowledge.text.clean`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import clean

MAX_PARTS = 3

# Sentence ends that separate questions. Commas do not: "我2019年考过中级，今年还要学吗" is one question.
_SPLIT = re.compile(r"(?<=[?!;。？！；])|\n")
_CONTENT = re.compile(r"[\u4e00-\u9fff]{2,}|[a-zA-Z]{3,}")

_WH_ZH = re.compile(r"什么|多少|哪|几|怎么|怎样|如何|何时|啥|为什么|为啥|咋")
_YESNO_ZH = re.compile(r"(吗|么|嘛)\s*[?？]?\s*$|是否|能否|可否|是不是|能不能|可不可以|要不要|用不用|需不需要|"
                       r"会不会|有没有|算不算|行不行|认不认|必须.{0,6}[吗么]|对吗|对不对|[^\s]不\s*[?？]?$")
_YESNO_EN = re.compile(r"(^|[,;]\s*)(do|does|did|can|could|is|are|was|were|must|should|will|would|may|have|has|"
                       r"need)\b", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WH_EN = re.compile(r"\b(what|when|where|which|who|how|why)\b", re.IGNORECASE)


def split_questions(text: str) -> list[str]:
    """The questions in ``text``: split at sentence ends, fragments without content dropped, at most three.

    A single question comes back as one part (unchanged but cleaned), so callers can treat every message
    alike.
    """
    cleaned = clean(text)
    parts = [p.strip(" ,，、") for p in _SPLIT.split(cleaned)]
    parts = [p for p in parts if _CONTENT.search(p)]
    return parts[:MAX_PARTS] if parts else [cleaned]


def is_yes_no(text: str) -> bool:
    """Whether ``text`` asks for a yes or a no ("能结转吗", "是否需要", "Can I …?"), not for a what/when/how."""
    body = clean(text).strip()
    if _YESNO_EN.search(body) and not _CJK.search(body):
        return not _WH_EN.search(body)
    if not _YESNO_ZH.search(body):
        return False
    # "怎么补学吗" is still a how-question; "是不是要多少学分" asks for a number.
    return not _WH_ZH.search(_YESNO_ZH.sub("", body))


_QUAL = re.compile(r"(初级|中级|高级|会计师|助理会计师|职称|资格|会计证|证书|证|junior|intermediate|senior|"
                   r"qualification|certificate)", re.IGNORECASE)
_GOT = re.compile(r"考过|考下|考出|拿到|取得|获得|通过|考了|考完|下证|下来|拿证|passed|obtained|got")
_WORK = re.compile(r"(开始|入职|从事|参加工作|做会计|干会计|当会计|做财务|记账|做账|上班|started|began)")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年?(?!\d)")
_REL = {"今年": 0, "this year": 0, "去年": -1, "last year": -1, "前年": -2, "明年": 1, "next year": 1}
_ASK = re.compile(r"要学|要参加|要不要|用不用|需要|需不需要|还要|还得|要修|得学|学吗|参加吗|要继续教育|必须|"
                  r"need|must|have to|required")
_NO_QUAL = re.compile(r"没有证|没证|无证|没有资格|没有职称|没考|无资格|no qualification|without (a )?qualification")


@dataclass(frozen=True, slots=True)
class PersonalFacts:
    """What a question says about the asker: the year a qualification was obtained or accounting work began,
    and the year asked about (this year unless "明年"/"2027" says otherwise)."""

    qualification_year: int | None
    work_start_year: int | None
    asked_year: int


def personal_facts(text: str, this_year: int) -> PersonalFacts | None:
    """The facts of "我2019年考过中级，今年还要学吗" / "我去年开始做会计，没有证，今年要参加吗"; ``None`` when the
    question does not give a year for a qualification or for starting accounting work, or does not ask
    whether the person must study."""
    body = clean(text).lower()
    if not _ASK.search(body):
        return None
    mentions: list[tuple[int, int, int]] = []  # (start, end, year)
    for m in _YEAR.finditer(body):
        mentions.append((m.start(), m.end(), int(m.group(1))))
    for word, offset in _REL.items():
        for m in re.finditer(re.escape(word), body):
            mentions.append((m.start(), m.end(), this_year + offset))
    mentions.sort()
    # A year directly followed by the asking words ("今年还要学吗", "明年要学吗") is the year asked about;
    # the first other year is when the qualification was obtained or the work began.
    asked_at = [m for m in mentions if _ASK.match(body, m[1], m[1] + 6)]
    events = [m for m in mentions if m not in asked_at]
    if not events:
        return None
    event_pos, _, event_year = events[0]
    later = [m for m in mentions if m[0] > event_pos]
    asked = asked_at[0][2] if asked_at else (later[0][2] if later else this_year)
    reach = 40 if body.isascii() else 8
    after = body[event_pos:event_pos + 16]
    before = body[max(0, event_pos - reach):event_pos]
    window = before + after
    qual = bool(_QUAL.search(window) and _GOT.search(window)) and not _NO_QUAL.search(body)
    work = bool(_WORK.search(after)) and not qual
    if not (qual or work):
        return None
    return PersonalFacts(event_year if qual else None, event_year if work else None, asked)
