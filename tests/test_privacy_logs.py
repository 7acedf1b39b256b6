"""What users write never reaches the log, even at DEBUG where PTB logs whole updates and Bot API calls."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update

from bot.infra.botapi_double import BotApiDouble
from bot.infra.logsetup import configure_logging
from tests.auxil.harness import ChatHarness


@pytest.fixture
def debug_log(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("DEBUG", "123:SECRET")
    yield capsys
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


async def test_debug_log_has_no_user_text(debug_log, chat: ChatHarness, double: BotApiDouble) -> None:  # type: ignore[no-untyped-def]
    secret = "我的身份证号是一二三四五六 Zhang Wei owes 4500"
    await chat.feed(double.message_update(4242, secret))
    await chat.app.update_queue.put(Update.de_json(double.message_update(4242, secret), chat.app.bot))
    for _ in range(200):
        if len(double.chat(4242)) >= 2:
            break
        await asyncio.sleep(0.01)
    logged = debug_log.readouterr().err
    assert "Processing update" in logged and "sendMessage" in logged  # the lines are there ...
    for fragment in ("身份证", "Zhang Wei", "4500"):
        assert fragment not in logged  # ... without what the user wrote
