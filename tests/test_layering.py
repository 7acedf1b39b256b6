"""The architecture as a test: imports point down only, so each room can be read and tested on its own.

Rooms from the bottom up: ``knowledge`` (data and search; imports nothing of ours), then inside ``bot``:
``domain`` < ``parsing`` < ``answers`` < ``storage`` < ``services`` < ``engines`` < the composition root
(``app``, ``cli``, ``bootstrap``, ``terminal``, ``cli_when``, ``__main__``). ``infra`` (settings, logging, the
Bot API double) holds no rules and imports only itself. ``handlers`` sit on top, imported only by the
composition root's ``app``, ``cli`` and ``__main__``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RANK = {"domain": 1, "parsing": 2, "answers": 3, "storage": 4, "services": 5, "engines": 6}
TOP = 7
MAY_IMPORT_HANDLERS = {"bot/app.py", "bot/cli.py", "bot/__main__.py"}


def _modules(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _room(module: str) -> str | None:
    """``bot.domain.credits`` → ``domain``; top-level ``bot`` modules → ``top``; not ours → None."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) == 1:
        return None
    if parts[1] in RANK or parts[1] == "infra":
        return parts[1]
    return "top"


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_knowledge_imports_nothing_of_the_bot() -> None:
    bad = [f"{_rel(p)} imports {m}" for p in _modules("knowledge") for m in _imports(p)
           if m.split(".")[0] in ("bot", "handlers", "telegram")]
    assert not bad, bad


def test_only_the_composition_root_imports_handlers() -> None:
    bad = [f"{_rel(p)} imports {m}" for p in _modules("bot") for m in _imports(p)
           if m.split(".")[0] == "handlers" and _rel(p) not in MAY_IMPORT_HANDLERS]
    assert not bad, bad


def test_rooms_import_downwards_only() -> None:
    bad = []
    for path in _modules("bot"):
        rel = path.relative_to(ROOT / "bot").parts
        own = rel[0] if len(rel) > 1 else "top"
        for module in _imports(path):
            target = _room(module)
            if target is None or target == own:
                continue
            if own == "infra" or (target != "infra" and RANK.get(target, TOP) > RANK.get(own, TOP)):
                bad.append(f"{_rel(path)} ({own}) imports {module} ({target})")
    assert not bad, "\n".join(bad)


def test_domain_and_knowledge_know_nothing_of_telegram() -> None:
    bad = [f"{_rel(p)} imports {m}" for p in [*_modules("bot/domain"), *_modules("knowledge")]
           for m in _imports(p) if m.split(".")[0] == "telegram"]
    assert not bad, bad


def test_no_private_telegram_imports() -> None:
    bad = [f"{_rel(p)} imports {m}" for p in _modules("bot", "handlers", "tests", "bench") for m in _imports(p)
           if m.startswith("telegram._")]
    assert not bad, bad


def test_few_modules_sit_directly_in_bot() -> None:
    flat = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(flat) <= 8, flat
