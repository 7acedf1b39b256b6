"""``accbot when TEXT [--now ISO] [--lang zh|en]``: what the reminder parser makes of a phrase.

A debugging and support tool: it prints exactly what a user's reminder would be saved at, with the same
policy anchors (截止前一周 …) the bot uses, and the same refusal sentence the user would see.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.answers.i18n import normalize_language, translator
from bot.answers.time_view import explain
from bot.domain.clock import SHANGHAI, parse_now
from bot.domain.years import year_state
from bot.parsing.timeparse import parse_time
from knowledge.policy import load_policies


def run_when(args: argparse.Namespace) -> int:
    """Print ``YYYY-MM-DD HH:MM`` (exit 0) or one line saying why not (exit 1)."""
    try:
        now = parse_now(args.now) if args.now else datetime.now(SHANGHAI)  # the CLI is the edge
    except ValueError:
        print(f"--now: not an ISO datetime: {args.now}", file=sys.stderr)
        return 2
    policy = year_state(load_policies(), now.date()).policy
    result = parse_time(" ".join(args.text), now, policy=policy)
    if result.when is None:
        print(explain(result, normalize_language(args.lang), translator()))
        return 1
    print(result.when.strftime("%Y-%m-%d %H:%M"))
    return 0
