"""The ``accbot`` command: run, chat, ask, when.

Settings problems end the program with one line naming the setting and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.infra.config import Settings, SettingsError, load_settings
from bot.infra.logsetup import configure_logging

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
    from bot.app import build_application
    from bot.bootstrap import build_services

    app = build_application(build_services(settings))
    log.info("connecting to Telegram%s", " via a custom Bot API address" if settings.telegram_base_url else "")
    app.run_polling(allowed_updates=["message", "callback_query"], drop_pending_updates=False)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    configure_logging(_quiet(settings), settings.token)
    return _chat(settings, banner_key="chat.banner", user_id=args.user_id)


def _chat(settings: Settings, *, banner_key: str, user_id: int) -> int:
    from bot.app import build_application
    from bot.bootstrap import build_services
    from bot.infra.botapi_double import BotApiDouble
    from bot.terminal import TerminalChat

    services = build_services(settings)
    lang = settings.default_language
    chat = TerminalChat(lambda request: build_application(services, request=request), BotApiDouble(),
                        user_id=user_id, language_code="en" if lang == "en" else "zh-hans")
    banner = services.t(lang, banner_key, db=str(settings.database_path))
    asyncio.run(chat.run(banner=banner))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    configure_logging("WARNING", settings.token)
    from bot.bootstrap import build_services

    services = build_services(settings)
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
    return 1 if problems else 0


def cmd_when(args: argparse.Namespace) -> int:
    from bot.cli_when import run_when

    return run_when(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accbot", description="Shanxi accounting continuing-education bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve Telegram (or the terminal chat when no token is set)")
    run.add_argument("--user-id", type=int, default=10001, help="terminal chat only: your user id")
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal, no Telegram needed")
    chat.add_argument("--user-id", type=int, default=10001, help="the user id you chat as")
    chat.set_defaults(func=cmd_chat)
    ask = sub.add_parser("ask", help="answer questions as the bot would (stdin: one per line)")
    ask.add_argument("question", nargs="*", help="each argument is one question (quote it if it has spaces)")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("--lang", choices=["zh", "en"])
    ask.set_defaults(func=cmd_ask)
    kb = sub.add_parser("kb", help="knowledge-base maintenance").add_subparsers(dest="kb_command", required=True)
    kb_check = kb.add_parser("check", help="check answers, quotes, sources and phrasings against the policy")
    kb_check.add_argument("--year", type=int, help="policy year (default: the current one)")
    kb_check.add_argument("--root", type=Path, help="a knowledge directory to check instead of the shipped one")
    kb_check.set_defaults(func=cmd_kb_check)
    when = sub.add_parser("when", help="resolve a time expression, e.g. accbot when 12月20日上午9点",
                          add_help=False)
    when.add_argument("rest", nargs=argparse.REMAINDER)
    when.set_defaults(func=cmd_when)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
