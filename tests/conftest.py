"""Fixtures: a fixed clock in Asia/Shanghai, a temporary SQLite file, the real Application on a Bot API double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.answers.i18n import translator
from bot.app import build_application, start_application, stop_application
from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.botapi_double import BotApiDouble, DoubleRequest
from bot.infra.config import Settings
from bot.services import Services
from knowledge.policy import Policy, policy_for
from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.auxil.units import unit_chat, unit_services, unit_settings  # noqa: F401  (fixtures)


@pytest.fixture
def policy() -> Policy:
    return policy_for(2026)


@pytest.fixture
def t():
    return translator()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, database_path=tmp_path / "accbot.sqlite3",  # type: ignore[call-arg]
                    admin_ids=frozenset({ADMIN_ID}), telegram_bot_token=None)


@pytest.fixture
def services(settings: Settings, clock: ManualClock) -> Services:
    return build_services(settings, clock=clock)


@pytest.fixture
def double() -> BotApiDouble:
    return BotApiDouble()


@pytest.fixture
async def chat(services: Services, double: BotApiDouble) -> AsyncIterator[ChatHarness]:
    """The real Application, initialized and started (job queue running), answering through the double."""
    app = build_application(services, request=DoubleRequest(double))
    await start_application(app)
    try:
        yield ChatHarness(app, double)
    finally:
        await stop_application(app)
