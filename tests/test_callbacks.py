"""Buttons: every shape the bot makes parses; crafted data gets "no longer valid", changes nothing, no traceback."""

from __future__ import annotations

import logging

import pytest

from bot.infra.botapi_double import BotApiDouble
from bot.parsing.callbacks import parse
from tests.auxil.harness import ChatHarness

MADE = ["lang:zh", "menu:credits", "faq:credits-total", "fb:+:deadline", "cr:hist", "cr:how:set", "cr:undo:12",
        "cs:2026:40:30", "cs:2025:-:30.5", "cc:no", "cc:1764300000:2026:40:-", "fg:no", "fg:yes:1764300000",
        "rm:list", "rm:ok:3", "rm:snooze:3:tm", "set:show", "set:time:0900", "set:quiet:2200-0800",
        "set:quiet:off", "set:inst:1", "ua:list", "ua:ok:7", "ua:drop:7:y", "share:y", "um:leave:y",
        "um:rm:9223372036854775807:y", "uh:n:4", "bc:send:5"]

FORGED = ["cs:2026:40", "cs:x:1:1", "cs:2026:123456789:0", "fg:yes:99999999999999",
          "fg:yes:", "rm:ok:", "rm:ok:0", "rm:ok:-1", "rm:snooze:3:1y", "bc:send:" + "9" * 25,
          "bc:send:9223372036854775808", "um:rm:12:yes", "lang:fr", "set:time:9", "xx:1", "", "cr:undo:1:2",
          "faq:../../etc", "menu:credits:extra"]


@pytest.mark.parametrize("data", MADE)
def test_every_shape_the_bot_makes_parses(data: str) -> None:
    assert parse(data) is not None


@pytest.mark.parametrize("data", FORGED)
def test_crafted_data_is_refused(data: str) -> None:
    assert parse(data) is None


async def test_crafted_buttons_are_no_longer_valid_without_a_traceback(
    chat: ChatHarness, double: BotApiDouble, caplog: pytest.LogCaptureFixture
) -> None:
    [menu] = await chat.send(42, "/start")
    with caplog.at_level(logging.WARNING):
        for data in ("cs:2026:1:2:3", "fg:yes:99999999999999", "um:rm:", "bc:send:" + "1" * 25):
            changed = await chat.press(42, data=data, message=menu)
            assert changed == []  # nothing sent, nothing edited
            assert "失效" in str(double.answers[-1].get("text"))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
