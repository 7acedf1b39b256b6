"""Yes/no questions answered with the right verdict first (run: ``python bench/verdicts.py [--misses]``).

Issue 11 item 4: a yes/no question gets 是/否 (Yes/No) first, in the question's own verb where natural, and no
verdict where the notice does not settle it (a wrong 是/否 is worse than none). Each probe set in tests/eval/yesno_*
holds yes/no questions with the entries that answer them and the verdict that must open the reply ("none": no
verdict may). Every question goes through the real responder, as a chat message would; prints, per set, the share
of questions whose reply opens with the right verdict, with a wrong one, and with none, plus the share answered on
an expected topic. ``--misses`` lists the development set's misses; the held-out set only ever prints its score
line (it must not steer the verdict data), and ``--dev-only`` leaves even that out while the data is being written.
"""

from __future__ import annotations

import re
import sys
import tempfile
import tomllib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = {"yesno_dev.toml": True, "yesno_holdout.toml": False,
        # Claims repeated as hearsay ("听说只要60学分就够了"), told first whether they are right: the same grading.
        "myths_dev.toml": True, "myths_holdout.toml": False,
        # Myths, yes/no and personal-fact questions written together (issue 11, helper verdicts2).
        "verdicts2_dev.toml": True, "verdicts2_holdout.toml": False}  # file → whether its misses may be shown

_NEGATIVE = re.compile(r"^(?:否|不|没|no\b)", re.IGNORECASE)
_OPENING = re.compile(r"^(?:否|是|对|不|没)?(?:是|能|可以|需要|要|用|算|会|认可|有|必须|应该|对)?$|"
                      r"^(?:是的|不对|对的)$|^(?:yes|no)$", re.IGNORECASE)


def opening_verdict(text: str) -> str:
    """"yes", "no" or "none": the verdict a reply opens with ("不能。…", "需要。…", "Yes. …", "可以，…")."""
    head = re.split(r"[。，,.:：；;]", text.strip(), maxsplit=1)[0].strip()
    if not head or len(head) > 8 or not _OPENING.match(head):
        return "none"
    return "no" if _NEGATIVE.match(head) else "yes"


def leave_one_out() -> None:
    """Each yes/no phrasing of an entry with verdict phrasings (settled or not) held out in turn and settled by the
    rest, over a grid of VERDICT_NEAR × VERDICT_LEAD: right / wrong / none, the shipped pair marked with *."""
    from knowledge import KnowledgeBase, base
    from knowledge.policy import policy_for
    from knowledge.text import is_yes_no

    kb = KnowledgeBase.load(policy_for())
    vectorise = lru_cache(maxsize=None)(kb._verdict_vector)  # each phrasing is analysed once, not once per cell
    held: list[tuple[str, str, list[tuple[str, str]]]] = []
    for topic in kb.topics:
        if topic.verdicts is None or not topic.entry.verdict_phrasings:  # a fixed yes_no labels every phrasing alike
            continue
        fixed = topic.entry.yes_no if topic.entry.yes_no in ("yes", "no") else "none"
        rows = [*topic.entry.verdict_phrasings, *((q, fixed) for q in topic.entry.questions if is_yes_no(q))]
        for i, (text, label) in enumerate(rows):
            held.append((text, label, rows[:i] + rows[i + 1:]))
    shipped = (base.VERDICT_NEAR, base.VERDICT_LEAD)
    print(f"leave-one-out over {len(held)} yes/no phrasings of entries with verdicts "
          f"({sum(lab != 'none' for _, lab, _ in held)} settled): right / wrong / none")
    for near in (0.35, 0.45, 0.55, 0.65):
        cells = []
        for lead in (0.0, 0.05, 0.10, 0.15, 0.20):
            base.VERDICT_NEAR, base.VERDICT_LEAD = near, lead
            right = wrong = 0
            for text, label, rest in held:
                got = base.VerdictPhrasings(tuple(rest), vectorise).settle(text)
                right += (got is not None and got == label) or (got is None and label == "none")
                wrong += got is not None and got != label
            mark = "*" if (near, lead) == shipped else " "
            cells.append(f"lead {lead:.2f}{mark} {right:3d}/{wrong:2d}/{len(held) - right - wrong:3d}")
        print(f"  near {near:.2f}: " + "   ".join(cells))
    base.VERDICT_NEAR, base.VERDICT_LEAD = shipped


def main(show_misses: bool = False, held_out: bool = True) -> None:
    from bot.bootstrap import build_services
    from bot.domain.clock import SHANGHAI, ManualClock
    from bot.infra.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, database_path=Path(tmp) / "db.sqlite3")  # type: ignore[call-arg]
        respond = build_services(settings, clock=ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))
                                 ).responder.respond
        for name, open_set in SETS.items():
            if not open_set and not held_out:
                continue
            with (ROOT / "tests" / "eval" / name).open("rb") as fh:
                cases = [c for c in tomllib.load(fh)["case"] if c.get("verdict")]  # a how-much case asks none
            right = wrong = missing = on_topic = 0
            misses: list[str] = []
            for case in cases:
                reply = respond(case["q"], "zh")
                got = opening_verdict(reply.text)
                topics = reply.extra.get("topics") or [reply.extra.get("topic")]
                on_topic += bool(set(case["topics"]) & set(topics))
                if got == case["verdict"]:
                    right += 1
                    continue
                if got == "none":
                    missing += 1
                else:
                    wrong += 1
                misses.append(f"  want {case['verdict']:4} got {got:4} {topics} {case['q']} → {reply.text[:60]!r}")
            n = len(cases)
            print(f"{name}: {n} yes/no questions: right verdict first {right}/{n} ({right / n:.1%}), "
                  f"wrong verdict {wrong} ({wrong / n:.1%}), verdict missing {missing} ({missing / n:.1%}); "
                  f"on an expected topic {on_topic}/{n}")
            if show_misses and open_set:
                print("\n".join(misses))


if __name__ == "__main__":
    main("--misses" in sys.argv[1:], "--dev-only" not in sys.argv[1:])
    leave_one_out()
