"""The bot's HTTP transport (aiohttp) against the Bot API double over real HTTP on 127.0.0.1: calls arrive with
their parameters, Telegram's errors keep their meaning, and network trouble raises the exceptions PTB's own
transport raises, which delivery and retries are built on."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.engines.delivery import SendFailed
from bot.infra.aiohttp_request import AiohttpRequest
from bot.infra.botapi_double import BotApiDouble
from bot.infra.botapi_http import BotApiHttpServer

TOKEN = "123:TEST"


def _bot(base_url: str, **timeouts: Any) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=AiohttpRequest(**timeouts), get_updates_request=AiohttpRequest())


async def test_a_message_arrives_with_its_text_and_buttons_untouched() -> None:
    double = BotApiDouble()
    async with BotApiHttpServer(double) as server, _bot(server.base_url) as bot:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup

        text = "每年不少于90学分 <b>not markup</b> & 100% — ok?"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="fb:+:credits-total")]])
        sent = await bot.send_message(42, text, reply_markup=markup)
    assert sent.text == text
    [shown] = double.chat(42)
    assert shown.text == text
    assert shown.buttons == [("👍", "fb:+:credits-total")]


async def test_telegrams_refusal_is_the_same_error_as_before() -> None:
    double = BotApiDouble()
    async with BotApiHttpServer(double) as server, _bot(server.base_url) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(42, "")  # Telegram (and the double) refuse an empty text


async def test_an_answer_that_never_comes_is_a_time_out() -> None:
    double = BotApiDouble()
    double.fault, double.lost_delay = (lambda method, params: "lost" if method == "sendMessage" else None), 1.0
    async with BotApiHttpServer(double) as server, _bot(server.base_url, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(42, "hello")
    assert [m.text for m in double.chat(42)] == ["hello"], "Telegram did deliver it: the outcome was unknown"


async def test_a_hundred_calls_at_once_all_arrive() -> None:
    double = BotApiDouble()
    async with BotApiHttpServer(double) as server, _bot(server.base_url) as bot:
        await asyncio.gather(*(bot.send_message(1000 + i, f"n{i}") for i in range(100)))
    assert all([m.text for m in double.chat(1000 + i)] == [f"n{i}"] for i in range(100))


async def test_shutdown_is_final_until_initialized_again() -> None:
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless, as PTB may call it from both the bot and the application
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:9/x", "POST")


# What delivery makes of each failure (handlers/sending.py): a call that never left may be sent again freely;
# one that may have reached Telegram is "unknown", retried at most once and counted as a possible double.

async def _failure(bot: Bot, chat_id: int = 42) -> Exception:
    from handlers.sending import outcome_of

    try:
        await bot.send_message(chat_id, "hello")
    except TelegramError as exc:
        return outcome_of(exc)
    raise AssertionError("the call succeeded")


async def test_no_connection_means_not_sent_so_a_retry_cannot_double() -> None:
    from handlers.sending import outcome_of

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/sendMessage")
    finally:
        await request.shutdown()
    outcome = outcome_of(caught.value)
    assert isinstance(outcome, SendFailed) and outcome.transient and not outcome.unknown


async def test_waiting_too_long_for_a_free_connection_means_not_sent() -> None:
    double = BotApiDouble()
    double.fault, double.lost_delay = (lambda method, params: "lost" if params.get("chat_id") == 1 else None), 2.0
    async with BotApiHttpServer(double) as server, \
            _bot(server.base_url, connection_pool_size=1, connect_timeout=0.1, pool_timeout=0.1,
                 read_timeout=5.0) as bot:
        hold = asyncio.ensure_future(bot.send_message(1, "holds the only connection"))
        await asyncio.sleep(0.2)
        outcome = await _failure(bot, 2)
        await hold
    assert isinstance(outcome, SendFailed) and outcome.transient and not outcome.unknown
    assert double.chat(2) == [], "nothing reached Telegram"


async def test_a_lost_answer_is_unknown_and_a_5xx_is_not() -> None:
    double = BotApiDouble()
    double.fault, double.lost_delay = (lambda method, params: "lost" if params.get("chat_id") == 1 else
                                       "5xx" if params.get("chat_id") == 2 else None), 1.0
    async with BotApiHttpServer(double) as server, _bot(server.base_url, read_timeout=0.2) as bot:
        lost, refused = await _failure(bot, 1), await _failure(bot, 2)
    assert isinstance(lost, SendFailed) and lost.unknown, "Telegram may have delivered it"
    assert isinstance(refused, SendFailed) and refused.transient and not refused.unknown
