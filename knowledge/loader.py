"""Reading and cross-checking the knowledge files.

Everything a user could be shown is validated here, once, at start-up: every source id exists, every
quote is verbatim in its source, every answer template formats with the policy in both languages.
A broken data file therefore stops the bot from starting instead of producing a wrong answer later.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.models import DocumentFile, FaqEntry, FaqFile, Section, SynonymFile
from knowledge.policy import Policy

KNOWLEDGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class KnowledgeFiles:
    sections: dict[str, Section]
    entries: tuple[FaqEntry, ...]
    synonyms: dict[str, list[str]]
    stopwords: tuple[str, ...]
    userdict: Path
    out_of_scope: tuple[str, ...]
    fillers: tuple[str, ...] = ()
    omitted: tuple[str, ...] = ()  # shared entries left out of this year: they quote another year's notice


def _toml(path: Path) -> dict[str, object]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def format_args(policy: Policy) -> dict[str, object]:
    """The policy's template names plus English long dates (``deadline_en`` = "31 December 2026").

    ``Policy.as_format_args`` gives Chinese dates and ISO dates; English answers read better with
    spelled-out dates, derived here from the ISO forms so they can never disagree with the policy.
    """
    args = dict(policy.as_format_args())
    for key, value in list(args.items()):
        if key.endswith("_iso") and isinstance(value, str):
            day = date.fromisoformat(value)
            args[key[: -len("_iso")] + "_en"] = f"{day.day} {day.strftime('%B')} {day.year}"
    return args


def _word_list(path: Path) -> tuple[str, ...]:
    """One word a line; blank lines and ``#`` comments ignored."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _roots(roots: Path | Sequence[Path]) -> tuple[Path, ...]:
    return (roots,) if isinstance(roots, Path) else tuple(roots)


def _documents(roots: tuple[Path, ...], year: int) -> tuple[dict[str, Section], dict[str, int | None]]:
    """Sections of the documents that hold in ``year`` (its own notices and year-less references)."""
    sections: dict[str, Section] = {}
    years: dict[str, int | None] = {}
    for root in roots:
        for path in sorted((root / "documents").glob("*.toml")):
            doc = DocumentFile.model_validate(_toml(path))
            for section in doc.section:
                if section.id in years:
                    raise ValueError(f"{path.name}: section id {section.id!r} defined twice")
                years[section.id] = doc.year
                if doc.year in (None, year):
                    sections[section.id] = section
    return sections, years


def _check_entry(entry: FaqEntry, where: str, sections: dict[str, Section], args: dict[str, object]) -> None:
    for source in entry.sources:
        if source not in sections:
            raise ValueError(f"{where}: unknown source {source!r}")
    if entry.quote not in sections[entry.sources[0]].text:
        raise ValueError(f"{where}: quote is not verbatim in {entry.sources[0]}")
    for field in ("answer_zh", "answer_en"):
        try:
            getattr(entry, field).format(**args)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"{where}: {field} does not format with the policy: {exc}") from exc


def load_files(policy: Policy, roots: Path | Sequence[Path] = KNOWLEDGE_DIR) -> KnowledgeFiles:
    """Load and validate documents, FAQ, synonyms and stop-words for ``policy``'s year.

    ``roots`` are knowledge folders (the shipped one first, then any an admin adds); dictionaries come from
    the first. A year's own FAQ file that quotes another year's document is refused (an error, the bot does
    not start); a shared entry whose quote comes from another year's notice is left out of this year until
    the year's own file words it (``omitted``, listed by ``accbot kb check``).
    """
    roots = _roots(roots)
    year = policy.year
    sections, doc_years = _documents(roots, year)
    args = format_args(policy)
    shared: dict[str, FaqEntry] = {}
    own: dict[str, FaqEntry] = {}
    omitted: list[str] = []
    for root in roots:
        for path in sorted((root / "faq").glob("*.toml")):
            faq = FaqFile.model_validate(_toml(path))
            if faq.year is not None and faq.year != year:
                continue
            target = shared if faq.year is None else own
            for entry in faq.entry:
                where = f"{path.name}:{entry.id}"
                if entry.id in target:
                    raise ValueError(f"{where}: entry id defined twice")
                foreign = [s for s in entry.sources if doc_years.get(s) not in (None, year)]
                if faq.year is not None and foreign:
                    raise ValueError(f"{where}: a {year} entry quotes {foreign[0]!r}, a document of "
                                     f"{doc_years[foreign[0]]}")
                if foreign:
                    if entry.sources[0] in foreign:
                        omitted.append(entry.id)
                        continue
                    entry = entry.model_copy(update={"sources": [s for s in entry.sources if s not in foreign]})
                _check_entry(entry, where, sections, args)
                target[entry.id] = entry
    merged = {**shared, **own}
    entries = list(merged.values())
    omitted = [e for e in omitted if e not in merged]

    root = roots[0]
    raw = SynonymFile.model_validate(_toml(root / "dict" / "synonyms.toml"))
    synonyms = {k: list(v) for k, v in raw.terms.items()}
    for offset, forms in raw.relative_years.items():
        synonyms.setdefault(str(policy.year + int(offset)), []).extend(forms)

    stopwords = _word_list(root / "dict" / "stopwords.txt")
    return KnowledgeFiles(sections, tuple(entries), synonyms, stopwords, root / "dict" / "userdict.txt",
                          _word_list(root / "dict" / "out_of_scope.txt"), _word_list(root / "dict" / "fillers.txt"),
                          tuple(omitted))
