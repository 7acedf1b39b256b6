"""Message catalogs: every user-visible string goes through here.

Catalogs are gettext ``.po`` files under ``locale/<locale>/LC_MESSAGES/``, one file per feature so that
features own their text. Message ids are stable keys (``start.welcome``); both languages translate them,
and placeholders use ``str.format`` names. Babel reads the catalogs once at start-up.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "zh"
LANGUAGES: dict[str, str] = {"zh": "zh_CN", "en": "en"}


def _locale_root() -> Path:
    """The catalogs in a checkout (``locale/``) or as installed (package ``accbot_locale``)."""
    checkout = Path(__file__).resolve().parents[2] / "locale"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("accbot_locale")  # a namespace package: no importlib.resources here
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("message catalogs not found: neither locale/ nor the accbot_locale package")
    return Path(next(iter(spec.submodule_search_locations)))


def normalize_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map a Telegram ``language_code`` (``en-US``, ``zh-hans``) to a supported language."""
    if not code:
        return default
    head = code.lower().replace("_", "-").split("-")[0]
    return head if head in LANGUAGES else default


_TAG = re.compile(r"</?[A-Za-z][^<>]{0,20}>")


def text_language(text: str) -> str | None:
    """``en`` for a message written in Latin letters only, ``zh`` when it has Chinese; else ``None``.

    An accountant whose Telegram is set to Chinese may still ask in English and expects English back.
    """
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "zh"
    text = _TAG.sub(" ", text)  # "<b>x</b>" is not English: tag names are not words the user wrote
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return "en" if letters >= 3 else None


class Translator:
    def __init__(self, root: Path | None = None) -> None:
        root = root or _locale_root()
        self._messages: dict[str, dict[str, str]] = {}
        for lang, folder in LANGUAGES.items():
            table: dict[str, str] = {}
            for po in sorted((root / folder / "LC_MESSAGES").glob("*.po")):
                with po.open("rb") as fh:
                    catalog = read_po(fh)
                for msg in catalog:
                    if msg.id and msg.string:
                        if msg.id in table:
                            raise ValueError(f"message id {msg.id!r} defined twice ({po.name})")
                        table[str(msg.id)] = str(msg.string)
            self._messages[lang] = table

    def has(self, key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
        return key in self._messages.get(lang, {})

    def keys(self, lang: str) -> Iterable[str]:
        return self._messages[lang].keys()

    def __call__(self, lang: str, key: str, /, **kwargs: object) -> str:
        """Translate ``key`` into ``lang``; falls back to Chinese, then to the key itself."""
        text = self._messages.get(lang, {}).get(key) or self._messages[DEFAULT_LANGUAGE].get(key) or key
        return text.format(**kwargs) if kwargs else text


@lru_cache(maxsize=1)
def translator() -> Translator:
    return Translator()
