"""`accbot kb check`: the shipped knowledge base passes; a tampered copy fails with one line per problem."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.parsing.questions import is_yes_no
from knowledge import KnowledgeBase
from knowledge.check import check
from knowledge.loader import KNOWLEDGE_DIR
from knowledge.models import FaqEntry
from knowledge.policy import policy_for

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "eval"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_knowledge_base_passes() -> None:
    assert check(policy_for(2026)) == []


def test_the_command_exits_0_on_main() -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "kb", "check"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok" in proc.stdout


def test_a_notice_quoted_as_80_where_the_policy_says_90_fails(copy: Path) -> None:
    # The notice text and every quote of it say 80; the policy still says 90. The national rule cited beside
    # it still says 90, which must not excuse the notice.
    for name in ("documents/jc7.toml", "faq/credits.toml"):
        path = copy / name
        path.write_text(path.read_text(encoding="utf-8").replace("不少于90学分", "不少于80学分"), encoding="utf-8")
    problems = check(policy_for(2026), copy)
    assert any("credits-total" in p and "90学分" in p for p in problems), problems


def test_each_kind_of_problem_is_one_line(copy: Path) -> None:
    _edit(copy / "faq/time.toml", 'sources = ["jc7-3-1", "jc7-3-2", "cz5-2"]', 'sources = ["jc7-3-1", "nowhere"]')
    _edit(copy / "faq/credits.toml", '"专业科目最低多少分",', '"专业科目最低多少分",\n  "每年需要多少学分",')
    _edit(copy / "faq/register.toml", "answer_en = \"Two websites: 会计之星 (Accounting Star) at {kjzx_url}",
          "answer_en = \"{kjzx_link}")
    problems = check(policy_for(2026), copy)
    assert any("deadline" in p and "'nowhere' does not exist" in p for p in problems), problems
    assert any("professional-min" in p and "also belongs to credits-total" in p for p in problems), problems
    assert any("kjzx-url" in p and "does not resolve" in p for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_the_command_exits_1_with_a_line_per_problem(copy: Path, tmp_path: Path) -> None:
    _edit(copy / "faq/time.toml", 'sources = ["jc7-3-1", "jc7-3-2", "cz5-2"]', 'sources = ["jc7-3-1", "nowhere"]')
    proc = subprocess.run([sys.executable, "-m", "bot", "kb", "check", "--root", str(copy)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == ["time.toml:deadline: source 'nowhere' does not exist"]


def test_an_alias_that_is_a_live_id_or_claimed_twice_fails(copy: Path) -> None:
    """An id merged into another entry (``replaces``) must name nothing else: not a live entry, not a second
    merged entry. The loader refuses such a file too."""
    from knowledge.loader import load_files

    _edit(copy / "faq/who.toml", 'replaces = ["new-holder"]', 'replaces = ["new-holder", "cashier"]')
    _edit(copy / "faq/credits.toml", 'replaces = ["public-credits", "public-not-professional"]',
          'replaces = ["public-credits", "public-not-professional", "new-holder"]')
    problems = check(policy_for(2026), copy)
    assert any("start-year" in p and "'cashier', which is still an entry's id" in p for p in problems), problems
    twice = [p for p in problems if "'new-holder', which" in p and "already replaces" in p]
    assert len(twice) == 1 and "professional-min" in twice[0] and "start-year" in twice[0], problems
    with pytest.raises(ValueError, match="replaces"):
        load_files(policy_for(2026), copy)


def test_a_verdict_is_given_only_where_the_nearest_phrasings_agree() -> None:
    """"专业学分不够60可以吗" (no), "专业课必须满60分吗" (yes) and the unsettled "60学分是专业课吗" share nearly every
    word: a question between them gets no verdict rather than a guess; one nearer to a side gets that side's."""
    kb = KnowledgeBase.load(policy_for(2026))
    topic = kb.topic("professional-min")
    assert topic is not None and topic.entry.yes_no is None
    assert topic.verdict("专业课60分够吗") is None  # enough for what: the professional part, or the year?
    assert topic.verdict("专业学分60以下行吗") is None
    start = kb.topic("start-year")
    assert start is not None and start.verdict("今年刚开始做会计，今年用不用修学分") == "no"
    assert start.verdict("去年开始做会计的，今年用不用修学分") is None  # a year of their own: not the phrasing's
    assert topic.verdict("公需课学多了能顶专业课吗") == "no"
    assert topic.verdict("全部选专业课可以吗") == "yes"


def test_every_verdict_phrasing_is_a_yes_no_question_to_the_answering_code() -> None:
    """kb check reads yes/no with the knowledge layer's intent cues; the answer path with bot.parsing's is_yes_no.
    A phrasing only one of them accepts would never put its verdict first."""
    kb = KnowledgeBase.load(policy_for(2026))
    phrasings = [q for t in kb.topics for q, _ in t.entry.verdict_phrasings]
    assert len(phrasings) > 200
    assert [q for q in phrasings if not is_yes_no(q)] == []


def test_the_yes_no_probe_sets_are_not_phrasings() -> None:
    kb = KnowledgeBase.load(policy_for(2026))
    phrasings = {q.strip() for t in kb.topics for q in t.entry.phrasings}
    for name in ("yesno_dev.toml", "yesno_holdout.toml"):
        with (EVAL_DIR / name).open("rb") as fh:
            cases = tomllib.load(fh)["case"]
        assert not [c["q"] for c in cases if c["q"].strip() in phrasings], name


def test_kb_check_reports_a_verdict_phrasing_that_is_no_yes_no_question(copy: Path) -> None:
    _edit(copy / "faq/credits.toml", 'questions_yes = [\n', 'questions_yes = [\n  "专业课最少要学多少分",\n')
    problems = check(policy_for(2026), copy)
    assert any("professional-min" in p and "'专业课最少要学多少分' is not a yes/no question" in p
               for p in problems), problems


def test_kb_check_reports_a_verdict_phrasing_that_belongs_to_two_entries(copy: Path) -> None:
    _edit(copy / "faq/credits.toml", 'questions_no = [\n', 'questions_no = [\n  "学分能跨年用吗",\n')
    problems = check(policy_for(2026), copy)
    assert any("学分能跨年用吗" in p and "also belongs to" in p for p in problems), problems


def test_kb_check_reports_an_entry_whose_settled_phrasings_have_no_english(copy: Path) -> None:
    path = copy / "faq/who.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "senior"')
    block = text[start:text.index("[[entry]]", start)]
    english = [line for line in block.splitlines() if line.startswith('  "') and line.strip('", ').isascii()]
    for line in english:
        block = block.replace(line + "\n", "", 1)
    path.write_text(text[:start] + block + text[text.index("[[entry]]", start):], encoding="utf-8")
    problems = check(policy_for(2026), copy)
    assert any("senior" in p and "English" in p for p in problems), problems


def test_an_entry_cannot_have_a_fixed_verdict_and_verdict_phrasings() -> None:
    """A fixed yes/no would answer every question, so the phrasings' verdicts would never be read."""
    fields = {"id": "x", "title_zh": "标题", "title_en": "Title", "answer_zh": "答", "answer_en": "A",
              "sources": ["jc7-4"], "quote": "不少于90学分", "questions": ["一", "二", "三", "四"]}
    FaqEntry.model_validate({**fields, "questions_no": ["能结转吗"]})
    with pytest.raises(ValidationError, match="fixed yes_no"):
        FaqEntry.model_validate({**fields, "yes_no": "no", "questions_no": ["能结转吗"]})
    with pytest.raises(ValidationError, match="turn over"):  # reversing words need a fixed verdict to reverse
        FaqEntry.model_validate({**fields, "yes_no_reversed_by": ["清零"], "questions_no": ["能结转吗"]})
    with pytest.raises(ValidationError, match="duplicate phrasing"):
        FaqEntry.model_validate({**fields, "questions_yes": ["一"]})
