"""Fixtures and a small world of roles for the unit and broadcast tests (no tests here).

``unit_chat`` runs the real Application the way ``run_polling`` does — initialize, post_init (opens the
database, starts the broadcast drainer), start … stop, post_stop (drains in-flight sends), shutdown,
post_shutdown — on the in-process Bot API double, with a fast broadcast rate so tests sleep only for pacing.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import stop_application
from bot.bootstrap import build_services
from bot.domain.clock import ManualClock
from bot.infra.botapi_double import BotApiDouble
from bot.infra.config import Settings
from bot.services import Services
from tests.auxil.harness import ADMIN_ID, ChatHarness, running_chat, start_app

__all__ = ["start_app", "stop_app"]  # the broadcast restart tests start and stop the Application themselves

CONTACT, CONTACT2 = 101, 102
MEMBER, MEMBER2 = 201, 202
OUTSIDER = 301
CODE_RE = re.compile(r"/join ([A-Za-z0-9_-]{16})")


@pytest.fixture
def unit_settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_path=tmp_path / "units.sqlite3",
        admin_ids=frozenset({ADMIN_ID}),
        telegram_bot_token=None,
        broadcast_rate=30,
    )


@pytest.fixture
def unit_services(unit_settings: Settings, clock: ManualClock) -> Services:
    return build_services(unit_settings, clock=clock)


stop_app = stop_application


@pytest.fixture
async def unit_chat(unit_services: Services, double: BotApiDouble) -> AsyncIterator[ChatHarness]:
    async with running_chat(unit_services, double) as harness:
        yield harness


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll (pacing needs real time) until ``predicate`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def received(double: BotApiDouble, chat_id: int, text: str) -> int:
    """How many broadcasts of exactly ``text`` the bot sent to ``chat_id`` (below the sender's label line)."""
    return sum(1 for m in double.chat(chat_id) if m.text.startswith("📢") and m.text.split("\n\n", 1)[-1] == text)


@dataclass
class World:
    code: str
    code2: str


async def become_contact(chat: ChatHarness, user: int, unit: str) -> str:
    """``user`` applies, the admin approves; returns the invite code shown to the new contact."""
    await chat.send(ADMIN_ID, "/start")
    await chat.send(user, f"/unit apply {unit}")
    await chat.press(ADMIN_ID, "批准")
    found = CODE_RE.search(chat.texts(user)[-1])
    assert found, chat.texts(user)[-1]
    return found.group(1)


async def build_world(chat: ChatHarness) -> World:
    """Admin, a contact with one member, a second unit with its own contact and member, an outsider."""
    code = await become_contact(chat, CONTACT, "太原某公司")
    code2 = await become_contact(chat, CONTACT2, "大同某公司")
    await chat.send(MEMBER, f"/join {code}")
    await chat.send(MEMBER2, f"/join {code2}")
    await chat.send(OUTSIDER, "/start")
    return World(code, code2)
