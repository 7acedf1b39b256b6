"""Turning text into weighted search features.

Why these layers (see shared/DESIGN.md): jieba alone splits 继续教育 and never relates 专业课 to 专业科目,
so text is first rewritten through a synonym table to canonical terms, then segmented by a jieba
instance that knows the domain words; character bigrams are added as a weaker feature so that typos
and words jieba does not know still overlap; English words are lower-cased and mapped to the same
Chinese canonical terms, so an English question meets the Chinese phrasings.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import cn2an
import Stemmer
from opencc import OpenCC
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

# jieba imports the deprecated pkg_resources (0.27 s, a sixth of the bot's start-up) only to locate its bundled
# dictionary, and falls back to a plain open() when that import fails. We never load the bundled dictionary
# (FREQUENT_WORDS below), so the import fails for jieba alone and is allowed again straight after.
_PKG_RESOURCES_LOADED = "pkg_resources" in sys.modules
if not _PKG_RESOURCES_LOADED:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba
finally:
    if not _PKG_RESOURCES_LOADED:
        del sys.modules["pkg_resources"]

BIGRAM_PREFIX = "~"
MEMO_SIZE = 8192  # entries in the analyzer's memos of jieba's blocks and of tokens (a few MB at most)
# How jieba splits a text into blocks it cuts one by one (jieba.Tokenizer.cut, accurate mode).
_JIEBA_BLOCK = jieba.re_han_default
BIGRAM_WEIGHT = 0.35
SINGLE_CHAR_WEIGHT = 0.3

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9.\-']*$")
_IS_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORD = re.compile(r"(?<![a-z0-9'])[a-z]+(?![a-z0-9])")
# Snowball's English (Porter2) stemmer, in C (PyStemmer: 1 ms to import, a fraction of a microsecond per word,
# with its own cache): people write "attended", "attending", "changed", "items" where the phrasings have "attend",
# "change", "item", and each unmatched form counted as a word the index has never seen.
_STEMMER = Stemmer.Stemmer("english")


_CN_DATE = re.compile(r"([一二三四五六七八九十]{1,3})(月|号|日|个工作日|学分|学时)")


def _cn_number(text: str) -> int:
    """Small Chinese numerals as int (十二 → 12) through cn2an, the numeral library the bot also uses (knowledge
    may not import the bot's parser, so it calls the library directly)."""
    return int(cn2an.cn2an(text, "smart"))


# jieba's words seen at least 100 times (scripts/jieba_frequent.py says why and how it is made): 0.1 s to load
# where the full dictionary took 0.8 s, and unseen questions are ranked as well.
FREQUENT_WORDS = Path(__file__).resolve().parent / "dict" / "jieba_frequent.txt"


@lru_cache(maxsize=4)
def _jieba(userdict: Path, extra_words: tuple[str, ...]) -> jieba.Tokenizer:
    """One initialised jieba tokenizer per dictionary set, shared by every KnowledgeBase in the process.

    A private ``Tokenizer`` on our frequent-word dictionary keeps our user words out of jieba's global instance
    that other code may use. jieba's prefix-table cache goes to a writable temp directory (the package
    directory may be read-only) and its chatty INFO logging is silenced.
    """
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(str(FREQUENT_WORDS))
    tokenizer.tmp_dir = tempfile.gettempdir()
    tokenizer.initialize()
    tokenizer.load_userdict(str(userdict))
    for word in extra_words:
        tokenizer.add_word(word, freq=2000)
    return tokenizer


# Zero-width spaces/joiners, direction marks, word joiners, the BOM and the soft hyphen: pasted text from
# web pages and chat apps carries them, and they would split words invisibly.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> tuple[OpenCC, frozenset[str]]:
    """OpenCC's Traditional → Simplified tables (pure Python, bundled data: works offline), and every character
    that a conversion can change.

    Most messages are Simplified already, and OpenCC builds a parse tree for each text whatever it holds (a
    third of cleaning and of building the index). A text with none of those characters converts to itself, so
    it is returned as it is. The set comes from the converter's own tables: the characters its character table
    rewrites, plus those a phrase key changes (沈 in 沈默 → 沉默). If the tables are not
    laid out as expected, the set is empty and every text is converted.
    """
    converter = OpenCC("t2s")
    converter.convert("")  # loads the tables
    changing: set[str] = set()
    try:
        for group in converter._dict_chain_data:
            for _, _, table in group:
                for key, value in table.items():
                    if len(key) != len(value):
                        changing.update(key)
                    else:
                        changing.update(k for k, v in zip(key, value, strict=True) if k != v)
    except (AttributeError, TypeError, ValueError):
        return converter, frozenset()
    return converter, frozenset(changing)


def _simplified(text: str) -> str:
    converter, changing = _t2s()
    if changing and changing.isdisjoint(text):
        return text
    return converter.convert(text)


# A year written with two digits ("24年的没学", "22年回来上班", "24、25年"), as people write it: 2010–2029, not a
# count of years ("做了10年", "近20年", "工作15年了", "12年多").
_SHORT_YEAR_LIST = re.compile(r"(?<![\d.])([12]\d)(?=\s*[、和到至~\-—]\s*[12]\d\s*年)")
_SHORT_YEAR = re.compile(r"(?<![\d.])(?<![做干了近这好几多满共每整第])([12]\d)(?=\s*年(?![了多以来前后间内\d]))")


def _full_years(text: str) -> str:
    return _SHORT_YEAR.sub(r"20\1", _SHORT_YEAR_LIST.sub(r"\1年", text)) if "年" in text else text


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """The first step for any user text: drop invisible characters, fold full-width forms (NFKC),
    write Traditional characters as Simplified and two-digit years in full ("24年" → "2024年": every reader of
    years then sees one form), collapse whitespace. Case and punctuation are kept, so callers that split on
    punctuation (several questions in one message) can still see it. Memoised: one message is cleaned by
    several readers (splitting, yes/no, personal facts, the search)."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _full_years(_SPACES.sub(" ", _simplified(text)).strip())


# Question shapes, read alike by the answer path (bot/parsing/questions.py) and by `accbot kb check` (a phrasing
# that carries a verdict must be a yes/no question to both). 几 asks only on its own: "前几年都学过了", "这几天" tell
# the story; so does 怎么 after 不/没 ("领导也不怎么管", "没怎么学": hardly, not how).
WH_ZH = re.compile(r"什么|多少|哪|(?<![前十好这那])几(?!年前|个月前|天前)|(?<![不没])怎么|怎样|如何|何时|啥|"
                   r"为什么|为啥|咋")
YESNO_ZH = re.compile(r"(吗|(?<![什怎那这多])么|嘛)\s*[?？]?\s*$|是否|能否|可否|是不是|能不能|可不可以|要不要|"
                      r"用不用|需不需要|会不会|有没有|算不算|行不行|认不认|必须.{0,6}[吗么]|对吗|对不对|[^\s]不\s*[?？]?$")
# An auxiliary opening a sentence or a clause: "Can I …", "I passed in 2025. Do I still …", "…, is that right?".
YESNO_EN = re.compile(r"(^|[,;.!?:]\s*|\s[-–—]\s*)(do|does|did|can|could|is|are|was|were|must|should|will|would|may|"
                      r"have|has|need)\b", re.IGNORECASE)
# The yes/no question as learners and machine translation write it, with no auxiliary in front: "Senior accountant
# also need CE?", "exempt from CE?", "study on the phone ok?": a last clause ending in "?" around one of these words.
YESNO_EN_BARE = re.compile(r"(?:^|[,;.!?:]\s*|\s[-–—]\s*)[^,;.!?:]*\b(can|could|need|needs|must|required|"
                           r"necessary|allowed|ok|okay|possible|counts?|valid|exempt(?:ed)?|enough|true|right|"
                           r"correct|mandatory|compulsory|obligatory)\b[^,;.!?:]*\?\s*$", re.IGNORECASE)
WH_EN = re.compile(r"\b(what|when|where|which|who|how|why)\b", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_yes_no(text: str) -> bool:
    """Whether ``text`` asks for a yes or a no ("能结转吗", "是否需要", "Can I …?"), not for a what/when/how."""
    body = clean(text).strip()
    if (YESNO_EN.search(body) or YESNO_EN_BARE.search(body)) and not _HAN.search(body):
        return not WH_EN.search(body)
    if not YESNO_ZH.search(body):
        return False
    # "怎么补学吗" is still a how-question; "是不是要多少学分" asks for a number.
    return not WH_ZH.search(YESNO_ZH.sub("", body))


def longest_first(words: Iterable[str]) -> str:
    """A regular expression for any of ``words`` that matches, at each position, the longest word there first (and
    a shorter one when what follows fails the longer), like an alternation of the words sorted longest first.

    The words are laid out as a trie (国家|国家会计 → 国家(?:会计)?): Python's ``re`` tries an alternation's branches
    one by one at every position of the text, so with the synonym table's ~2,900 variants as a plain alternation,
    rewriting a question's synonyms took a sixth of its search, and compiling the pattern a tenth of the start-up.
    In a trie each character is tried against the few that can follow the prefix read so far. Its branches at a
    node start with different characters, so at most one can match; a word ending at a node is the optional
    branch's empty choice, tried after every longer word through that node: longest first, as before."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        leaves = [re.escape(c) for c, child in node.items() if c and list(child) == [""]]
        branches = [re.escape(c) + pattern(child) for c, child in node.items() if c and list(child) != [""]]
        if leaves:
            branches.append(leaves[0] if len(leaves) == 1 else f"[{''.join(leaves)}]")
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie) if trie else "(?!)"


def _filler_pattern(fillers: list[str]) -> re.Pattern[str]:
    """Any of ``fillers`` (folded, longest first), an English one only as whole words.

    As two tries (:func:`longest_first`), English first: the same matches as the alternation of all of them
    longest first, since no filler of the other kind starts with an ASCII character (then, the alternation)."""
    english = [f for f in fillers if f.isascii()]
    others = [f for f in fillers if not f.isascii()]
    if any(f[0].isascii() for f in others):
        return re.compile("|".join(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])" if f.isascii() else re.escape(f)
                                   for f in fillers))
    return re.compile(rf"(?<![a-z0-9])(?:{longest_first(english)})(?![a-z0-9])|{longest_first(others)}")


class Analyzer:
    """Normalises text and produces a bag of weighted features (words + character bigrams)."""

    def __init__(
        self, userdict: Path, synonyms: Mapping[str, Iterable[str]], stopwords: Iterable[str],
        fillers: Iterable[str] = (),
    ) -> None:
        # Stop-words as written and as stemmed: English words are stemmed before they become features.
        stop = {w.lower() for w in stopwords}
        self._stop = frozenset(stop | {self.stem(w) for w in stop if w.isascii()})
        self._fillers = sorted({self._fold(f) for f in fillers if f.strip()}, key=len, reverse=True)
        self._filler_re = _filler_pattern(self._fillers) if self._fillers else None
        variants: dict[str, str] = {}
        canon_words: set[str] = set()
        for canonical, forms in synonyms.items():
            # A canonical may expand to several terms ("专业科目 公需科目"); pad with spaces so the
            # replacement never glues onto its neighbours.
            replacement = f" {canonical} "
            for part in canonical.split():
                canon_words.add(part)
                variants.setdefault(part.lower(), f" {part} ")
            for form in forms:
                variants[self._fold(form)] = replacement
        self._variants = variants
        # ASCII variants match whole words only; one pair of lookarounds around their group compiles far faster
        # than a pair per variant (start-up time). At each position the ASCII group is tried first, then the
        # others, each longest variant first (:func:`longest_first`).
        ascii_alts = longest_first(v for v in variants if v.isascii())
        cjk_alts = longest_first(v for v in variants if not v.isascii())
        self._synonym_re = re.compile(rf"(?<![a-z0-9])(?:{ascii_alts})(?![a-z0-9])|{cjk_alts}")
        self._tokenizer = _jieba(userdict.resolve(), tuple(sorted(w for w in canon_words if not w.isascii())))
        self._cut: dict[str, tuple[str, ...]] = {}  # block → its words (:meth:`tokens`)
        self._token_kinds: dict[str, tuple[str, float, bool]] = {}  # token → what it adds to a bag

    @staticmethod
    def _fold(text: str) -> str:
        """:func:`clean` plus lower case: 'ＫＪＺＸ', 'kjzx' and '會計之星'/'会计之星' are the same words."""
        return clean(text).lower()

    def strip_fillers(self, text: str) -> str:
        """Folded ``text`` without polite fillers ("请问", "老师您好", "thanks"): they carry no topic."""
        folded = self._fold(text)
        return self._filler_re.sub(" ", folded).strip() if self._filler_re else folded

    def normalize(self, text: str) -> str:
        """Clean, drop fillers, write 十二月/三十一号 as digits, rewrite synonyms (one longest-first pass)."""
        return self._synonyms(self._prepare(text))

    def _prepare(self, text: str) -> str:
        return _CN_DATE.sub(lambda m: f"{_cn_number(m.group(1))}{m.group(2)}", self.strip_fillers(text))

    def _synonyms(self, text: str) -> str:
        return self._synonym_re.sub(lambda m: self._variants[m.group(0)], text)

    @staticmethod
    def stem(word: str) -> str:
        """The English word's stem ("attended", "attending" → "attend"); other tokens (kjzx.cn, 2026) as they are."""
        return _STEMMER.stemWord(word) if word.isalpha() and word.isascii() else word

    def english_words(self) -> set[str]:
        """Every English word the analyzer knows: of its variants and canonical terms, stop-words and fillers."""
        texts = [*self._variants, *self._stop, *self._fillers]
        return {w for text in texts for w in _ENGLISH_WORD.findall(text.lower())}

    def words(self) -> set[str]:
        """The Chinese words this analyzer knows as domain words: its canonical terms and their variants."""
        return {v.strip() for v in self._variants} | {c.strip() for c in self._variants.values()}

    def tokens(self, normalized: str) -> list[str]:
        """jieba's segmentation of normalised text (no HMM: unknown words fall apart into characters).

        jieba cuts a text block by block (runs of CJK, letters and digits, split at punctuation and spaces) and
        each block on its own, so a block's words are kept: one message is read as a whole, part by part and each
        part after the earlier ones ("面授培训报名,学分怎么登记"), which cuts the same clauses again and again."""
        words: list[str] = []
        cut = self._cut
        for block in _JIEBA_BLOCK.split(normalized):
            if block:
                known = cut.get(block)
                if known is None:
                    known = tuple(self._tokenizer.cut(block, HMM=False))
                    if len(cut) >= MEMO_SIZE:
                        cut.clear()
                    cut[block] = known
                words.extend(known)
        return words

    def clear_memo(self) -> None:
        """Forget the blocks already cut (benchmarks measure the cutting itself)."""
        self._cut.clear()

    def _token_kind(self, raw: str) -> tuple[str, float, bool]:
        """What a token adds to a bag: (feature, weight, whether it is CJK and so extends a run of bigrams); an
        empty feature adds nothing (a stop-word, punctuation, a lone letter), and only a CJK token keeps a run."""
        token = raw.strip()
        if not token or token in self._stop:
            return "", 0.0, False
        if _IS_CJK.search(token):
            return token, SINGLE_CHAR_WEIGHT if len(token) == 1 else 1.0, True
        if _ASCII_WORD.match(token):
            word = self.stem(token.strip(".-'"))
            if word and word not in self._stop and not (len(word) == 1 and word.isalpha()):
                return word, 1.0, False
        return "", 0.0, False

    def is_word(self, text: str) -> bool:
        """Whether jieba's dictionary (or ours) has ``text`` as a word."""
        return self._tokenizer.FREQ.get(text, 0) > 0

    def frequency(self, char: str) -> int:
        return self._tokenizer.FREQ.get(char, 0)

    def features(self, text: str, homophones: Homophones | None = None,
                 spelling: Misspellings | None = None) -> Counter[str]:
        """Weighted features: canonical words (1.0), single CJK chars (0.3), bigrams within non-stop runs.

        With ``homophones``, a word typed with a homophone of a domain word is read as that word first; with
        ``spelling``, an English word typed with a slip ("credts") as the word it is a slip of.
        """
        if homophones is None and spelling is None:
            normalized = self.normalize(text)
        else:  # before the synonyms, which would split 专叶科目 into 专叶 + 科目
            folded = self._prepare(text)
            if spelling is not None:
                folded = spelling.respell(folded)
            respelled = homophones.respell(self.tokens(folded)) if homophones is not None else None
            normalized = self._synonyms(folded if respelled is None else respelled)
        tokens = self.tokens(normalized)
        bag: Counter[str] = Counter()
        run: list[str] = []  # consecutive non-stop CJK tokens: bigrams never span a stop-word
        runs: list[str] = []
        kinds = self._token_kinds
        for raw in tokens:
            kind = kinds.get(raw)
            if kind is None:
                kind = self._token_kind(raw)
                if len(kinds) < MEMO_SIZE:
                    kinds[raw] = kind
            feature, weight, cjk = kind
            if not cjk and run:
                runs.append("".join(run))
                run = []
            if cjk:
                run.append(feature)
            if feature:
                bag[feature] += weight
        if run:
            runs.append("".join(run))
        for chunk in runs:
            for piece in _CJK_RUN.findall(chunk):
                for i in range(len(piece) - 1):
                    bag[BIGRAM_PREFIX + piece[i : i + 2]] += BIGRAM_WEIGHT
        return bag


class Misspellings:
    """Reads an English word typed with one slip ("credts", "contineuing", "yaer", "pasword") as the word of the
    index it is one edit from.

    English typos are mostly a dropped, doubled, swapped or wrong letter. A word the index and the dictionaries
    already know is never changed; an unknown word becomes the nearest known word when that is one edit away
    (Damerau–Levenshtein, through rapidfuzz), two for words of eleven letters or more; a four-letter word only
    by swapping two neighbours ("yaer"). Shorter words, and words with nothing that near, stay as typed, and
    the first letter is trusted (slips rarely hit it). Only the question is respelled, never a phrasing.
    """

    MIN_LENGTH = 4
    LONG = 11

    def __init__(self, known: Iterable[str], targets: Iterable[str], stem: Callable[[str], str] = str) -> None:
        self._known = frozenset(known)
        self._stem = stem  # a word whose stem is known is known ("remembered" when the index has "remember")
        # By first letter, which slips rarely hit: a look-up compares a word with one bucket, not the vocabulary.
        self._targets: dict[str, list[str]] = defaultdict(list)
        for target in sorted({t for t in targets if len(t) >= self.MIN_LENGTH and t.isalpha() and t.isascii()}):
            self._targets[target[0]].append(target)
        self._memo: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """``word`` or the known word it is a slip of."""
        if len(word) < self.MIN_LENGTH or word in self._known or not word.isalpha() or self._stem(word) in self._known:
            return word
        fixed = self._memo.get(word)
        if fixed is None:
            fixed = self._nearest(word)
            if len(self._memo) < 4096:
                self._memo[word] = fixed
        return fixed

    def _nearest(self, word: str) -> str:
        limit = 2 if len(word) >= self.LONG else 1
        found = process.extractOne(word, self._targets.get(word[0], ()), scorer=DamerauLevenshtein.distance,
                                   score_cutoff=limit)
        if found is None:
            return word
        target = found[0]
        if len(word) == self.MIN_LENGTH and sorted(word) != sorted(target):
            return word  # a four-letter word differs by a swap, or it is another word ("fees"/"feet")
        return target

    def respell(self, folded: str) -> str:
        """Folded (lower-case) text with each unknown English word read as the known word it is a slip of."""
        return _ENGLISH_WORD.sub(lambda m: self.correct(m.group(0)), folded)


# Fuzzy pinyin, as Chinese input methods offer it: zh/ch/sh typed as z/c/s and -ng as -n are the usual slips
# (and the usual dialect mergers), so 会计之心 (xin) still sounds like 会计之星 (xing).
_FUZZY = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"ng$"), "n"))


@lru_cache(maxsize=8192)
def _syllable(char: str) -> str:
    """The toneless, fuzzy pinyin of one character (its most common reading); the character itself if it has none.

    pypinyin's phrase table (for polyphones in context) costs ~0.25 s and ~45 MB to load and a typo has no
    reliable context anyway, so it is switched off through the variables pypinyin documents for that.
    """
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, lazy_pinyin

    syllable = lazy_pinyin(char, style=Style.NORMAL)[0]
    for pattern, repl in _FUZZY:
        syllable = pattern.sub(repl, syllable)
    return syllable


class _CharsBySound:
    """``char in this``: whether the character's fuzzy pinyin is one of ``sounds`` (memoised per character)."""

    def __init__(self, sounds: set[str]) -> None:
        self._sounds = sounds

    def __contains__(self, char: object) -> bool:
        return isinstance(char, str) and bool(_CJK_RUN.fullmatch(char)) and _syllable(char) in self._sounds


class Homophones:
    """Reads a word typed with a homophone (学份, 会计之心, 信息彩集, 报明) as the domain word it sounds like.

    Chinese typing slips are mostly homophones: the input method offers the wrong character for the right
    sound. A few are listed as synonyms, but no list covers them all. Here every domain word (the analyzer's
    terms and variants, and the words of the FAQ) is indexed by its fuzzy pinyin; a stretch of the question
    that jieba could not read as words (it fell apart into single characters), that no dictionary knows, and
    that sounds like exactly one domain word is replaced by it. Guards, measured on the folds (no curated
    phrasing is changed by them): the stretch starts and ends on jieba's token boundaries and holds a
    single-character token, it differs from the domain word in one character (two in words of four or more),
    and the differing characters are not function words (不, 一, 了 …: far more frequent than any typo; 登录不上
    must not become 登录补上).
    """

    MAX_TOKENS = 4
    FUNCTION_FREQUENCY = 100_000  # jieba frequency of 不/一/了/上…; 会 (92k) and every content character are below

    def __init__(self, analyzer: Analyzer, words: Iterable[str]) -> None:
        self._analyzer = analyzer
        self._known: set[str] = set()
        keyed: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for word in words:
            if 2 <= len(word) <= 8 and _CJK_RUN.fullmatch(word):
                self._known.add(word)
                keyed[tuple(_syllable(c) for c in word)].add(word)
        # A sound shared by two domain words names neither, unless both are one term (截止/截至).
        self._by_sound = {sound: min(ws) for sound, ws in keyed.items()
                          if len(ws) == 1 or len({analyzer.normalize(w).strip() for w in ws}) == 1}
        self._lengths = {len(sound) for sound in self._by_sound}
        self._first_sounds = {sound[0] for sound in self._by_sound}
        # Every character that sounds like some character of a domain word: a slip is one of them.
        sounds = {syllable for sound in self._by_sound for syllable in sound}
        self._sounds_of_chars = _CharsBySound(sounds)

    def respell(self, tokens: list[str]) -> str | None:
        """The text of ``tokens`` with homophone slips replaced, or ``None`` when nothing was replaced."""
        if not any(len(t) == 1 and t in self._sounds_of_chars for t in tokens):
            return None  # no single character a domain word could be hiding behind
        out: list[str] = []
        changed = False
        i = 0
        while i < len(tokens):
            found = self._match(tokens, i)
            if found is None:
                out.append(tokens[i])
                i += 1
            else:
                word, used = found
                out.append(word)
                i += used
                changed = True
        return "".join(out) if changed else None

    def _match(self, tokens: list[str], start: int) -> tuple[str, int] | None:
        first = tokens[start][:1]
        if not _CJK_RUN.match(first) or _syllable(first) not in self._first_sounds:
            return None  # every stretch from here starts with this character: none can sound like a domain word
        for used in range(min(self.MAX_TOKENS, len(tokens) - start), 1, -1):
            part = tokens[start : start + used]
            if all(len(t) > 1 for t in part):
                continue
            stretch = "".join(part)
            if len(stretch) not in self._lengths or not _CJK_RUN.fullmatch(stretch):
                continue
            word = self._by_sound.get(tuple(_syllable(c) for c in stretch))
            if word is None or stretch in self._known or self._analyzer.is_word(stretch):
                continue
            differ = [b for a, b in zip(word, stretch, strict=True) if a != b]
            if len(differ) > (1 if len(word) <= 3 else 2):
                continue
            if any(self._analyzer.frequency(c) >= self.FUNCTION_FREQUENCY for c in differ):
                continue
            return word, used
        return None
