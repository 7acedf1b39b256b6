"""The question-answering evaluation: real-sounding questions through ``bot.answers.qa.answer``.

``qa_eval.toml`` is the tuning set (floor 95%); ``qa_holdout.toml`` was written before the engine and is
never tuned against (floor 90%). Failures are printed so a regression shows *which* questions broke.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.answers.i18n import Translator
from bot.answers.qa import answer
from knowledge import KnowledgeBase
from knowledge.policy import policy_for

EVAL_DIR = Path(__file__).resolve().parent / "eval"


@dataclass(frozen=True)
class Case:
    q: str
    lang: str
    must_contain: tuple[str, ...]
    expect: str


def load_cases(path: Path) -> list[Case]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)["case"]
    return [
        Case(c["q"], c.get("lang", "zh"), tuple(c.get("must_contain", ())), c.get("expect", "answer"))
        for c in raw
    ]


def grade(kb: KnowledgeBase, t: Translator, case: Case) -> str | None:
    """None when the reply is right, else a one-line reason."""
    reply = answer(kb, case.q, case.lang, t)
    if case.expect == "not_found":
        if reply.kind != "not_found":
            return f"expected not_found, got {reply.kind} ({reply.extra.get('topic')}, {reply.score})"
        return None
    if reply.kind != "answer":
        return f"expected an answer, got {reply.kind} (score {reply.score}, {reply.extra})"
    missing = [m for m in case.must_contain if m not in reply.text]
    if missing:
        return f"answered {reply.extra.get('topic')} without {missing}"
    return None


def run(kb: KnowledgeBase, t: Translator, name: str) -> tuple[float, list[str]]:
    cases = load_cases(EVAL_DIR / name)
    failures = [f"{c.q!r}: {why}" for c in cases if (why := grade(kb, t, c)) is not None]
    return 1 - len(failures) / len(cases), failures


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(policy_for(2026))


@pytest.fixture(scope="module")
def t() -> Translator:
    return Translator()


def test_eval_set_is_large_enough() -> None:
    cases = load_cases(EVAL_DIR / "qa_eval.toml")
    assert len(cases) >= 100
    assert sum(c.expect == "not_found" for c in cases) >= 10


@pytest.mark.parametrize(("name", "floor"), [("qa_eval.toml", 0.95), ("qa_holdout.toml", 0.90)])
def test_accuracy_floor(kb: KnowledgeBase, t: Translator, name: str, floor: float) -> None:
    score, failures = run(kb, t, name)
    print(f"\n{name}: {score:.1%} correct")
    for line in failures:
        print("  FAIL", line)
    assert score >= floor, f"{name}: {score:.1%} < {floor:.0%}\n" + "\n".join(failures)


def test_eval_questions_are_not_faq_copies(kb: KnowledgeBase) -> None:
    """The eval measures generalisation only if its questions are not the curated phrasings."""
    phrasings = {q.strip() for tp in kb.topics for q in tp.entry.questions}
    for name in ("qa_eval.toml", "qa_holdout.toml"):
        copies = [c.q for c in load_cases(EVAL_DIR / name) if c.q.strip() in phrasings]
        assert not copies, f"{name} copies FAQ phrasings: {copies}"
