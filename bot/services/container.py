"""Everything a handler needs, built once at start-up and shared through ``bot_data``.

Handlers reach the domain only through this object, so tests can build it with a manual clock and a
temporary database and drive the very same Application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.answers.i18n import Translator
from bot.answers.responder import Responder
from bot.domain.clock import Clock
from bot.domain.years import YearState
from bot.infra.config import Settings
from bot.services.broadcasts import BroadcastService
from bot.services.credits import CreditRecorder
from bot.services.drafts import ReminderDrafts
from bot.services.f2f import F2fService
from bot.services.units import UnitService
from bot.services.years import Years
from bot.storage import Database
from bot.storage.credits import CreditRepository
from bot.storage.heartbeat import Heartbeat
from bot.storage.outbox import BroadcastRepository
from bot.storage.personal import PersonalData
from bot.storage.profiles import ProfileRepository
from bot.storage.reminders import ReminderRepository
from bot.storage.unanswered import UnansweredLog
from bot.storage.units import UnitRepository
from bot.storage.users import UserRepository
from knowledge import KnowledgeBase
from knowledge.policy import Policy

if TYPE_CHECKING:
    from telegram.ext import ContextTypes


@dataclass
class Services:
    settings: Settings
    clock: Clock
    years: Years
    t: Translator
    db: Database
    responder: Responder
    users: UserRepository = field(init=False)
    unanswered: UnansweredLog = field(init=False)
    credits: CreditRepository = field(init=False)
    profiles: ProfileRepository = field(init=False)
    personal: PersonalData = field(init=False)
    units: UnitRepository = field(init=False)
    broadcasts: BroadcastRepository = field(init=False)
    reminders: ReminderRepository = field(init=False)
    heartbeat: Heartbeat = field(init=False)
    f2f: F2fService = field(init=False)
    unit_service: UnitService = field(init=False)
    drafts: ReminderDrafts = field(init=False)
    recorder: CreditRecorder = field(init=False)
    broadcast_service: BroadcastService = field(init=False)

    def __post_init__(self) -> None:
        self.users = UserRepository(self.db)
        self.unanswered = UnansweredLog(self.db)
        self.credits = CreditRepository(self.db)
        self.profiles = ProfileRepository(self.db)
        self.personal = PersonalData(self.db)
        self.units = UnitRepository(self.db)
        self.broadcasts = BroadcastRepository(self.db)
        self.reminders = ReminderRepository(self.db, self.clock.tz)
        self.heartbeat = Heartbeat(self.db)
        self.f2f = F2fService(self.reminders, self.years.policy)
        self.unit_service = UnitService(self.units, self.credits, self.profiles, self.policy)
        self.drafts = ReminderDrafts(self.reminders)
        self.recorder = CreditRecorder(self.credits)
        self.broadcast_service = BroadcastService(self.broadcasts, self.settings.broadcast_daily_limit)

    @property
    def policy(self) -> Policy:
        """The policy of *now* (the newest issued by today); decided per call, never at start-up."""
        return self.years.policy()

    def year_state(self) -> YearState:
        return self.years.state()

    @property
    def kb(self) -> KnowledgeBase:
        return self.years.kb()

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.settings.admin_ids


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]  # type: ignore[no-any-return]
