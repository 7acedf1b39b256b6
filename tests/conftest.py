"""Fixtures: a fixed clock in Asia/Shanghai, a temporary SQLite file, the real Application on a Bot API double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.answers.i18n import Translator, translator
from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.botapi_double import BotApiDouble
from bot.infra.config import Settings
from bot.infra.logsetup import storage_throttle
from bot.services import Services
from knowledge.policy import Policy, policy_for
from tests.auxil.harness import ADMIN_ID, ChatHarness, running_chat
from tests.auxil.qa_eval import REPORT
from tests.auxil.units import unit_chat, unit_services, unit_settings  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fresh_log_throttle() -> None:
    """The once-a-minute database log line is per process; each test starts with none logged yet."""
    storage_throttle.reset()


@pytest.fixture
def policy() -> Policy:
    return policy_for(2026)


@pytest.fixture
def t() -> Translator:
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
    async with running_chat(services, double) as harness:
        yield harness


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The answer-quality lines (tests/test_qa_eval.py) at the end of every run, CI included."""
    if REPORT:
        terminalreporter.section("answer quality, graded by topic (tests/test_qa_eval.py)")
        for line in REPORT:
            terminalreporter.write_line(line)
