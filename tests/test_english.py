"""English as accountants and translation sites write it (issue 11 item 5): abbreviations, machine-translation
words, hearsay, personal facts and years written the English way reach the same answers as the Chinese phrasings.

Through the real responder, as a chat message or ``accbot ask`` would be answered. The questions are written for
these tests, not taken from any eval set.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.config import Settings
from bot.parsing.claims import read_claim


@pytest.fixture(scope="module")
def respond(tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_path=tmp_path_factory.mktemp("english") / "db.sqlite3")
    return build_services(settings, clock=ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))).responder.respond


def _topics(reply) -> list[str]:
    return list(reply.extra.get("topics") or [reply.extra.get("topic")])


@pytest.mark.parametrize(("question", "topic", "fact"), [
    ("CE points per year for a junior-grade accountant?", "credits-total", "90"),
    ("info collecting for CE: which site?", "info-collection", "ausm.mof.gov.cn"),
    ("Our training school held an offline class, within how many working days is the list reported?",
     "f2f-report", "10 working days"),
    ("I did my CE in Zhejiang this year, will Shanxi recognise it?", "nationwide", "valid"),
])
def test_english_words_reach_the_entry_chinese_phrasings_reach(respond, question: str, topic: str,
                                                              fact: str) -> None:
    reply = respond(question, "en")
    assert reply.kind == "answer" and topic in _topics(reply)[:2], (question, _topics(reply))
    assert fact in reply.text


def test_a_passed_exam_is_not_a_missed_deadline(respond) -> None:
    reply = respond("Do passed intermediate exam papers convert into CE credits?", "en")
    assert "90" in reply.text and "deadline" not in reply.text.lower()


def test_supplementary_study_is_the_makeup(respond) -> None:
    """Machine translation writes 补学 as "supplementary study": the makeup answer, not the deadline."""
    reply = respond("When was the supplementary study for 2025 credits open?", "en")
    assert "1 June 2026" in reply.text


def test_a_year_before_credits_is_a_year_not_a_figure(respond) -> None:
    """"my 2025 credits" names the year; it is not a statement of 2025 credits refused as too large."""
    reply = respond("my 2025 credits: professional 50 public 40, enough?", "en")
    assert reply.kind == "credits" and "2025" in reply.text and "at most 200" not in reply.text


def test_english_personal_facts_get_the_verdict_first(respond) -> None:
    assert respond("The primary accounting title was obtained by me in 2022; is CE in 2026 obligatory?",
                   "en").text.startswith("Yes")
    assert respond("Got my junior title in 2026, is further education necessary this year?",
                   "en").text.startswith("No")


@pytest.mark.parametrize(("claim", "right"), [
    ("Our finance manager says the CE deadline is 30 Nov, is that so?", "31 December 2026"),
    ("my friend said 2025 credits can still be made up until the end of the year, is it true?", "1 June 2026"),
])
def test_hearsay_from_anyone_is_checked_with_abbreviated_and_year_end_dates(respond, claim: str,
                                                                           right: str) -> None:
    text = respond(claim, "en").text
    assert text.startswith("No") and right in text.split("\n", 1)[0]


def test_the_claim_reader_takes_english_sources_and_months() -> None:
    claim = read_claim("A colleague of mine told me online study starts in Sept.")
    assert claim is not None and claim.date is not None and (claim.date.month, claim.date.event) == (9, "opens")
    # "jun" is no month inside "junior", and a plain question is no claim
    assert read_claim("Do junior accountants need 90 credits?") is None


def test_english_typos_are_read_as_the_words_they_are_slips_of(respond) -> None:
    reply = respond("contineuing educaton: how many credts per yaer?", "en")
    assert reply.kind == "answer" and "credits-total" in _topics(reply) and "90" in reply.text


def test_a_slip_is_one_edit_from_a_known_word_and_a_known_word_stays() -> None:
    from knowledge.text import Misspellings

    words = {"year", "credits", "deadline", "read"}
    spelling = Misspellings(words, words)
    assert [spelling.correct(w) for w in ("yaer", "credts", "deadine")] == ["year", "credits", "deadline"]
    # a four-letter word only by a swap ("yeah" is another word), the first letter trusted, known words kept
    assert [spelling.correct(w) for w in ("yeah", "xredits", "read", "cat")] == ["yeah", "xredits", "read", "cat"]


def test_the_asked_verdict_comes_before_the_askers_own_situation(respond) -> None:
    """A yes/no question from someone who qualified this year: its Yes first, then the line on their situation."""
    text = respond("I passed one intermediate paper in 2026, does it convert into CE credits?", "en").text
    assert text.startswith("Yes") and "2027" in text


def test_an_inflected_word_is_the_word_the_phrasings_use() -> None:
    """"reminded", "reminds" and "reminding" are one word to the search (Snowball's stemmer): an inflection the
    phrasings do not use is no longer a word the index has never seen."""
    from bot.bootstrap import _knowledge_base
    from knowledge.policy import policy_for

    kb = _knowledge_base(policy_for(2026))
    forms = [kb.query(f"{verb} about the training") for verb in ("reminded", "reminds", "reminding")]
    assert forms[0] == forms[1] == forms[2]


def test_a_yes_no_question_after_the_askers_story_is_still_one() -> None:
    """"I qualified in 2025. Do I …?": the auxiliary opens a later sentence; "exempt from CE?" has none at all."""
    from knowledge.text import is_yes_no

    assert is_yes_no("I qualified in 2025. Do I need to study this year?")
    assert is_yes_no("Retired since May - still required to study?")
    assert not is_yes_no("I qualified in 2025. When do I start?")


def test_a_time_answer_to_a_yes_no_question_opens_with_its_verdict(respond) -> None:
    """The no-makeup rule answers "can 2026 be made up next year?" with "No." first, as the FAQ answer would."""
    reply = respond("Will 2026 credits be open for makeup in 2027?", "en")
    assert reply.text.startswith("No.") and "no makeup" in reply.text


def test_a_figure_each_is_a_rate_not_the_senders_credits(respond) -> None:
    """"90 credits for each title" asks whether the requirement repeats; it is no statement of 90 credits missing
    its professional part."""
    reply = respond("I hold two titles, are 90 credits needed for each?", "en")
    assert reply.kind == "answer" and "per person" in reply.text
