"""`accbot kb check`: the shipped knowledge base passes; a tampered copy fails with one line per problem."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.check import check
from knowledge.loader import KNOWLEDGE_DIR
from knowledge.policy import policy_for

ROOT = Path(__file__).resolve().parents[1]


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
