"""Every evaluation answer written to a file, to show that a change altered no answer (run:
``python bench/answers_dump.py OUT``, then ``diff`` two outputs).

Speed work on the answer path must leave every reply as it was. This asks every case of every set in tests/eval
through the responder (as tests/test_qa_eval.py and tests/test_time_eval.py do: a ManualClock at the eval's moment
or the case's own), each dev case again as a follow-up to the case before it, and every FAQ phrasing in the 5-fold
evaluation, and writes each reply whole (kind, text, score, buttons, sources, extra) or each search result whole.
Held-out and blind sets are written only as a hash per case (position and digest): a diff says that case N
changed, never what it asks or answers. Not a test: it prints nothing but the file's path and a digest.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL_DIR = ROOT / "tests" / "eval"
FIXTURES = ROOT / "tests" / "fixtures"
EVAL_MOMENT = (2026, 11, 27, 10, 0)  # tests/test_qa_eval.py's clock


def _held_out(name: str) -> bool:
    """Sets whose questions must stay unseen: only a digest of each reply is written."""
    return ("holdout" in name or "blind" in name) and name != "qa_blind3.toml"


def _reply_line(reply: object) -> str:
    from bot.answers.reply import Reply

    assert isinstance(reply, Reply)
    return repr((reply.kind, reply.text, reply.score, reply.buttons, reply.sources, sorted(reply.extra.items())))


def main(out: Path) -> None:
    from bot.bootstrap import build_services
    from bot.domain.clock import SHANGHAI, ManualClock
    from bot.infra.config import Settings

    lines: list[str] = []
    built: dict[str | None, tuple[object, ManualClock]] = {}
    with tempfile.TemporaryDirectory() as tmp:

        def services_at(knowledge: str | None, now: datetime) -> Any:
            if knowledge not in built:
                dirs = (FIXTURES / knowledge,) if knowledge else ()
                settings = Settings(_env_file=None,  # type: ignore[call-arg]
                                    database_path=Path(tmp) / f"{knowledge or 'shipped'}.sqlite3",
                                    knowledge_dirs=dirs)
                clock = ManualClock(now)
                built[knowledge] = (build_services(settings, clock=clock), clock)
            services, clock = built[knowledge]
            clock.set(now)
            return services

        default_now = datetime(*EVAL_MOMENT, tzinfo=SHANGHAI)
        for path in sorted(EVAL_DIR.glob("*.toml")):
            with path.open("rb") as fh:
                cases = tomllib.load(fh)["case"]
            hidden = _held_out(path.name)
            previous: str | None = None
            for n, case in enumerate(cases):
                now = datetime.fromisoformat(case["now"]).replace(tzinfo=SHANGHAI) if "now" in case else default_now
                responder = services_at(case.get("knowledge"), now).responder  # type: ignore[attr-defined]
                lang = case.get("lang", "zh")
                line = _reply_line(responder.respond(case["q"], lang))
                if hidden:
                    lines.append(f"{path.name} #{n} {hashlib.sha256(line.encode()).hexdigest()[:16]}")
                    continue
                lines.append(f"{path.name} #{n} {case['q']!r} -> {line}")
                if previous is not None:
                    follow, asked = responder.respond_after(case["q"], lang, previous)
                    lines.append(f"{path.name} #{n} after previous -> {asked!r} {_reply_line(follow)}")
                previous = case["q"]
        lines.extend(_kfold())
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(lines)} lines, sha256 {hashlib.sha256(out.read_bytes()).hexdigest()[:16]}")


def _kfold(folds: int = 5) -> list[str]:
    """Each FAQ phrasing searched with its fold held out (tests/auxil/qa_eval.py: kfold): the whole result."""
    from bot.bootstrap import _knowledge_base
    from knowledge.policy import policy_for

    kb = _knowledge_base(policy_for(2026))
    lines: list[str] = []
    for k in range(folds):
        held = kb.without_phrasings(lambda i, k=k: i % folds == k)
        for topic in kb.topics:
            for i, question in enumerate(topic.entry.phrasings):
                if i % folds == k:
                    r = held.search(question)
                    hits = [(h.topic.id, h.score) for h in r.hits]
                    lines.append(f"fold {k} {topic.id} {question!r} -> {r.verdict} {hits} {r.confidence} {r.margin} "
                                 f"{r.coverage} {r.pair} {r.hedged} {r.worded}")
    return lines


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "accbot-answers.txt")
