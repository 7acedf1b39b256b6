"""``accbot when TEXT [--now ISO] [--lang zh|en]``: what the reminder parser makes of a phrase.

A debugging and support tool: it prints exactly what a user's reminder would be saved at, with the same
policy anchors (截止前一周 …) the bot uses, and the same refusal sentence the user would see.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.answers.i18n import normalize_language, translator
from bot.answers.time_view import reason_text
from bot.domain.clock import SHANGHAI
from bot.parsing.timeparse import parse_time
from knowledge.policy import Policy, policy_for


def _policy(year: int) -> Policy | None:
    """The policy of ``now``'s year if one is shipped; relative anchors are simply unavailable otherwise."""
    try:
        return policy_for(year)
    except FileNotFoundError:
        return None


def run_when(argv: list[str]) -> int:
    """Print ``YYYY-MM-DD HH:MM`` (exit 0) or one line saying why not (exit 1)."""
    parser = argparse.ArgumentParser(prog="accbot when", description="Parse a time expression.")
    parser.add_argument("text", nargs="+", help="e.g. 12月20日上午9点, 下周五, tomorrow 9am")
    parser.add_argument("--now", help="ISO datetime to parse against (naive = Asia/Shanghai); default: now")
    parser.add_argument("--lang", default="zh", help="language of the error line (zh, en)")
    args = parser.parse_args(argv)
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            print(f"--now: not an ISO datetime: {args.now}", file=sys.stderr)
            return 2
        now = now.replace(tzinfo=SHANGHAI) if now.tzinfo is None else now.astimezone(SHANGHAI)
    else:
        now = datetime.now(SHANGHAI)  # the CLI is the edge: the one place allowed to read the clock
    result = parse_time(" ".join(args.text), now, policy=_policy(now.year))
    if result.when is None:
        print(reason_text(result.reason or "unrecognized", normalize_language(args.lang), translator()))
        return 1
    print(result.when.strftime("%Y-%m-%d %H:%M"))
    return 0


if __name__ == "__main__":
    raise SystemExit(run_when(sys.argv[1:]))
