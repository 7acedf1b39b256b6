"""The ``accbot`` command: run, chat, ask, when; health, db backup/check and stats (``bot/ops/commands.py``).

Settings problems end the program with one line naming the setting and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from bot.domain.clock import Clock, ManualClock, ShiftedClock, parse_now
from bot.infra.config import Settings, SettingsError, load_settings
from bot.infra.logsetup import configure_logging
from bot.ops.commands import add_ops_commands

log = logging.getLogger("accbot")


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print(f"accbot: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _quiet(settings: Settings) -> str:
    """The terminal chat shares the screen with the log: keep routine lines out of the conversation."""
    return "ERROR" if settings.log_level in {"INFO", "WARNING"} else settings.log_level


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    if not settings.token:
        configure_logging(_quiet(settings), None)
        return _chat(settings, banner_key="chat.banner.no_token", user_id=args.user_id)
    configure_logging(settings.log_level, settings.token)
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.bootstrap import build_services
    from bot.infra.startup import wait_for_bot_api
    from bot.ops.webhook import run_webhook, webhook_plan

    services = build_services(settings)
    asyncio.run(wait_for_bot_api(settings.token, settings.telegram_base_url))  # logged, with back-off
    app = build_application(services)
    log.info("connecting to Telegram%s", " via a custom Bot API address" if settings.telegram_base_url else "")
    # bootstrap_retries=-1: should Telegram fail again after the wait above, PTB retries getMe and deleteWebhook
    # (setWebhook in webhook mode) with back-off for as long as it answers 5xx, 429 or nothing at all; only an
    # invalid token ends the program.
    plan = webhook_plan(settings)
    if plan is not None:  # TELEGRAM_WEBHOOK_URL set: Telegram posts to us (bot/ops/webhook.py)
        run_webhook(app, plan, ALLOWED_UPDATES, bootstrap_retries=-1)
        return 0
    app.run_polling(allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False, bootstrap_retries=-1)
    return 0


def _now_or_exit(text: str | None) -> datetime | None:
    """``--now ISO`` (naive = Asia/Shanghai), or None for the real clock; a bad value exits with status 2."""
    if text is None:
        return None
    try:
        return parse_now(text)
    except ValueError:
        print(f"accbot: --now: not an ISO date or datetime: {text}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    now = _now_or_exit(args.now)
    configure_logging(_quiet(settings), settings.token)
    return _chat(settings, banner_key="chat.banner", user_id=args.user_id,
                 clock=ShiftedClock(now) if now else None)


def _chat(settings: Settings, *, banner_key: str, user_id: int, clock: Clock | None = None) -> int:
    from bot.app import build_application
    from bot.bootstrap import build_services
    from bot.infra.botapi_double import BotApiDouble
    from bot.terminal import TerminalChat

    services = build_services(settings, clock=clock)
    lang = settings.default_language
    chat = TerminalChat(lambda request: build_application(services, request=request), BotApiDouble(),
                        user_id=user_id, language_code="en" if lang == "en" else "zh-hans")
    banner = services.t(lang, banner_key, db=str(settings.database_path))
    asyncio.run(chat.run(banner=banner))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    now = _now_or_exit(args.now)
    configure_logging("WARNING", settings.token)
    from bot.bootstrap import build_services

    services = build_services(settings, clock=ManualClock(now) if now else None)
    questions = args.question or sys.stdin.read().splitlines()
    lang = args.lang or settings.default_language
    for question in questions:
        question = question.strip()
        if not question:
            continue
        reply = services.responder.respond(question, lang)
        if args.json:
            print(json.dumps({
                "question": question,
                "answer": reply.text,
                "sources": [{"id": s.id, "title": s.title, "citation": s.citation} for s in reply.sources],
                "score": reply.score,
                "topics": [str(t) for t in reply.extra.get("topics", [reply.extra.get("topic")]) if t],
            }, ensure_ascii=False))
        else:
            print(reply.text)
            for i, button in enumerate((b for row in reply.buttons for b in row), 1):
                print(f"  [{i}] {button.label}")
            print()
    return 0


def cmd_kb_check(args: argparse.Namespace) -> int:
    """One line per problem of the knowledge base against the year's policy; exit 1 when there is any."""
    from knowledge.check import check
    from knowledge.policy import policy_for

    policy = policy_for(args.year) if args.year else policy_for()
    problems = check(policy, args.root) if args.root else check(policy)
    for line in problems:
        print(line)
    if not problems:
        print("kb check: ok")
    years_ok = _check_years() == 0 if not args.root else True
    return 1 if problems or not years_ok else 0


def cmd_kb_misses(args: argparse.Namespace) -> int:
    """Unanswered questions grouped by normalised text: count, kinds, the best topic the search now finds."""
    settings = _settings_or_exit()
    configure_logging("WARNING", settings.token)
    from bot.bootstrap import build_services
    from bot.services.misses import misses

    services = build_services(settings)
    since = datetime.combine(args.since, time(0), settings.tz) if args.since else datetime(1970, 1, 1, tzinfo=UTC)

    async def collect() -> list[str]:
        await services.db.open()
        try:
            found = await misses(services.unanswered, services.kb, since)
        finally:
            await services.db.close()
        return [f"{m.count}\t{'/'.join(m.kinds)}\t{m.best_topic or '-'} ({m.verdict_now})\t{m.text}" for m in found]

    lines = asyncio.run(collect())
    print("\n".join(lines) if lines else "no misses")
    return 0


def cmd_when(args: argparse.Namespace) -> int:
    from bot.cli_when import run_when

    return run_when(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accbot", description="Shanxi accounting continuing-education bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve Telegram (or the terminal chat when no token is set)")
    run.add_argument("--user-id", type=int, default=10001, help="terminal chat only: your user id")
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal, no Telegram needed")
    chat.add_argument("--user-id", type=int, default=10001, help="the user id you chat as")
    chat.add_argument("--now", help="pretend the chat starts at this ISO date/time (Asia/Shanghai)")
    chat.set_defaults(func=cmd_chat)
    ask = sub.add_parser("ask", help="answer questions as the bot would (stdin: one per line)")
    ask.add_argument("question", nargs="*", help="each argument is one question (quote it if it has spaces)")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("--lang", choices=["zh", "en"])
    ask.add_argument("--now", help="answer as on this ISO date/time (Asia/Shanghai), e.g. 2027-01-05T10:00")
    ask.set_defaults(func=cmd_ask)
    kb = sub.add_parser("kb", help="knowledge-base maintenance").add_subparsers(dest="kb_command", required=True)
    kb_check = kb.add_parser("check", help="check answers, quotes, sources and phrasings against the policy")
    kb_check.add_argument("--year", type=int, help="policy year (default: the current one)")
    kb_check.add_argument("--root", type=Path, help="a knowledge directory to check instead of the shipped one")
    kb_check.set_defaults(func=cmd_kb_check)
    kb_misses = kb.add_parser("misses", help="unanswered questions grouped, with counts and the current best topic")
    kb_misses.add_argument("--since", type=date.fromisoformat, help="only questions since this date (YYYY-MM-DD)")
    kb_misses.set_defaults(func=cmd_kb_misses)
    when = sub.add_parser("when", help="resolve a time expression, e.g. accbot when 12月20日上午9点")
    when.add_argument("text", nargs="+", help="e.g. 12月20日上午9点, 下周五, tomorrow 9am")
    when.add_argument("--now", help="ISO datetime to parse against (naive = Asia/Shanghai); default: now")
    when.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the refusal line")
    when.set_defaults(func=cmd_when)
    add_ops_commands(sub, _settings_or_exit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Options may stand anywhere (``accbot when 明天 --now 2026-11-28``): each subcommand's own parser reads
    its arguments intermixed, so a question or a time phrase may come before or after ``--now``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in ("ask", "when", "chat"):
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub = subparsers.choices.get(argv[0])
        if sub is not None:
            args = sub.parse_intermixed_args(argv[1:])
            return int(args.func(args))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _check_years() -> int:
    """Load every year's policy and knowledge as the bot would (with KNOWLEDGE_DIRS); print a summary."""
    settings = _settings_or_exit()
    from knowledge import KnowledgeBase
    from knowledge.loader import KNOWLEDGE_DIR, load_files
    from knowledge.policy import load_policies, national_rule

    roots = (KNOWLEDGE_DIR, *settings.knowledge_dirs)
    try:
        policies = load_policies(roots)
        rule = national_rule()
        for policy in policies:
            files = load_files(policy, roots)
            if rule.quote not in files.sections[rule.source].text:
                raise ValueError(f"national.toml: quote is not verbatim in {rule.source}")
            KnowledgeBase.load(policy, roots)
            notice = policy.documents.notice
            print(f"{policy.year}: {notice.doc_no} issued {notice.issued}, deadline {policy.deadline}, "
                  f"{len(files.entries)} FAQ entries")
            if files.omitted:
                print(f"  left out for {policy.year} (they quote another year's notice; add {policy.year} "
                      f"wording in a faq file with year = {policy.year}): {', '.join(files.omitted)}")
    except (ValueError, OSError) as exc:
        print(f"accbot kb check: {exc}", file=sys.stderr)
        return 1
    print("ok")
    return 0
