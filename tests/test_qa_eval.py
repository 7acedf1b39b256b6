"""The question-answering evaluation, graded by topic (tests/auxil/qa_eval.py), through the responder:
the path a chat message and ``accbot ask`` take.

Reported in CI (run with ``-s`` to see the lines): accuracy and confident-wrong rate on the tuning set, the
held-out sets, the 38 real questions, and on FAQ phrasings the index has never seen (k folds). The floors
sit a little under the measured values, so a regression fails the build.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.answers.reply import Reply
from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.config import Settings
from knowledge import KnowledgeBase
from tests.auxil.qa_eval import EVAL_DIR, REPORT, SETS, kfold, live_id, load_cases, run_set

# name: (accuracy floor, confident-wrong ceiling)
FLOORS = {
    "qa_eval.toml": (0.96, 0.01),
    "qa_holdout.toml": (0.90, 0.04),
    "real_questions.toml": (0.94, 0.03),
    "qa_blind.toml": (0.88, 0.08),
    # Written blind (see its header) and never tuned on: the floor is deliberately ~15 points under the
    # measured value and the ceiling ~10 over, so it catches a collapse without steering anyone's tuning.
    "qa_blind2.toml": (0.65, 0.14),
    # Third blind set, written the same way with more real-page style; measured 0.674 / 0.116 at landing. A dev
    # set since 10:45: 0.884 / 0.058 with hedged close calls.
    "qa_blind3.toml": (0.84, 0.08),
    # Fourth blind set, about two thirds real-page style; measured 0.818 / 0.027 at landing (floor ~15 points
    # under, ceiling ~8 over).
    "qa_blind4.toml": (0.67, 0.11),
    # Fifth blind set, ~40% real-page style, 20% colloquial, 15% English; measured 0.756 / 0.065 at its first
    # run (floor ~15 points under, ceiling ~8 over).
    "qa_blind5.toml": (0.60, 0.14),
    # Sixth blind set, ~40% real-page style, 15% English, 20% myths/unsettled/out-of-scope, written on e045c06
    # before any run; measured 0.782 / 0.089 at its first run (two expected ids added after the grading review,
    # see its header): floor ~15 points under, ceiling ~8 over, so it catches a collapse only.
    "qa_blind6.toml": (0.63, 0.17),
    # Seventh blind set, ~40% real-page style, 20% English, 15% myths/unsettled/out-of-scope, written on ed6ac8d
    # before any run; measured 0.756 / 0.073 at its first run, 0.772 / 0.057 after two expected ids were added in the
    # grading review (see its header): floor ~15 points under, ceiling ~8 over, so it catches a collapse only.
    "qa_blind7.toml": (0.61, 0.14),
    # Real-page style (long, personal context, hearsay), written by helper realpage before any run and split at
    # random: the development half and the held-out half (see their headers). First run (conversion graded right):
    # dev 30/35, 2 confident-wrong; held-out 30/35, 2. Loose floors (~15 points under): a collapse only.
    "realpage_dev.toml": (0.70, 0.15),
    "realpage_holdout.toml": (0.70, 0.15),
    # A second real-page set (message boards, Zhidao, WeChat groups; dialect, typos, implicit questions), written by
    # helper realpage2 before any run and split at random (see their headers). First run (main ed6ac8d): dev 30/38,
    # 1 confident-wrong; held-out 30/38, 2. Loose floors (~15 points under): they catch a collapse only.
    "realpage2_dev.toml": (0.64, 0.15),
    "realpage2_holdout.toml": (0.64, 0.15),
    # English as people and machine translation write it (ESL, "primary accountant", CE/CPE, typos, personal facts,
    # yes/no with "opens", hearsay), written before any run and split at random; first run 0.571 / 0.057 (dev;
    # 0.514 once two cases near qa_blind6 were reworded) and 0.543 / 0.086 (held-out): loose floors that catch a
    # collapse only.
    "english_dev.toml": (0.40, 0.25),
    "english_holdout.toml": (0.40, 0.25),
    # A second English set of the same kind (every entry, terse / ESL / machine translation / personal stories /
    # typos / British and American), written before any change it measures and split at random. First run (main
    # ed6ac8d): dev 33/42 = 0.786 / 0.095, held-out 31/41 = 0.756 / 0.146: loose floors that catch a collapse only.
    "english2_dev.toml": (0.60, 0.25),
    "english2_holdout.toml": (0.58, 0.28),
    # Several questions in one message, strict (no other topic, no topic twice); the development half: 29/32 with
    # 3 confident-wrong on main c4fe22d (24/32, 5 with the responder before parts leaned on earlier ones).
    "qa_multi.toml": (0.85, 0.10),
    # A second development set of the same kind, written after the first version had landed: 27/30, 2 wrong
    # (28/30, 1 before).
    "qa_multi2.toml": (0.80, 0.12),
    # The held-out half of qa_multi (written with it, never opened): 26/31, 2 confident-wrong on main c4fe22d,
    # against 30/31, 1 with the responder before parts leaned on earlier ones (see notes/issue-11-subq.md). The
    # floor catches a collapse only.
    "qa_multi_holdout.toml": (0.65, 0.22),
    # Third set of several questions in one message (separators people use, a preamble, four or more questions,
    # vague or out-of-scope parts), written before the change it measures. First run on main e045c06: dev
    # 17/28, 6 confident-wrong; held-out 14/29, 7 (19/28, 4 and 16/29, 4 once the conversion reading was accepted
    # where an expected entry states a rate). With the separators read and unsure parts answered in compact
    # form: dev 24/28, 3; held-out 25/29, 1. Loose floors: they catch a collapse only.
    "multi3_dev.toml": (0.70, 0.20),
    "multi3_holdout.toml": (0.65, 0.20),
    # What the notice does not settle (log-in, review times, refunds, certificates, penalties, other provinces,
    # course tests …) and out-of-scope questions that must be declined, written before any run and split by a
    # seeded shuffle: the dev half may guide entries, the held-out half is reported in aggregate only. First run
    # (main 60f9e77): dev 23/35 = 0.657 / 0.257, held-out 23/35 = 0.657 / 0.114. After the lexicon, scope and
    # parsing fixes from the dev half: dev 34/35, 1; held-out 27/35, 3. Floors ~12-15 points under.
    "unsettled_dev.toml": (0.85, 0.10),
    "unsettled_holdout.toml": (0.62, 0.18),
    # Out of scope that shares a word with the domain (a bank, an employer, another profession's continuing
    # education, another test), related questions the notice does not settle, and in-scope questions short or
    # colloquial enough to look out of scope (false refusals); written before any run and split by a seeded shuffle
    # by kind: the dev half may guide the scope decision, the held-out half is reported in aggregate only.
    # First run (main ed6ac8d): dev 25/46 = 0.543 / 0.413, held-out 28/46 = 0.609 / 0.348 (most out-of-scope
    # questions got a confident policy answer). With other professions' continuing education declined and the
    # conversion reading accepted for the one dev case about an exam's credits: dev 29/46 = 0.630 / 0.326, held-out
    # 30/46 = 0.652 / 0.283. Floors ~10 points under, ceilings ~8 over: a collapse only.
    "scope_dev.toml": (0.52, 0.41),
    "scope_holdout.toml": (0.55, 0.37),
    # Myth traps, yes/no questions and questions carrying personal facts, graded with their opening verdict
    # (``opens``), written by helper verdicts2 before any run and split by a seeded shuffle (see their headers).
    # First run (main ed6ac8d): dev 25/45 = 0.556, 3 confident-wrong; held-out 29/45 = 0.644, 2. After the verdict
    # work (main f1fd9b8): dev 40/45, 0; held-out 32/45, 0. Floors ~10-13 points under: a collapse only.
    "verdicts2_dev.toml": (0.78, 0.07),
    "verdicts2_holdout.toml": (0.60, 0.10),
}
# Measured 0.944 / 0.011 at MARGIN 0.13, PAIR_GAP 0.08 (bench/calibrate.py; 0.941 / 0.019 at 0.13 / 0.05, 0.932 /
# 0.032 at 0.10 / 0.04): a hedge whose three topics miss the asked one says it is unsure and counts apart, as a
# hedged miss. The ceiling keeps the 2% with room for a few phrasings added or moved.
KFOLD_FLOOR = (0.93, 0.016)
TUNABLE = ("tuning", "real (dev)", "dev (blind until 10:45)", "dev")


@pytest.fixture(scope="module")
def respond(tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_path=tmp_path_factory.mktemp("eval") / "eval.sqlite3")
    clock = ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))
    services = build_services(settings, clock=clock)
    return services.responder.respond


@pytest.fixture(scope="module")
def kb(respond) -> KnowledgeBase:
    from bot.bootstrap import _knowledge_base
    from knowledge.policy import policy_for

    return _knowledge_base(policy_for(2026))


@pytest.mark.parametrize("name", list(FLOORS))
def test_accuracy_by_topic(respond, name: str) -> None:
    score = run_set(respond, name)
    print("\n" + score.line())
    REPORT.append(score.line())
    if SETS[name] in TUNABLE:
        # Only sets that may guide the work list their misses; a held-out set's questions stay unseen.
        print("\n".join(score.failures()))
    floor, ceiling = FLOORS[name]
    assert score.accuracy >= floor, score.line()
    assert score.confident_wrong <= ceiling, score.line()


def test_unseen_phrasings_kfold(kb: KnowledgeBase) -> None:
    score = kfold(kb, folds=5)
    print("\n" + score.line())
    REPORT.append(score.line())
    floor, ceiling = KFOLD_FLOOR
    assert score.accuracy >= floor, score.line()
    assert score.confident_wrong <= ceiling, score.line()


def test_sets_are_graded_by_topic_and_name_real_topics(kb: KnowledgeBase) -> None:
    """Every expected topic exists, or was merged into one that does (a renamed entry must not silently make
    cases unpassable)."""
    # Besides the entries: the credit readings, and the time answers' topic for a year whose notice is not out.
    known = {t.id for t in kb.topics} | {"personal", "statement", "conversion", "next-year"}
    for name in FLOORS:
        for case in load_cases(EVAL_DIR / name):
            assert case.expect != "answer" or case.topics, (name, case.q)
            named = {x for t in (*case.topics, *case.also, *case.may) for x in t.split("|")}
            assert {live_id(t) for t in named} <= known, (name, case.q)


def test_eval_questions_are_not_faq_copies(kb: KnowledgeBase) -> None:
    """The sets measure generalisation only if their questions are not the curated phrasings."""
    phrasings = {q.strip() for tp in kb.topics for q in tp.entry.phrasings}
    for name in FLOORS:
        copies = [c.q for c in load_cases(EVAL_DIR / name) if c.q.strip() in phrasings]
        assert not copies, f"{name} copies FAQ phrasings: {copies}"


def test_a_pair_of_answers_is_right_only_when_one_of_them_is_the_topic() -> None:
    """Two answers given for a close call: right when either is the asked topic, confidently wrong otherwise."""
    from tests.auxil.qa_eval import Case, grade

    pair = Reply("…", kind="answer", extra={"topics": ["makeup-missed", "makeup-window"], "pair": True})
    assert grade(Case("补学时间过了怎么办", topics=("makeup-window",)), pair).correct
    wrong = grade(Case("补学时间过了怎么办", topics=("no-makeup",)), pair)
    assert not wrong.correct and wrong.confident_wrong
    single = Reply("…", kind="answer", extra={"topics": ["makeup-missed", "makeup-window"]})
    assert not grade(Case("补学时间过了怎么办", topics=("makeup-window",)), single).correct


def test_a_hedge_is_right_only_when_it_shows_the_topic() -> None:
    """Three topics given for a close call (the likeliest answered, two in short form): right when any of them is
    the asked topic, and counted among the hedged right answers; otherwise a hedged miss, which opened by saying
    it was unsure, so it is wrong but not confidently wrong."""
    from tests.auxil.qa_eval import Case, Score, grade

    hedge = Reply("…", kind="answer", extra={"topics": ["credits-sync", "f2f-credits", "check-credits"],
                                              "hedged": True})
    right = grade(Case("学分怎么查", topics=("check-credits",)), hedge)
    assert right.correct and right.detail == "hedge"
    wrong = grade(Case("学分怎么查", topics=("deadline",)), hedge)
    assert not wrong.correct and not wrong.confident_wrong and wrong.hedged_miss
    line = Score("set", [right, wrong]).line()
    assert "1 hedged" in line and "confident-wrong 0" in line and "hedged misses 1" in line


def test_a_wrong_topic_is_not_graded_right(respond) -> None:
    """The grader itself: an answer on another topic that happens to contain the facts still fails."""
    from tests.auxil.qa_eval import Case, grade

    reply = Reply("每年不少于90学分", kind="answer", extra={"topic": "credits-total"})
    assert not grade(Case("专业课要多少", topics=("professional-min",), facts=("90",)), reply).correct
    assert grade(Case("专业课要多少", topics=("professional-min",), facts=("90",)), reply).confident_wrong


def test_an_expected_id_merged_into_another_entry_is_answered_by_that_entry(kb: KnowledgeBase) -> None:
    """Cases written before two entries were merged still name the old id: the merged entry satisfies them."""
    from tests.auxil.qa_eval import Case, grade

    merged = next(t for t in kb.topics if t.entry.replaces)
    old = merged.entry.replaces[0]
    assert kb.topic(old) is merged
    reply = Reply("…", kind="answer", extra={"topic": merged.id})
    assert grade(Case("…", topics=(old,)), reply).correct
    other = next(t for t in kb.topics if t is not merged)
    wrong = grade(Case("…", topics=(old,)), Reply("…", kind="answer", extra={"topic": other.id}))
    assert wrong.confident_wrong


def test_a_part_answered_in_compact_form_on_other_topics_is_a_hedged_miss() -> None:
    """Several questions, strict: a part answered in full on another topic is confidently wrong; a part answered in
    compact form (it says it is unsure) on other topics is a hedged miss; on an allowed topic it is right."""
    from tests.auxil.qa_eval import Case, grade

    case = Case("每年要多少学分？会计之星报名缴费怎么弄？", topics=("credits-total",), also=("payment",), strict=True)
    parts = [{"topics": ["credits-total"], "pair": False},
             {"topics": ["payment-failed", "payment", "online-steps"], "pair": False, "hedged": True}]
    reply = Reply("…", kind="answer", extra={"topics": [t for p in parts for t in p["topics"]], "parts": parts})
    assert grade(case, reply).correct
    parts[1] = {"topics": ["login-help", "info-review", "deadline"], "pair": False, "hedged": True}
    reply = Reply("…", kind="answer", extra={"topics": [t for p in parts for t in p["topics"]], "parts": parts})
    miss = grade(Case(case.q, topics=("credits-total",), strict=True), reply)
    assert not miss.correct and not miss.confident_wrong and miss.hedged_miss
    parts[1] = {"topics": ["deadline"], "pair": False}
    reply = Reply("…", kind="answer", extra={"topics": ["credits-total", "deadline"], "parts": parts})
    assert grade(Case(case.q, topics=("credits-total",), strict=True), reply).confident_wrong


def test_a_yes_no_case_needs_its_verdict_first() -> None:
    """A case with ``opens`` passes only when the reply opens with that verdict as a word: "No." and "No:" do; a
    reply that only mentions it later, or opens with "Not"/"Normally", does not."""
    from tests.auxil.qa_eval import Case, grade

    case = Case("Do I need 180 credits?", lang="en", topics=("several-qualifications",), opens="No")

    def reply(text: str) -> Reply:
        return Reply(text, kind="answer", extra={"topic": "several-qualifications"})
    assert grade(case, reply("No. Credits are counted per person.")).correct
    assert grade(case, reply("No: at least 90 credits a year.")).correct
    assert not grade(case, reply("Normally at least 60 professional. No separate set.")).correct
    assert not grade(case, reply("Credits are counted per person. No.")).correct
