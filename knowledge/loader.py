"""Reading and cross-checking the knowledge files.

Everything a user could be shown is validated here, once, at start-up: every source id exists, every
quote is verbatim in its source, every answer template formats with the policy in both languages.
A broken data file therefore stops the bot from starting instead of producing a wrong answer later.
"""

from __future__ import annotations

import tomllib
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


def load_files(policy: Policy, root: Path = KNOWLEDGE_DIR) -> KnowledgeFiles:
    """Load and validate documents, FAQ, synonyms and stop-words under ``root``."""
    sections: dict[str, Section] = {}
    for path in sorted((root / "documents").glob("*.toml")):
        doc = DocumentFile.model_validate(_toml(path))
        for section in doc.section:
            if section.id in sections:
                raise ValueError(f"{path.name}: section id {section.id!r} defined twice")
            sections[section.id] = section

    entries: list[FaqEntry] = []
    seen: set[str] = set()
    args = format_args(policy)
    for path in sorted((root / "faq").glob("*.toml")):
        for entry in FaqFile.model_validate(_toml(path)).entry:
            where = f"{path.name}:{entry.id}"
            if entry.id in seen:
                raise ValueError(f"{where}: entry id defined twice")
            seen.add(entry.id)
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
            entries.append(entry)

    raw = SynonymFile.model_validate(_toml(root / "dict" / "synonyms.toml"))
    synonyms = {k: list(v) for k, v in raw.terms.items()}
    for offset, forms in raw.relative_years.items():
        synonyms.setdefault(str(policy.year + int(offset)), []).extend(forms)

    stopwords = _word_list(root / "dict" / "stopwords.txt")
    return KnowledgeFiles(sections, tuple(entries), synonyms, stopwords, root / "dict" / "userdict.txt",
                          _word_list(root / "dict" / "out_of_scope.txt"), _word_list(root / "dict" / "fillers.txt"))
