"""Reading and cross-checking the knowledge files.

Everything a user could be shown is validated here, once, at start-up: every source id exists, every
quote is verbatim in its source, every answer template formats with the policy in both languages.
A broken data file therefore stops the bot from starting instead of producing a wrong answer later.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
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
    aliases: dict[str, str] = dataclass_field(default_factory=dict)  # merged-away id → the entry that replaced it


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


def alias_problems(entries: Iterable[FaqEntry]) -> tuple[dict[str, str], list[str]]:
    """Old id → the id of the entry that ``replaces`` it, and one line per alias that cannot work: one that is
    still a live entry's id (a lookup would be ambiguous) or that two entries claim."""
    entries = list(entries)
    live = {e.id for e in entries}
    aliases: dict[str, str] = {}
    problems: list[str] = []
    for entry in entries:
        for old in entry.replaces:
            if old in live:
                problems.append(f"{entry.id}: replaces {old!r}, which is still an entry's id")
            elif aliases.get(old, entry.id) != entry.id:
                problems.append(f"{entry.id}: replaces {old!r}, which {aliases[old]} already replaces")
            else:
                aliases[old] = entry.id
    return aliases, problems


def shipped_aliases(root: Path = KNOWLEDGE_DIR) -> dict[str, str]:
    """The aliases of every FAQ file under ``root``, whatever its year (the eval grader reads expected ids
    through them without loading a policy)."""
    entries: dict[str, FaqEntry] = {}
    for path in sorted((root / "faq").glob("*.toml")):
        for entry in FaqFile.model_validate(_toml(path)).entry:
            entries[entry.id] = entry
    return alias_problems(entries.values())[0]


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
    aliases, problems = alias_problems(entries)
    if problems:
        raise ValueError(problems[0])

    root = roots[0]
    raw = SynonymFile.model_validate(_toml(root / "dict" / "synonyms.toml"))
    synonyms = {k: list(v) for k, v in raw.terms.items()}
    for offset, forms in raw.relative_years.items():
        synonyms.setdefault(str(policy.year + int(offset)), []).extend(forms)

    stopwords = _word_list(root / "dict" / "stopwords.txt")
    return KnowledgeFiles(sections, tuple(entries), synonyms, stopwords, root / "dict" / "userdict.txt",
                          _word_list(root / "dict" / "out_of_scope.txt"), _word_list(root / "dict" / "fillers.txt"),
                          tuple(omitted), aliases)
