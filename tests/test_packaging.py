"""A plain (non-editable) install ships the knowledge base, the policy, migrations and the catalogs,
and the installed bot answers from them without the checkout around it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_answers_without_the_checkout(tmp_path: Path) -> None:
    # Build from a copy: setuptools leaves build/ behind, and a stale build/ could hide a missing file.
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "data", "*.egg-info", "__pycache__", ".*_cache", "node_modules"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "dist").glob("accbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("knowledge/policies/2026.toml", "knowledge/documents/jc7.toml", "knowledge/dict/userdict.txt",
                     "bot/storage/migrations/001_core.sql", "accbot_locale/zh_CN/LC_MESSAGES/core.po",
                     "accbot_locale/en/LC_MESSAGES/qa.po"):
        assert required in names, required
    shipped = {
        str(path.relative_to(ROOT)).replace("locale/", "accbot_locale/", 1)
        for folder in ("bot", "handlers", "knowledge", "locale")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".toml", ".txt", ".sql", ".po"} and "__pycache__" not in path.parts
    }
    assert shipped - set(names) == set(), "every module and data file of the checkout is in the wheel"

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target), "DATABASE_PATH": str(tmp_path / "x.sqlite3")}
    proc = subprocess.run([sys.executable, "-m", "bot", "ask", "--lang", "en", "每年需要多少学分"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "90" in proc.stdout and "60" in proc.stdout
    assert str(ROOT) not in proc.stderr

    chat = subprocess.run([sys.executable, "-m", "bot", "chat"], input="/credits 专业 40 公需 30\n/quit\n",
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert chat.returncode == 0, chat.stderr
    assert "还需至少20学分" in chat.stdout  # migrations applied from the installed package
