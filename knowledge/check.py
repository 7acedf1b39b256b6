"""``accbot kb check``: the knowledge base checked against the year's policy, one line per problem.

The loader refuses a broken file at start-up; this goes further and reports every problem at once:

* every policy number or date an answer states (through a placeholder) appears in the text of a section the
  entry cites from a document of the policy's year — so a notice quoted as "80学分" while the policy says 90
  is caught, even though the national rule cited beside it says 90;
* every quote is verbatim in its first source, and that source is a document of the policy's year or a
  reference collection (never last year's notice);
* every source exists; every placeholder resolves in both languages;
* no phrasing belongs to two entries; every entry has an English answer and an English phrasing;
* a phrasing that carries a verdict (``questions_yes``/``questions_no``) is a plain yes/no question, and an entry
  with such phrasings has an English one;
* an id an entry ``replaces`` (merged into it) is no live entry's id and is replaced by one entry only.
"""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date
from pathlib import Path

from knowledge.loader import KNOWLEDGE_DIR, alias_problems, format_args
from knowledge.models import DocumentFile, FaqEntry, FaqFile, Section
from knowledge.policy import Policy
from knowledge.text import clean, is_yes_no


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _evidence(policy: Policy) -> dict[str, list[str]]:
    """Placeholder → the strings that must appear in a cited section of the policy's year (any one of them)."""
    p = policy
    return {
        "min_total": [f"{p.credits.min_total}学分"],
        "min_professional": [f"{p.credits.min_professional}学分"],
        "deadline": [_cn_date(p.deadline)],
        "study_start": [_cn_date(p.study_period.start)],
        "online_start": [_cn_date(p.online_study.start)],
        "online_end": [_cn_date(p.online_study.end)],
        "makeup_start": [_cn_date(p.makeup.start)],
        "makeup_end": [_cn_date(p.makeup.end)],
        "makeup_years": [f"{y}年度" for y in p.makeup.years],
        "report_days": [f"{p.face_to_face.report_within_working_days}个工作日"],
        "plan_due": [f"{p.institutions.plan_due_month}月{p.institutions.plan_due_day}日"],
        "national_url": [p.platforms.national.url],
        "kjzx_url": [p.platforms.kjzx.url],
    }


_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\W_]+")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _verdict_problems(entry: FaqEntry, where: str) -> list[str]:
    """A verdict-bearing phrasing must be a plain yes/no question, and an entry that has them must be asked both
    ways in Chinese or English: a phrasing that asks "how many" or "when" has no 是/否 to give."""
    problems = [f"{where}: verdict phrasing {q!r} is not a yes/no question" for q, _ in entry.verdict_phrasings
                if not is_yes_no(q)]
    if entry.verdict_phrasings and not any(q.isascii() for q, _ in entry.verdict_phrasings):
        problems.append(f"{where}: verdict phrasings but no English one")
    return problems


def check(policy: Policy, root: Path = KNOWLEDGE_DIR) -> list[str]:
    """Every problem found, one line each (empty when the knowledge base is sound)."""
    problems: list[str] = []
    sections: dict[str, Section] = {}
    year_of: dict[str, int | None] = {}
    for path in sorted((root / "documents").glob("*.toml")):
        with path.open("rb") as fh:
            doc = DocumentFile.model_validate(tomllib.load(fh))
        for section in doc.section:
            sections[section.id] = section
            year_of[section.id] = doc.issued.year if doc.issued else None

    args = format_args(policy)
    evidence = _evidence(policy)
    owner: dict[str, str] = {}
    by_id: dict[str, FaqEntry] = {}
    for path in sorted((root / "faq").glob("*.toml")):
        with path.open("rb") as fh:
            entries = FaqFile.model_validate(tomllib.load(fh)).entry
        for entry in entries:
            by_id[entry.id] = entry
            where = f"{path.name}:{entry.id}"
            missing = [s for s in entry.sources if s not in sections]
            problems += [f"{where}: source {s!r} does not exist" for s in missing]
            if not entry.sources or entry.sources[0] in missing:
                continue
            first = entry.sources[0]
            if entry.quote not in sections[first].text:
                problems.append(f"{where}: quote is not verbatim in {first}")
            if year_of[first] not in (None, policy.year):
                problems.append(f"{where}: quote comes from {first}, a {year_of[first]} document, not {policy.year}")
            for field in ("answer_zh", "answer_en"):
                try:
                    getattr(entry, field).format(**args)
                except (KeyError, IndexError, ValueError) as exc:
                    problems.append(f"{where}: {field} placeholder does not resolve: {exc}")
            this_year = [sections[s].text for s in entry.sources if s in sections and year_of[s] == policy.year]
            for name in sorted(_placeholders(entry.answer_zh) & set(evidence)):
                if not any(form in text for form in evidence[name] for text in this_year):
                    problems.append(f"{where}: {{{name}}} = {'/'.join(evidence[name])} is in no cited "
                                    f"{policy.year} section ({', '.join(entry.sources)})")
            if not entry.answer_en.strip() or not any(q.isascii() for q in entry.phrasings):
                problems.append(f"{where}: no English answer or English phrasing")
            elif len(_CJK.findall(entry.answer_en)) > 0.3 * sum(c.isascii() and c.isalpha() for c in entry.answer_en):
                problems.append(f"{where}: answer_en is not English")  # names like 会计之星 may stay Chinese
            problems += _verdict_problems(entry, where)
            for question in entry.phrasings:
                key = _PUNCT.sub("", clean(question).lower())
                if key in owner and owner[key] != entry.id:
                    problems.append(f"{where}: phrasing {question!r} also belongs to {owner[key]}")
                owner.setdefault(key, entry.id)
    return problems + alias_problems(by_id.values())[1]
