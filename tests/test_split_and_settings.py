"""Pieces a user notices indirectly: long answers split cleanly, bad settings explained, tokens hidden."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from bot.infra.config import SettingsError, load_settings
from bot.infra.logsetup import configure_logging
from handlers.common import split_text


def test_long_text_splits_at_line_ends_within_the_limit() -> None:
    paragraph = "第一条规定很长。" * 40
    text = "\n\n".join([paragraph] * 30)
    pieces = split_text(text, 4096)
    assert len(pieces) > 1
    assert all(0 < len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert all(p.endswith("。") for p in pieces)


def test_text_without_breaks_is_cut_hard_but_nothing_is_lost() -> None:
    text = "x" * 10000
    pieces = split_text(text, 4096)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


@pytest.mark.parametrize(
    ("name", "value"),
    [("ADMIN_IDS", "alice"), ("TIMEZONE", "Mars/Base"), ("DEFAULT_LANGUAGE", "fr"),
     ("TELEGRAM_BASE_URL", "127.0.0.1:8081"), ("LOG_LEVEL", "LOUD"), ("BROADCAST_RATE", "500")],
)
def test_invalid_setting_is_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(_env_file=None)


def test_invalid_setting_exits_2_with_one_line(tmp_path) -> None:
    env = {**os.environ, "ADMIN_IDS": "not-a-number", "DATABASE_PATH": str(tmp_path / "x.db")}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "ADMIN_IDS" in proc.stderr and "Traceback" not in proc.stderr


def test_token_never_reaches_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    token = "123456:SECRET-TOKEN-abc"
    configure_logging("INFO", token)
    logging.getLogger("httpx").warning("POST https://api.telegram.org/bot%s/getMe failed", token)
    logging.getLogger("accbot").info("token is %s", token)
    err = capsys.readouterr().err
    assert token not in err and "<token>" in err


def test_every_menu_command_has_a_description_in_both_languages() -> None:
    from bot.answers.i18n import translator
    from bot.app import COMMANDS

    t = translator()
    for command in COMMANDS:
        for lang in ("zh", "en"):
            assert t.has(f"command.{command}", lang), (command, lang)
            assert 3 <= len(t(lang, f"command.{command}")) <= 256


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    """A message may pick different policy names per language (a Chinese or an ISO date), nothing else;
    ``time.format`` gets both a month number and a month name and each language takes one; ``qa.yes_as`` /
    ``qa.no_as`` get the verb a yes/no question was asked with, which Chinese repeats ("不能。") and English does
    not ("No.")."""
    import string

    from bot.answers.i18n import translator
    from knowledge.policy import policy_for

    t = translator()
    assert set(t.keys("zh")) == set(t.keys("en"))
    policy_names = set(policy_for().as_format_args())
    fields = string.Formatter()
    for key in set(t.keys("zh")) - {"time.format", "qa.yes_as", "qa.no_as"}:
        zh = {f for _, f, _, _ in fields.parse(t("zh", key)) if f}
        en = {f for _, f, _, _ in fields.parse(t("en", key)) if f}
        assert zh - policy_names == en - policy_names, key
