"""Questions about years and dates, each asked at its own moment: the evaluation for the time readings.

The other sets are asked on one fixed day; these carry a ``now`` (Asia/Shanghai) and optionally a ``knowledge``
fixture folder (a later year's notice loaded as data), and run through the responder on a ManualClock moved to
each case's moment: before, on and after the 2026 deadline, between years, and in a year whose notice has
arrived. Graded like the other sets (by topic, then facts), plus ``absent``: words the reply's own text (before
its first quote) must not say ("不算" for a date inside the year, "还能学" after it).

``time_dev.toml`` may guide changes and lists its misses; ``time_holdout.toml`` is reported in aggregate only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from bot.bootstrap import Services, build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.config import Settings
from tests.auxil.qa_eval import EVAL_DIR, REPORT, Case, Outcome, Score, grade

FIXTURES = Path(__file__).parent / "fixtures"
# name: (accuracy floor, confident-wrong ceiling)
# First run, before any change for them: dev 20/29 (3 confident-wrong), holdout 20/28 (3 on 19d04f6, 2 on 39dd2d1).
# After days and years named in questions were read (see bot/answers/time_answers.py): dev 29/29 (0), holdout 25/28 (2).
FLOORS = {"time_dev.toml": (0.93, 0.04), "time_holdout.toml": (0.80, 0.10)}


@dataclass(frozen=True)
class TimedCase:
    case: Case
    now: datetime
    knowledge: str | None
    absent: tuple[str, ...]


def load_timed(path: Path) -> list[TimedCase]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return [TimedCase(Case(c["q"], c.get("lang", "zh"), tuple(c.get("topics", ())), facts=tuple(c.get("facts", ()))),
                      datetime.fromisoformat(c["now"]).replace(tzinfo=SHANGHAI), c.get("knowledge"),
                      tuple(c.get("absent", ())))
            for c in data["case"]]


class _Bots:
    """One set of services per knowledge layout, each on its own ManualClock (built once: start-up is slow)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.built: dict[str | None, tuple[Services, ManualClock]] = {}

    def at(self, knowledge: str | None, now: datetime) -> Services:
        if knowledge not in self.built:
            dirs = (FIXTURES / knowledge,) if knowledge else ()
            settings = Settings(_env_file=None,  # type: ignore[call-arg]
                                database_path=self.tmp / f"{knowledge or 'shipped'}.sqlite3", knowledge_dirs=dirs)
            clock = ManualClock(now)
            self.built[knowledge] = (build_services(settings, clock=clock), clock)
        services, clock = self.built[knowledge]
        clock.set(now)
        return services


@pytest.fixture(scope="module")
def bots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Bots]:
    yield _Bots(tmp_path_factory.mktemp("time-eval"))


def run_timed(bots: _Bots, name: str) -> Score:
    score = Score(f"{name} (asked at their own moments)")
    for timed in load_timed(EVAL_DIR / name):
        reply = bots.at(timed.knowledge, timed.now).responder.respond(timed.case.q, timed.case.lang)
        outcome = grade(timed.case, reply)
        said = [w for w in timed.absent if w in reply.text.split("「")[0].split("“")[0]]
        if outcome.correct and said:
            outcome = Outcome(timed.case, False, False, f"says {said}")
        score.outcomes.append(Outcome(outcome.case, outcome.correct, outcome.confident_wrong,
                                      f"[{timed.now:%Y-%m-%d %H:%M}] {outcome.detail}"))
    return score


@pytest.mark.parametrize("name", list(FLOORS))
def test_time_questions_at_their_moments(bots: _Bots, name: str) -> None:
    score = run_timed(bots, name)
    print("\n" + score.line())
    REPORT.append(score.line())
    if name == "time_dev.toml":  # the held-out half's questions stay unseen
        print("\n".join(score.failures()))
    floor, ceiling = FLOORS[name]
    assert score.accuracy >= floor, score.line()
    assert score.confident_wrong <= ceiling, score.line()
