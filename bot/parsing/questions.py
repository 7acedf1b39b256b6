"""Reading the shape of a question: several questions in one message, yes/no questions, the personal facts
that turn "do I need to study?" into a question about one person, and follow-ups ("那专业课呢") that lean on
the question before them.

Pure functions over cleaned text (Traditional → Simplified, full-width folded: :func:`knowledge.text.clean`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.parsing.claims import RELATIVE_EN, claimed_requirement
from knowledge.text import WH_EN as _WH_EN
from knowledge.text import WH_ZH as _WH_ZH
from knowledge.text import YESNO_EN as _YESNO_EN
from knowledge.text import YESNO_ZH as _YESNO_ZH
from knowledge.text import clean
from knowledge.text import is_yes_no as is_yes_no  # re-exported: the answer path reads question shapes here

MAX_PARTS = 3

# Sentence ends that separate questions. A comma does only when every piece it separates is itself a question
# ("专业课最少多少，公需课最少多少"): "我2019年考过中级，今年还要学吗" is one question with its context.
_SPLIT = re.compile(r"(?<=[?!;。？！；])|\n")
_COMMA = re.compile(r"(?<=[,，])|(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_AND_EN = re.compile(r",?\s+and\s+(?:also\s+|(?=(?:can|could|do|does|is|are|will|what|when|where|how|which|who|should|"
                     r"must)\b))", re.IGNORECASE)
_CONTENT = re.compile(r"[\u4e00-\u9fff]{2,}|[a-zA-Z]{3,}")

_CJK = re.compile(r"[\u4e00-\u9fff]")


# Greetings get the short "what I can answer" hint instead of a clause; matched on the whole message so
# "你好，补学什么时候" is still answered.
_GREETING = re.compile(
    r"^\s*((老师)?(你好|您好)(老师)?|(各位)?老师们?好|大家好|hello|hi|hey|嗨|哈喽|在吗|在不在|早上好|晚上好|下午好|"
    r"good (morning|afternoon|evening)|"
    # "你能干什么", "what can you do": what the bot answers, which the greeting says.
    r"(你|您|机器人|这个机器人)(能|会|可以)(干|做|回答|帮我?)(什么|啥|哪些)(问题)?|你是谁|你是什么|帮助|"
    r"what can you do|who are you|what do you (do|answer)|help)"
    r"[\s!！。.,，~～?？呀啊呢]*$",
    re.IGNORECASE,
)

# "谢谢", "好的，明白了", "thanks": the conversation's manners, not a question.
_ACK = (r"(谢谢|多谢|感谢|谢了|谢啦|thx|thanks?( you)?( very much| a lot)?|ok|okay|好的|好|行|算了|明白了?|知道了|懂了|"
        r"收到|了解了?)")
_ACK_TAIL = rf"({_ACK[1:-1]}|老师|您|你|啦|了)"
_SEP = r"[\s,，!！。.~～呀啊哈吧]*"
_THANKS = re.compile(rf"^\s*{_ACK}({_SEP}{_ACK_TAIL})*{_SEP}$", re.IGNORECASE)


def is_greeting(text: str) -> bool:
    """A whole message that only greets or asks what the bot does."""
    return bool(_GREETING.match(text))


def is_thanks(text: str) -> bool:
    """A whole message that only thanks or acknowledges."""
    return bool(_THANKS.match(text))


def split_questions(text: str) -> list[str]:
    """The questions in ``text``, in order: split at sentence ends, line breaks, numbered items ("1." "2、" "一、"
    "①") and words that start another question ("另外", "还有", "顺便问一下", "and also"); fragments without
    content dropped, a piece that asks nothing joined to the question it tells about. All of them: the caller
    answers the first :data:`MAX_PARTS` and says what it left.

    A single question comes back as one part (unchanged but cleaned), so callers can treat every message
    alike.
    """
    # Circled numbers are always list items; NFKC would fold them into bare digits glued to the text.
    text = _CIRCLED.sub(lambda m: f" ({_circled_number(m.group())}) ", text)
    cleaned = "\n".join(clean(line) for line in text.splitlines())
    items = _items(cleaned)
    if items is not None:  # "1. … 2. …": each item is a question the asker numbered, whatever its form
        lead, items = items
        parts = [_unlinked(p) for p in items]
        if lead and _CONTENT.search(lead) and not _ANNOUNCED.fullmatch(lead):
            parts[0] = f"{lead},{parts[0]}"
    else:
        parts = [_unlinked(p.strip(" ,，、").rstrip(";；").strip(" ,，、")) for p in _SPLIT.split(cleaned)]
        parts = [p for p in parts if _CONTENT.search(p)]
        # "老师好\n我去年考的初级\n今年要学吗": a greeting line is neither a question nor context.
        parts = [p for p in parts if not (is_greeting(p) or is_thanks(p))] or parts
        parts = _with_context(parts, marked=True) or parts  # no sentence asks: each is read on its own, as before
        # "How many credits a year, and also where do I pay? …": one sentence may hold several questions.
        parts = [clause for sentence in parts for clause in _clauses(sentence)]
    # "老师您好！…吗？谢谢": the greeting and the thanks around a question are not questions of their own.
    asked = [p for p in parts if not (is_greeting(p) or is_thanks(p))]
    parts = asked or parts
    return parts if parts else [clean(text)]


_CIRCLED = re.compile("[\u2460-\u2473\u2776-\u277f\u2780-\u2793]")


def _circled_number(char: str) -> int:
    code = ord(char)
    for first in (0x278A, 0x2780, 0x2776, 0x2460):  # ➊ ➀ ❶ ①
        if code >= first:
            return code - first + 1
    return 0


_NUMERALS = "一二三四五六七八九十"
# A numbered item's marker: "1." "2、" "3)" "(4)" "五、" at the start or after a sentence end or a space (not
# "1.5学分", not "第1、2年").
_ITEM = re.compile(r"(?:^|(?<=[\s,，;；:：。?？!！]))(?:\(([1-9]|1\d|20|[一二三四五六七八九十])\)|"
                   r"([1-9]|1\d|20|[一二三四五六七八九十])[.、)])(?!\d)\s*")


# A lead-in that only says questions follow ("想问三个问题", "two things", "几个问题请教一下"): not context.
_ANNOUNCED = re.compile(r"(?:老师|您好|你好|请问|我?想|问|请教|咨询|一下|[,，\s])*(?:以下|下面|如下)?"
                        r"(?:[一两二三四五六七八九几\d]+个)?(?:问题|事情?)(?:请教|咨询|想问|问一下|一下)*|"
                        r"(?:i have |a few |some |two |three |\d )*(?:things|questions)(?: please)?", re.IGNORECASE)


def _items(text: str) -> tuple[str, list[str]] | None:
    """(lead-in, items) of a numbered list ("想问三个问题:1、… 2、… 3、…"), or ``None`` when the markers are not
    1, 2, 3 … in order (a lone "1." is not a list)."""
    marks = list(_ITEM.finditer(text))
    numbers = [_number(m.group(1) or m.group(2)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    items = [text[m.end():end].strip(" ,，、;；\n") for m, end in zip(marks, ends, strict=True)]
    if not all(_CONTENT.search(item) for item in items):
        return None
    return text[:marks[0].start()].strip(" ,，、;；:：\n"), items


def without_item_marker(text: str) -> str:
    """``text`` without a list item's number in front ("2. 学分不对找谁" sent on its own, as the reply to a numbered
    list asks): the number is no part of the question."""
    marker = _ITEM.match(text.strip())
    rest = text.strip()[marker.end():] if marker else text
    return rest if marker and _CONTENT.search(rest) else text


def _number(mark: str) -> int:
    return int(mark) if mark.isdigit() else _NUMERALS.index(mark) + 1


# Words that open another question in the same message; they say nothing of what it asks about.
_LINK_ZH = (r"(?:还有(?![没吗么啥什多哪几谁人\d])|另外|此外|再就是|顺便(?:再)?问(?:一?下|问)?|再问(?:一?下)?|"
            r"还想问(?:一?下)?)")
_LINK_EN = r"(?:and also|also|plus|and|by the way|btw)"
# "…也要学吗还有要学多少分": a question particle, then a word opening the next question, is a clause end.
_LINK_MID = re.compile(rf"(?<=[吗呢么嘛])(?={_LINK_ZH})")
_LEADING_LINK = re.compile(rf"^(?:{_LINK_ZH}|{_LINK_EN}\b)[\s,，:：]*", re.IGNORECASE)


def _unlinked(part: str) -> str:
    """``part`` without the word that linked it to the question before ("另外注册会计师的…" → "注册会计师的…")."""
    rest = _LEADING_LINK.sub("", part, count=1)
    return rest if _CONTENT.search(rest) else part


def _clauses(sentence: str) -> list[str]:
    """One sentence holding several questions between commas ("会计之星网址是什么，怎么缴费"), spaces ("学分怎么查询
    学分不对找谁"), a word opening another question ("…要学吗还有要学多少分") or joined by "and" ("How many credits
    … and can they be carried over?"). A piece that asks nothing is context for the question after it
    ("我今年考过中级了，今年还要学吗，考试能抵学分吗" → two questions, the first with its context)."""
    marked = _LINK_MID.sub(",", _AND_EN.sub(",", sentence))
    pieces = [_unlinked(p.strip(" ,，、")) for p in _COMMA.split(marked)]
    parts = _with_context([p for p in pieces if _CONTENT.search(p)])
    return parts if len(parts) > 1 else [sentence]


def _with_context(pieces: list[str], *, marked: bool = False) -> list[str]:
    """Pieces that ask nothing joined to the question after them (or, at the end, before them): "我去年从北京调到
    山西。北京学的学分山西认吗？" is one question with its context, not a statement answered on its own. Empty
    when no piece asks anything. ``marked``: a sentence ending in a question mark asks (a comma's piece never
    carries one but the last). A tag after a question ("有没有规定", "是真的吗") is context, not a question."""
    parts: list[str] = []
    context: list[str] = []
    for piece in pieces:
        context.append(piece)
        if parts and _TAG.match(piece):  # "…能补吗，有没有规定": checks the question before it
            continue
        if _ANYONE.match(piece.strip()):  # "有没有大佬知道，…", "…，有懂的吗": a call for help, not a question
            continue
        if _asks_apart(piece.rstrip("?？!！。.;；")) or (marked and piece.endswith(("?", "？"))):
            parts.append(",".join(context))
            context = []
    if context and parts:
        parts[-1] = ",".join([parts[-1], *context])
    return parts


# What is left of an earlier question once its asking words are gone is what it is about ("面授培训在哪里报名" →
# "面授培训报名"); a later part without a subject of its own ("学分怎么登记") leans on that.
_ASKING_ZH = re.compile(rf"什么时候|啥时候|[在去到从]?哪(?:里|儿|个|些)?|多久|多长时间|怎么样|{_WH_ZH.pattern}|"
                        rf"请问|想问一?下|问一下|{_YESNO_ZH.pattern}|[吗么嘛呢吧啊呀]")
_ASKING_EN = re.compile(r"\b(?:what|when|where|which|who|whom|how|why|many|much|do|does|did|can|could|is|are|was|were|"
                        r"will|would|should|may|i|we|you|my|me|it|they|them|the|a|an)\b", re.IGNORECASE)


def context_terms(question: str) -> str:
    """The matter of ``question`` without its asking words ("今年继续教育什么时候截止" → "今年继续教育截止",
    "How many credits do I need?" → "credits need"): context for a later question of the same message."""
    body = clean(question)
    body = _ASKING_ZH.sub("", body) if _CJK.search(body) else _ASKING_EN.sub(" ", body)
    words = re.findall(r"[\u4e00-\u9fff\w]+", body)
    return (" " if body.isascii() else "").join(w for w in words if _CONTENT.search(w) or w.isdigit())


# Words that say how a question is asked, not what about ("一般要多久" → nothing left).
_FILLER = re.compile(r"一般|大概|大约|通常|要|能|可以|还|也|都|就|得|的|了|在|去|到|有|是|这个|那个|这|那|"
                     r"\b(?:need|have|has|there|any|still|also|usually|get|go|to|for|of|in|on|at|with)\b",
                     re.IGNORECASE)


def is_thin(question: str) -> bool:
    """Whether ``question`` names (next to) nothing of what it asks about ("在哪里改？", "一般要多久？", "Where?"):
    its subject was said before it."""
    rest = _FILLER.sub(" ", context_terms(question))
    return len(_CJK.findall(rest)) < 2 and len(re.findall(r"[a-zA-Z]{3,}", rest)) < 1


OUR_MATTER = "继续教育"
_OURS = re.compile(r"继续教育|继教|学分|学时|会计之星|补学|面授|continuing education|further education|credit",
                   re.IGNORECASE)


def names_our_matter(text: str) -> bool:
    """Whether ``text`` names continuing education or its credits (a part of a message that does not may still be
    asked about it, when the rest of the message does)."""
    return bool(_OURS.search(clean(text)))


_SHORTFALL = re.compile(r"不够|不足|没学够|没修够|没达标|不达标|还差|差多少|差几|缺多少|缺几|"
                        r"[差缺][\d一两二三四五六七八九十]|not enough|short",
                        re.IGNORECASE)


def speaks_of_shortfall(part: str) -> bool:
    """Whether a part of a message is about credits falling short ("学分不够怎么办"): next to a statement of the
    sender's figures, the question those figures answer."""
    return bool(_SHORTFALL.search(clean(part)))


def earlier_matter(earlier: list[str]) -> str:
    """What the questions before a part of a message are about, for reading a part that leans on them:
    "面授培训在哪里报名？学分怎么登记？" → "面授培训报名" for the second part."""
    return ",".join(t for t in (context_terms(q) for q in earlier) if t)


def is_question(clause: str) -> bool:
    """Whether one clause asks something (a what/how word or a yes/no form), as :func:`asking_clause` reads it."""
    return _asks(clean(clause).strip())


def _asks_apart(text: str) -> bool:
    """Whether a piece of a message is a question of its own: as :func:`_asks`, and "找谁", "要多久" (who and how
    long ask too, though they do not make a clause the asked one of a single question)."""
    return _asks(text) or bool(_CJK.search(text) and _WHO_LONG.search(text))


_WHO_LONG = re.compile(r"谁|多久|多长时间")


def _asks(text: str) -> bool:
    """Whether a piece of a sentence is a question of its own (a what/how word, or a yes/no form)."""
    if _CJK.search(text):
        return bool(_WH_ZH.search(text) or _YESNO_ZH.search(text) or re.search(r"[呢吗么嘛]$", text))
    return bool(_WH_EN.match(text) or _YESNO_EN.match(text))


# Clause ends inside one message: Chinese punctuation anywhere, an English full stop only between sentences.
_CLAUSE_END = re.compile(r"([,，;；。！!？?\n]+|(?<=[a-z0-9)])\.\s+)", re.IGNORECASE)


# A tag that checks the question before it rather than asking one: is there a rule on it, is it true.
_TAG = re.compile(r"^(?:这|这个|那)?(?:有没有|有无|是否有|有)(?:这个|这种|这样的|相关|什么|啥|明确)?(?:的)?"
                  r"(?:规定|要求|说法|文件|依据)(?:吗|呢|没有)?[?？]?$|^(?:这|这个|这话)?(?:是真的吗|真的吗|真的假的|是真是假|是不是真的|对吗|对不对|对么|是吗|"
                  r"是这样吗|靠谱吗|准吗)[?？]?$")


# A call for anyone who knows ("有没有大佬知道", "群里有人知道吗", "有懂的吗", "家人们谁懂啊"): how forum and chat-group
# posts open or close a question. It names no subject: neither a question of its own nor the asked clause.
_ANYONE = re.compile(r"^(?:请问|想问问?|各位|大家|群里|这里|家人们|姐妹们|宝子们|朋友们)?[,，\s]*(?:有没有|有|请)?"
                     r"(?:谁|哪位|人|大佬|大神|朋友|前辈|同行|懂的|知道的|了解的|清楚的|懂行的)(?:们|人)?"
                     r"(?:知道|懂|了解|清楚|晓得|明白|说说|说一下|讲讲|解答一下)?(?:的)?(?:吗|啊|呀|么|嘛|不|没)?"
                     r"[?？!！~～]*$|^(?:大家|各位)(?:知道|懂|了解|清楚)(?:吗|不|么)?[?？]*$")


@lru_cache(maxsize=4096)
def asking_clause(text: str) -> tuple[str, str]:
    """(context, asked): the clause that carries the question and everything else the message says.

    Accountants on forums write their situation first and the question last ("我是太原一家小公司的会计，去年刚
    考过初级，…，请问应该去哪里报名啊？"). The asked clause is the last one with a question word, a yes/no form
    or a question mark; a message without any is all asked (a statement, or a question without marks). Memoised:
    one message is read for its asked clause a dozen times (time, credit and conversion readings, the emphasis).
    """
    cleaned = clean(text).strip()
    bits = _CLAUSE_END.split(cleaned)
    pieces: list[tuple[str, bool]] = []  # (clause, ended with a question mark)
    for i in range(0, len(bits), 2):
        piece = bits[i].strip()
        if _CONTENT.search(piece):
            pieces.append((piece, "?" in (bits[i + 1] if i + 1 < len(bits) else "") or "？" in piece))
    asking = [i for i, (piece, marked) in enumerate(pieces) if (marked or _asks(piece)) and not _ANYONE.match(piece)]
    # A tag after the question ("…，单位能不能给我安排时间学，有没有规定", "…能补吗，是真的吗") asks nothing of its
    # own: the question before it is the asked clause.
    while len(asking) > 1 and _TAG.match(pieces[asking[-1]][0]):
        asking.pop()
    if not asking:
        return "", cleaned
    i = asking[-1]
    context = [p for j, (p, _) in enumerate(pieces) if j != i and not (is_greeting(p) or is_thanks(p))]
    return ",".join(context), pieces[i][0]


# Context that tells the asker's story (我是…, 本人…, 领导说…, I'm …, my boss …), not the first half of the question
# ("继续教育考试的形式、时长…，单科卷还是综合卷", "第一次参加继续教育，应该先去哪个平台登记").
# What the asker saw or heard (看到…, 听说…, 网上…) is story too: "…有没有新要求？看到长治财政局发了个转发的通知".
# Chinese often drops the 我 of a story ("今年6月刚毕业，7月入职…", "上班根本没时间…"): the life events, people and
# moments a story is told with count as well.
_NARRATIVE = re.compile(r"我|本人|咱|俺|单位|公司|领导|同事|看到|看见|听说|听人说|据说|有人说|网上|群里|朋友圈|"
                        r"上班|入职|跳槽|调到|调回|毕业|生孩子|带孩子|带娃|产假|住院|生病|搬迁|"
                        r"老公|媳妇|爱人|我妈|我爸|孩子|朋友|亲戚|人事|老板|主管|"
                        r"之前|以前|前几天|上个月|上周|刚刚|当时|"
                        r"\b(?:i|i'm|i've|my|we|our)\b", re.IGNORECASE)


# The words of a bare asking clause ("也要参加学习吗", "这是怎么回事", "do I need to?"): doubled, they would pull
# towards whichever entry uses them most, while the subject is in the context ("没考任何证书，在小公司记账").
_BARE_ASK = re.compile(r"请问|想问一下|想问下|问一下|那么?|这个|这样|这|是否|进行|是|还|也|都|就|要|需要|需不需要|"
                       r"要不要|用不用|得|必须|能|可以|能不能|可不可以|应该|参加|学习|学|继续教育|再|一遍|吗|呢|啊|么|嘛|的|了|"
                       r"呀|吧|一下|照常|照样|照旧|正常|按时|接着|"
                       r"我们|我|您|你|他们|她们|他|她|托我|让我|叫我|帮我|替我|问问|这个年纪|这把年纪|怎么办|怎么回事|怎么弄|为什么|为啥|咋办|咋回事|\s")
_BARE_ASK_EN = re.compile(r"\b(?:do|does|did|i|we|my|need|needs|to|have|has|must|should|can|could|still|it|this|that|"
                          r"what|why|how|is|are|the|a|an|continuing|education|study|take|part|in|so|then|now|"
                          r"about|me|you|please|after|before)\b", re.IGNORECASE)


def _has_subject(asked: str) -> bool:
    """Whether the asked clause names what it asks about ("去哪里报名", "学分能结转吗"), not only that it asks."""
    rest = _BARE_ASK.sub("", _BARE_ASK_EN.sub(" ", asked))
    return bool(re.search(r"[\u4e00-\u9fff]{2,}|[a-zA-Z]{3,}", rest))


def emphasise_asked(text: str, *, always: bool = False) -> str:
    """The message for ranking and for the time reading, with its asked clause counted twice and first.

    Ranked on all its words, a long message is pulled by its context (职称, 初级, 单位, 今年, 继续教育 …) away from
    what it asks ("去哪里报名", "还需要补上吗"). The context still counts once, so a situation that changes the
    answer (retired, CPA, not working in accounting, another province) keeps its say; a bare asked clause
    ("能补吗", "也要参加学习吗") is not doubled, its subject is in the context. A message of one clause, or whose
    context is not the asker's story, is returned unchanged.
    """
    context, asked = asking_clause(text)
    # What follows the question explains it ("…能用手机学吗？上班根本没时间坐在电脑前面"): story, whatever its words.
    cleaned = clean(text)
    trailing = _CONTENT.search(cleaned[cleaned.rfind(asked) + len(asked):]) is not None
    if not context or not (always or trailing or _NARRATIVE.search(context)):
        return text
    # The context nearest the question first: readers that take the first year named ("我今年刚入职，去年的没学，
    # 现在还能补吗" asks about 去年) meet the one the question leans on.
    nearest_first = ",".join(reversed(context.split(",")))
    # A tag ("有这个规定吗") names no subject of its own either: the matter is in what it checks.
    doubled = _has_subject(asked) and not _TAG.match(asked)
    return f"{asked},{nearest_first},{asked}" if doubled else f"{asked},{nearest_first}"


_QUAL = re.compile(r"(初级|中级|高级|会计师|助理会计师|职称|资格|会计证|证书|证|junior|intermediate|senior|primary|"
                   r"qualification|certificate|title)", re.IGNORECASE)
_GOT = re.compile(r"考过|考下|考出|考取|考上|考的|拿到|拿的|拿了|取得|获得|通过|考了|考完|下证|下来|拿证|评上|评的|"
                  r"发证|发的证|签发|日期是|时间是|落款|"
                  r"passed|obtained|got|received|earned|gained|acquired|achieved|had|hold|held")
# "我是2020年的中级", "2019年初级证": the year written straight before the qualification says when it was obtained.
_YEAR_OF_QUAL = re.compile(r"\s*(?:年度?)?\s*(?:的|取得的|考的)?\s*(?:初级|中级|高级|会计证|会计师|职称|证书)")
# Not "补学什么时候开始": asking when something starts is not the asker's start of work.
# "今年开始继续教育要学满90学时", "明年开始要学吗": what starts is the studying (or a rule), not the asker's work.
_WORK = re.compile(r"((?<!什么时候)(?<!啥时候)(?<!何时)(?<!哪天)开始(?!继续|参加|学|要|需|必须|实行|执行|实施)|"
                   r"入职|从事|参加工作|做会计|干会计|当会计|做财务|"
                   r"记账|做账|上班|上岗|财务科|财务部|财务室|财务岗|会计岗|started|began|"
                   r"since|been working|been an accountant|been doing)")
# "…做会计，2025年辞职在家": the work named right before leaving it is no start of work that year.
_QUITS = re.compile(r"[^,，。;；]{0,6}?(?:辞职|离职|不做了|不干了|转行)")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年?(?!\d)")
_REL = {"今年": 0, "this year": 0, "去年": -1, "last year": -1, "前年": -2, "明年": 1, "next year": 1}
_ASK = re.compile(r"(?:还|也|都)?(?:要学|要参加|要不要|用不用|需要|需不需要|要修|得学|学吗|参加吗|要继续教育|必须|"
                  r"要开始|开始学|该学|该参加)|"
                  r"还要|还得|强制|need|must|have to|required|mandatory|compulsory|obligatory|obliged|necessary")
_NO_QUAL = re.compile(r"没有证|没证|无证|没有资格|没有职称|没考|无资格|"
                      r"no (qualification|certificate)|without (a |any )?(qualification|certificate)")


_PASSED = re.compile(f"{_GOT.pattern}|过了|考过|passing|\\bpass(?:es)?\\b", re.IGNORECASE)
# "考过中级能抵多少学分" asks about the exam's credits, not whether continuing education is still needed.
_CONVERTS = re.compile(r"抵|折算|折合|顶|换算|算多少|算几|多少学分|多少分|count|convert|offset|replace|worth",
                       re.IGNORECASE)


# Someone no longer (or not) in accounting work, retired or on leave asks a question of their own kind.
_OTHER_SITUATION = re.compile(r"不从事|不做会计|没做会计|不干会计|没有从事|没从事|不在会计|转行|退休|离职|辞职|待业|"
                              r"产假|出国|学生|在读|在校|上学|没工作|没上班|还没工作|没在做会计|没再做会计|不再做会计|不再从事|"
                              r"带孩子|带娃|"
                              r"not work|no longer|retire|pension|unemployed|leave|student", re.IGNORECASE)
# A situation told as past ("之前一直在读书", "22年到24年在外地上学没工作，去年回来上班了") is the story before
# the asker's accounting work, not their situation now.
_PAST = re.compile(r"(?:之前|以前|原来|过去|曾经|那几年|那时候?)[^,，。;；!！?？]{0,8}$")
_BACK_TO_WORK = re.compile(r"(?<![没不未])(?:回来上班|回单位上班|回单位|重新上班|又上班|复工|返岗|入职|开始上班|"
                           r"回到.{0,4}岗位)")


def in_other_situation(body: str) -> bool:
    """Whether the asker says they are now retired, on leave, a student or out of accounting work (the answer is
    that situation's, not the general rule's); a situation told as past, or one they have come back from, is not."""
    if _BACK_TO_WORK.search(body):
        return False
    return any(not _PAST.search(body[:m.start()]) for m in _OTHER_SITUATION.finditer(body))


# A CPA or tax adviser certificate is not a 会计专业技术资格: "考过了注册会计师，还要学吗" is the CPA entry's question.
_NOT_ACCOUNTING_QUAL = re.compile(r"注册会计师|注会|cpa|税务师|审计师", re.IGNORECASE)
# "从哪年开始", "什么时候开始学": asking when one's own continuing education starts is still the start-year question.
_ASKS_START = re.compile(r"(?:从)?(?:哪一?年|什么时候|啥时候|何时|when)(?:开始|起|start)", re.IGNORECASE)


# When and how often, which a must-I-study question may name without naming another subject.
_WHEN_WORDS = re.compile(r"(?:19|20)\d\d\s*年?度?|今年|明年|去年|现在|以后|每年|每一年|当年|那一?年|本年度?|年度|"
                         r"开始|这种情况|这样|情况|\b(?:this|next|every|each|years?|again|also|too|any ?more)\b",
                         re.IGNORECASE)


# Ways of saying "take part in continuing education" ("参加网络培训", "修学分", "am I required to attend").
_STUDYING = re.compile(r"培训|继续|教育|网络|网上|线上|修|学分|完成|参与|课程|课|用|每年|是不是|"
                       r"\b(?:am|be|will|would|really|required?|mandatory|compulsory|obliged|obligatory|necessary|for|any|"
                       r"attend|complete|ce|"
                       r"credits?|training|courses?|every|year|also|too|further|online|do|doing|take|taking|study|studying|"
                       r"learn|continuing|education|professional development|cpe|cpd)\b", re.IGNORECASE)
_ABOUT_ASKER = re.compile(r"会计|考试|人员|本人|之后|以后|后|\b(?:accountant|accounting|exam)\b", re.IGNORECASE)


def asks_whether_required(text: str) -> bool:
    """Whether the asked clause asks if the person must (still, already) take continuing education.

    "…，去年刚考过初级，领导说今年开始要参加继续教育，请问应该去哪里报名啊？" tells the asker's situation but asks where
    to register: the personal verdict must not take the place of that answer.
    """
    _, asked = asking_clause(text)
    asked = asked.lower()
    if "补" in asked:  # "我22年拿的中级，现在要补学吗" asks about makeup, not the start
        return False
    if not _ASK.search(asked) and not (len(asked) <= 4 and _ASK.search(clean(text).lower())):  # "…，对吗"
        return False
    rest = _ASKS_START.sub("", asked)
    if _WH_ZH.search(rest) or _WH_EN.search(rest):
        return False
    # "今年还需要再学一遍吗" asks about studying; "证书需要打印出来交给单位吗" asks about something else.
    for told in (_WHEN_WORDS, _QUAL, _PASSED, _WORK, _ABOUT_ASKER, _STUDYING):  # no other subject than studying
        rest = told.sub("", rest)
    return not _has_subject(rest)


# "今年要学多少学分", "how many credits do I need this year": the amount one must earn, not a conversion.
_AMOUNT = re.compile(r"多少学分|多少分|学多少|修多少|要多少|几个学分|how many credits|how much credit", re.IGNORECASE)
_CONVERSION = re.compile(r"抵|折算|折合|顶|换算|算多少|算几|count|convert|offset|replace|worth", re.IGNORECASE)
# "…，请问专业课最少要学多少分": one kind of credits is the professional-min question, whoever asks.
_KIND = re.compile(r"专业课|专业科目|专业学分|公需|professional|public", re.IGNORECASE)


def asks_required_amount(text: str) -> bool:
    """Whether the asked clause asks how many credits the person must earn ("我2020年拿的初级证，今年要学多少学分"),
    not how much something converts to, what a missed year or one kind of credits needs, or what someone not in
    accounting work needs."""
    body = clean(text).lower()
    _, asked = asking_clause(text)
    return bool(_AMOUNT.search(asked.lower()) and "补" not in asked and not _KIND.search(asked)
                and not _CONVERSION.search(body) and not in_other_situation(body))


def asks_after_passing(text: str) -> bool:
    """"通过中级会计考试还需要继续教育吗", "初级过了还要学吗": whether someone who passed a qualification exam still
    (or already) has to take continuing education, with no year given (:func:`personal_facts` needs one)."""
    body = clean(text).lower()
    return bool(_QUAL.search(body) and _PASSED.search(body) and asks_whether_required(body)
                and not _CONVERTS.search(body) and not _NO_QUAL.search(body) and not in_other_situation(body)
                and not _NOT_ACCOUNTING_QUAL.search(body))


# "通过了初级考试后，当年是否需要…", "拿到证的那年要学吗": the year of passing itself is asked about.
_SAME_YEAR = re.compile(r"当年(?!度)|那年|那一年|同年|同一年|the same year|that year", re.IGNORECASE)


def asks_same_year(text: str) -> bool:
    """Whether a question about passing an exam asks about the year of passing itself ("…当年要学吗")."""
    return bool(_SAME_YEAR.search(clean(text)))


@dataclass(frozen=True, slots=True)
class PersonalFacts:
    """What a question says about the asker: the year a qualification was obtained or accounting work began,
    and the year asked about (this year unless "明年"/"2027" says otherwise)."""

    qualification_year: int | None
    work_start_year: int | None
    asked_year: int


def personal_facts(text: str, this_year: int) -> PersonalFacts | None:
    """The facts of "我2019年考过中级，今年还要学吗" / "我去年开始做会计，没有证，今年要参加吗"; ``None`` when the
    question does not give a year for a qualification or for starting accounting work, or does not ask
    whether the person must study (:func:`asks_whether_required`) nor says so ("今年刚拿证的今年也要学满90学分",
    the statement of a claim repeated to be checked)."""
    if in_other_situation(clean(text).lower()):
        return None  # "…，但一直没从事会计工作，还需要参加吗": the not-working (retired, on leave …) answers
    if not asks_whether_required(text):
        if is_yes_no(text) or claimed_requirement(text) is None:  # cheap tests first: most messages stop here
            return None
        _, asked = asking_clause(text)
        if (_WH_ZH.search(asked) or _WH_EN.search(RELATIVE_EN.sub("", asked))
                or claimed_requirement(asked) is None):
            return None
    return stated_facts(text, this_year)


_MONTH = r"(?:1[0-2]|[1-9]|十[一二]|[一二三四五六七八九十])月份?"
# A clause that opens with a month ("今年6月刚毕业，7月入职…") goes on in the year named before it.
_MONTH_OPENS = re.compile(rf"(?<=[,，。;；])\s*(?={_MONTH}(?!\d))")
# Starting work just now or in a month without a year ("新来的大学生七月份入职", "刚入职"): this year.
_FRESH_START = re.compile(rf"(?:{_MONTH}|刚刚?|才|新)(?:刚|才)?(?:入职|参加工作|开始工作|开始上班|上岗)")
_ANY_YEAR = re.compile(rf"{_YEAR.pattern}|今年|去年|前年|明年")  # two-digit years: clean() writes them in full


def _dated(body: str) -> str:
    """``body`` with the year a month or a fresh start leaves unsaid written out, so each event reads its own
    year: "今年6月刚毕业，7月入职" → "…，今年7月入职"; "新来的大学生七月份入职，今年要学吗" → "…今年七月份入职…"."""
    if body.isascii():
        return body
    for opening in reversed(list(_MONTH_OPENS.finditer(body))):
        named = [m.group(0) for m in _ANY_YEAR.finditer(body, 0, opening.start())]
        if named:
            year = named[-1] if named[-1].endswith("年") else f"{named[-1]}年"
            body = f"{body[:opening.start()]}{year}{body[opening.start():]}"
    fresh = _FRESH_START.search(body)
    if fresh is not None and not _ANY_YEAR.search(body, 0, fresh.start()):
        body = f"{body[:fresh.start()]}今年{body[fresh.start():]}"
    return body


def stated_facts(text: str, this_year: int) -> PersonalFacts | None:
    """The asker's facts as :func:`personal_facts` reads them, whatever the message asks ("我今年刚考过初级，去哪里
    报名" states a qualification obtained this year while asking where to register)."""
    body = _dated(clean(text).lower())
    mentions: list[tuple[int, int, int]] = []  # (start, end, year)
    for m in _YEAR.finditer(body):
        mentions.append((m.start(), m.end(), int(m.group(1))))
    for word, offset in _REL.items():
        for m in re.finditer(re.escape(word), body):
            mentions.append((m.start(), m.end(), this_year + offset))
    mentions.sort()
    # A year directly followed by the asking words ("今年还要学吗", "明年要学吗") is the year asked about;
    # the first other year is when the qualification was obtained or the work began.
    asked_at = [m for m in mentions if _ASK.match(body, m[1], m[1] + 6)]
    # Nobody obtained a qualification next year: a later year ("刚考过初级，明年开始学吗") is the year asked about.
    events = [m for m in mentions if m not in asked_at and m[2] <= this_year]
    asked_at += [m for m in mentions if m[2] > this_year and m not in asked_at]
    if not events:
        return None
    # English puts more words between the year and what happened in it ("I passed the intermediate accounting
    # exam in 2021", "in 2021 I obtained my intermediate certificate") than Chinese does ("2021年考过中级").
    english = body.isascii()
    reach = 60 if english else 8
    several = len(events) > 1

    def reading(pos: int, end: int) -> tuple[bool, bool]:
        """Whether the year at ``pos`` is when a qualification was obtained, or when accounting work began."""
        after = body[pos:pos + (48 if english else 16)]
        if several and not english:  # "我2026年开始做出纳，有初级证是2019年考的": each year reads its own clause
            after = _CLAUSE_END.split(after, maxsplit=1)[0]
        window = body[max(0, pos - reach):pos] + after
        own_year = _YEAR_OF_QUAL.match(body, end)
        qual = bool((_QUAL.search(window) and _GOT.search(window)) or own_year) and not _NO_QUAL.search(body)
        worked = _WORK.search(window if english else after)
        # "今年没上班", "2025年不做会计了": a year of not working is no start of work.
        negated = worked is not None and not english and (after[:worked.start()].endswith(("没", "不", "未", "没有"))
                                                          or _QUITS.match(after, worked.end()) is not None)
        return qual, bool(worked) and not negated and not qual

    qual_year = work_year = None
    read: list[int] = []  # positions of the years read as a qualification or as the start of work
    for pos, end, year in events:
        qual, work = reading(pos, end)
        if qual and qual_year is None:
            qual_year = year
        elif work and work_year is None:
            work_year = year
        else:
            continue
        read.append(pos)
    if not read:
        return None
    # A later year that is itself an event ("2019年取得中级，2022年又评上了高级，今年…") is not the year asked about.
    later = [m for m in mentions if m[0] > read[0] and m[0] not in read and not any(reading(m[0], m[1]))]
    asked = asked_at[0][2] if asked_at else (later[0][2] if later else this_year)
    return PersonalFacts(qual_year, work_year, asked)


# -- follow-up questions in a conversation ----------------------------------------------------------------------

# "那专业课呢", "公需课呢", "what about public courses?", "那明年呢": a short message that leans on the question
# before it. Its opener and its closing particle are dropped; what is left is the matter it changes.
FOLLOW_UP_CHARS = 14  # longer Chinese messages carry a question of their own
FOLLOW_UP_WORDS = 8
_OPENER_ZH = re.compile(r"^(?:那如果是?|那要是|那换成|那么?|如果是?|要是|还有|换成)\s*")
_CLOSER_ZH = re.compile(r"(?:的)?\s*(?:呢|吶|嘞)\s*[?？。!！~～]*$")
_OPENER_EN = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+|^and\s+(?:for\s+|in\s+)?|"
                        r"^what\s+if\s+(?:it\s+is\s+|i\s+am\s+)?", re.IGNORECASE)
_CLOSER_EN = re.compile(r"[\s?!.]+$")
# Words of one kind, one of which a follow-up puts in place of another in the previous question ("公需课要多少学分"
# + "那专业课呢" → "专业课要多少学分"). Each alternative is one word the question may name.
SLOTS = (
    re.compile(r"公需课|公需科目|公需学分|公需|专业课|专业科目|专业学分|专业(?!技术)|"
               r"\bpublic\b|\bprofessional\b",
               re.IGNORECASE),
    re.compile(r"今年|明年|去年|前年|后年|(?:19|20)\d{2}\s*年?(?:度)?|"
               r"\bthis year\b|\bnext year\b|\blast year\b|\b(?:19|20)\d{2}\b", re.IGNORECASE),
    re.compile(r"初级|中级|高级|注册会计师|注会|税务师|"
               r"\b(?:junior|primary|intermediate|senior|cpa)\b", re.IGNORECASE),
    re.compile(r"网络培训|网络学习|网上|网课|线上|面授|线下|"
               r"\bonline\b|\bface[- ]to[- ]face\b|\boffline\b|\bin person\b", re.IGNORECASE),
    re.compile(r"会计之星|全国平台|\bnational platform\b", re.IGNORECASE),
)


def follow_up_focus(text: str) -> str | None:
    """What a follow-up asks about ("那专业课呢" → "专业课", "what about public courses?" → "public courses"), or
    ``None`` when ``text`` does not read as a follow-up: too long, or with neither an opener (那…, what about…)
    nor a closing 呢."""
    body = clean(text).strip()
    if is_greeting(body):
        return None
    if _CJK.search(body):
        if len(body) > FOLLOW_UP_CHARS or not (_OPENER_ZH.match(body) or _CLOSER_ZH.search(body)):
            return None
        focus = _CLOSER_ZH.sub("", _OPENER_ZH.sub("", body)).strip(" ,，")
    else:
        if len(body.split()) > FOLLOW_UP_WORDS or not _OPENER_EN.match(body):
            return None
        focus = _CLOSER_EN.sub("", _OPENER_EN.sub("", body)).strip(" ,")
    return focus if _CONTENT.search(focus) and not is_thanks(focus) else None  # "那好吧"


def with_previous(previous: str, focus: str) -> tuple[str, bool]:
    """The previous question asked again about ``focus``, and whether a word of the previous question was
    replaced: the last word of the same kind is swapped ("公需课要多少学分" + "专业课" → "专业课要多少学分",
    "我2019年考过中级，今年还要学吗" + "明年" → "…，明年还要学吗"); otherwise the focus is put in front
    ("补学什么时候" + "面授" → "面授补学什么时候"), or into an English question ("When is the deadline
    (next year)?")."""
    previous = clean(previous).strip()
    for slot in SLOTS:
        new = slot.search(focus)
        old = ([None, *slot.finditer(previous)])[-1]
        if new is not None and old is not None:
            if new.group(0).lower() == old.group(0).lower():
                continue
            return f"{previous[:old.start()]}{new.group(0)}{previous[old.end():]}", True
    if previous.isascii():  # "When is the deadline (next year)?"
        return f"{previous.rstrip(' ?.!')} ({focus})?", False
    return f"{focus}{previous}", False
