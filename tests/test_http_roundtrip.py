"""The bot over real HTTP: its aiohttp transport and PTB's Updater against the Bot API double on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic import SecretStr

from bot.app import build_application, start_application, stop_application
from bot.infra.botapi_double import BotApiDouble
from bot.infra.botapi_http import BotApiHttpServer
from bot.infra.config import Settings
from bot.services import Services

USER = 5151


async def _wait_for(double: BotApiDouble, chat_id: int, count: int, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while len(double.chat(chat_id)) < count:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected {count} messages, got {[m.text for m in double.chat(chat_id)]}")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def _polling_over_http(services: Services, settings: Settings,
                             double: BotApiDouble) -> AsyncIterator[BotApiHttpServer]:
    """The real Application polling ``double`` through a Bot API server on 127.0.0.1, stopped on exit."""
    async with BotApiHttpServer(double) as server:
        services.settings = settings.model_copy(update={"telegram_base_url": server.base_url,
                                                        "telegram_bot_token": SecretStr("123:TEST")})
        app = build_application(services)
        await start_application(app, poll=True)
        try:
            yield server
        finally:
            await stop_application(app)


def _menus(double: BotApiDouble) -> int:
    return sum(method == "setMyCommands" for method, _ in double.calls)


async def test_start_and_a_question_round_trip_over_http(services: Services, settings: Settings) -> None:
    double = BotApiDouble()
    async with _polling_over_http(services, settings, double) as server:
        await double.updates.put(double.message_update(USER, "/start"))
        await _wait_for(double, USER, 1)
        await double.updates.put(double.message_update(USER, "一年要修满多少学分？"))
        await _wait_for(double, USER, 2)
        assert server.requests > 2
    welcome, answer = double.chat(USER)
    assert welcome.buttons, "the welcome carries the main menu"
    assert "90" in answer.text and "60" in answer.text
    assert _menus(double) > 0


async def test_the_first_poll_does_not_wait_for_the_command_menu(services: Services, settings: Settings) -> None:
    """At Telegram's round trip the three setMyCommands calls took ~0.5 s before the bot listened; the menu is
    cosmetic, so it is published beside the first poll and still arrives in full."""
    double = BotApiDouble(latency=0.2)
    menus_before_first_poll: list[int] = []
    serve = double.call

    async def call(method: str, params: dict[str, object]) -> tuple[int, dict[str, object]]:
        if method == "getUpdates" and not menus_before_first_poll:
            menus_before_first_poll.append(_menus(double))
        return await serve(method, params)

    double.call = call  # type: ignore[method-assign]
    async with _polling_over_http(services, settings, double):
        await double.updates.put(double.message_update(USER, "/start"))
        await _wait_for(double, USER, 1)
        deadline = asyncio.get_running_loop().time() + 5.0
        while _menus(double) < 3 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
    assert menus_before_first_poll and menus_before_first_poll[0] < 3
    assert _menus(double) == 3
