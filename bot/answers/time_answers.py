"""Questions whose answer depends on today's date: days left, whether a window is open, the deadline, next year.

A FAQ answer is fixed text ("补学时间为2026年4月1日至6月1日"); asked in November that is the wrong answer,
because the window closed months ago. These readings compute the answer from the policy of *now* (see
``bot.domain.years``) and today's date, then quote the clause it rests on, like any FAQ answer. They run
before the general Q&A and recognise only questions about time; everything else falls through.

Between years (after a deadline, before the next notice) the finished year is reported as closed, and
questions about the current or next year are answered from the national rule (财会〔2018〕10号 第十二条) with
the caveat that Shanxi's arrangements for that year are not in the bot yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.answers.credits_view import fmt_date
from bot.answers.i18n import Translator
from bot.answers.reply import Reply, Source
from bot.domain.credits import window_state
from bot.domain.years import YearState
from bot.parsing.questions import asking_clause, asks_required_amount, asks_whether_required
from bot.parsing.timeparse import read_day
from knowledge import KnowledgeBase
from knowledge.policy import Policy, national_rule

__all__ = ["TimeAnswers", "asked_year"]

_F = re.IGNORECASE

# FAQ topics whose fixed answer depends on today's date, and those the national rule answers between years.
_TIME_TOPICS = frozenset({"deadline", "study-period", "online-window", "makeup-window", "no-makeup"})
_NATIONAL_TOPICS = frozenset({"credits-total", "professional-min"})
_OTHER_MAKEUP_TOPICS = frozenset({"makeup-missed", "makeup-earlier"})
_MAKEUP_TOPICS = frozenset({"makeup-window", "no-makeup", *_OTHER_MAKEUP_TOPICS})
# Topics where "补" is about something else than missing credits (paying for makeup, retaking a course test).
_NOT_MAKEUP = frozenset({"payment", "payment-failed", "course-exam", "changes-2026", "leave-exemption"})

# What the question is about.
_MAKEUP = re.compile(r"补(?!贴|助|充|办|发|偿|齐资料)|make[\s-]?up|mak(?:e|ing) (?:them|it|those|these) up|made up|"
                     r"catch[\s-]?up|supplement|remedial", _F)  # "supplementary study": machine translation's 补学
_ONLINE = re.compile(r"网络培训|网络学习|网上学习|网课|线上|在线学习|网络课程|会计之星|kjzx|online", _F)
_F2F = re.compile(r"面授|工作日|上报|报送|报数据|备案|方案|计划|机构|审核|working day|face[\s-]to[\s-]face|"
                  r"in[\s-]person|report|institution|plan", _F)
# What a question about a year's rule names: its credits ("2027年还是90分吗"), or whether the rule stays or changes.
_CREDITS = re.compile(r"学分|多少分|几分|\d+\s*个?分|一样|不变|变了|变化|改了|政策|规定|credits?|points|requirement|"
                      r"required|rules?|policy|same|change", _F)
_CARRY = re.compile(r"结转|抵|顶|算到|算进|转到|用到|留到|延续|带到|累计到|累积到|挪到|攒到|"
                    r"(?:明年|下一?年|以后)(?:还)?(?:能|可以)用|"
                    r"(?:多学|多出|多修|多余|多的|多了|超出|超过|剩下|剩余).{0,10}(?:明年|下一?年|以后|今后)|"
                    r"carr(?:y|ied|ies)|forward|count (?:towards|for)|roll over|transfer|"
                    r"extra credits?.{0,20}next year", _F)
# What is asked about it.
_DAYS = re.compile(r"几天|多少天|多久|多长时间|倒计时|剩.{0,3}天|还有.{0,2}天|几个?月|how (?:many|much) (?:days|time)"
                   r"|days? (?:left|remain)|how long|time left|countdown", _F)
_HOW = re.compile(r"怎么|怎样|如何|咋|哪里|在哪|哪儿|去哪|\bhow\b|\bwhere\b", _F)
_WHEN = re.compile(r"什么时候|何时|哪天|几号|几月|日期|时间|when|what date|which day|dates?\b", _F)
_OPEN_CLOSE = re.compile(r"开放|开始|开通|开了|开启|关闭|关了|结束|截止|截至|还能|还可以|还来得及|现在|端口|窗口|过了|"
                         r"open|start|close|still|end|over|now|yet|too late", _F)
_DAYS_LEFT = re.compile(r"还有几天|还有多少天|还剩|剩.{0,3}天|倒计时|days? (?:left|remain)|how many days|"
                        r"time (?:do i have )?left|how much time", _F)
_YEAR_END_Q = re.compile(r"(?:今年|本年度?|继续教育|学习|学分).{0,8}(?:什么时候|何时|哪天|几号|几月).{0,4}"
                         r"(?:结束|截止|完成|修完|学完)", _F)
_NOTICE = re.compile(r"通知.{0,6}(?:出来|发布|下来|公布|下发|印发)|"
                     r"(?:notice|arrangements?).{0,30}(?:published|out|released|issued)", _F)
_DEADLINE = re.compile(r"截止|截至|最晚|最迟|最后一天|期限|到期|deadline|due|by when|last day|cut[\s-]?off", _F)
# A bare "能学吗" is about time only with a time word ("12月份能学吗"); "不在本地可以学吗" is about something else.
_STILL = re.compile(r"还能学|还可以学|还能不能学|还(?:能|可以)(?:在.{1,8}上)?(?:接着|继续)学|"
                    r"还来得及|现在.{0,4}学|(?:\d+月份?|年底|月底|今天|明天|这周|下周).{0,4}"
                    r"(?:能学|可以学)|来不来得及|too late|"
                    r"can i still|still (?:study|learn|take|do)|is it over|还有效|还算", _F)
_PASSED = re.compile(r"截止了吗|过期了吗|已经截止|已截止|是不是截止|截止没有|含今天吗|包括今天吗|算今天吗|算不算今天|"
                     r"(?:deadline|it) (?:has )?(?:passed|over)|has the deadline|is it too late|"
                     r"today (?:counted|included)|count(?:ing)? today", _F)
_STARTS = re.compile(r"开始|起止|从什么时候|start|begin", _F)
_MISSED = re.compile(r"错过|没赶上|错失|没来得及|误了|已经关|关了|还有办法|怎么办|miss|what can i do|"
                     r"(?:was|were|am|came|i'm)(?: too)? late", _F)
# A makeup question about this year's study or what comes after it ("年底没学完以后能补吗"), not about credits
# already missing: without such a word, "缺的学分能补吗" is answered with the earlier years' window as well.
# The makeup window itself: when it opens or closes, its channel, its arrangements ("补学通道是啥时候开的",
# "2026年补学时间安排", "今年开了补学，现在还能补吗"). The window runs in the notice's own year, so a question
# naming that year asks about the window, not about making up that year's credits.
_WINDOW_Q = re.compile(r"补学.{0,4}(?:时间|通道|端口|窗口|入口|安排|什么时候|啥时候|何时|几月|几号|开放|开始|开通|开了|"
                       r"开启|关闭|结束|截止)|(?:什么时候|啥时候|何时|几月|几号).{0,6}补学|(?:开|开放|开通|开启)了?补学|"
                       r"make[\s-]?up (?:window|period|port|session)|when .{0,30}make[\s-]?up", _F)
# Credits of years before this one ("以前没学的还能补吗"): the earlier years' makeup, whatever year the asker
# mentions for when they found out. Not "3月之前" (before a date).
_EARLIER = re.compile(r"(?<![年月日号底\d])(?:以前|之前)|往年|前几年|过去几年|"
                      r"earlier years?|previous years?|past years?", _F)
# Missing credits made up: "学分可以补考吗", "补学分", "make up the credits".
_MAKEUP_CREDITS = re.compile(r"补(?:学|考|修|上|齐)?.{0,4}学分|学分.{0,8}补|make[\s-]?up.{0,24}credit|"
                             r"credits?.{0,24}(?:make[\s-]?up|supplement)", _F)
# Study after the deadline: "12月31日之后还能学吗", "截止以后还能补吗", "after 31 December".
_AFTER_DEADLINE = re.compile(r"(?:12月31[日号]?|截止(?:日期|时间)?|年底|deadline|december 31|31 december)\s*"
                             r"(?:之后|以后|过后|后|after)|"
                             r"(?:过了|after)\s*(?:12月31|截止|年底|the deadline|december)", _F)
_AHEAD = re.compile(r"以后|之后|将来|年底|年末|年后|下一?年|12月31|延期|推迟|顺延|没学完|学不完|完不成|"
                    r"later|future|next|after|postpone|extend|defer|end of (?:the )?year|december|"
                    r"don't finish|do not finish|fail to finish", _F)
# "我的初级证是2010年的，现在还有效吗", "那个信息采集还有效吗": whether a certificate (or a registration) lapses,
# not whether there is time to study.
_CERT_VALID = re.compile(r"(?:证|资格|职称|信息采集|采集|账号|注册|certificate|qualification).{0,12}"
                         r"(?:有效|失效|作废|过期|valid|expire|lapse)", _F)
# A later year's own credits ("2027年的学分能补吗"), not this year's made up in it ("明年能补吗").
_YEARS_OWN_CREDITS = re.compile(r"(?:明年|下一?年|来年|(?:19|20)\d\d\s*年)度?的(?:学分|继续教育|课)|"
                                r"(?:19|20)\d\d\s*年度(?:学分|继续教育|课)|next year'?s credits", _F)
# A year whose credits are missing ("2024年的没学", "2025年度学分缺了"): what a makeup question is about.
_OWED = re.compile(r"((?:19|20)\d\d)\s*年?度?的?(?:学分|继续教育|课程?|任务)?(?:也|都|还)?(?:没|未|缺|差|欠|漏)")
# A year named for a qualification or a start ("2020年考的中级", "2019年开始做会计", "passed in 2020"), not for
# credits owed: it says nothing about which year's credits are missing.
_CONTEXT_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?(?:底|初|中|上半年|下半年)?(?:\d{1,2}\s*月份?)?(?:就|才|刚|已经|已)?"
                           r"(?:考|拿|取得|获得|通过|下证|评|参加工作|开始|入职|毕业|退休|转岗)|"
                           r"((?:19|20)\d\d)\s*年?的?(?:初级|中级|高级|证|职称|资格|会计证)|"
                           r"(?:passed|qualified|obtained|got|since|started|began)\D{0,20}((?:19|20)\d\d)", _F)
# What is owed when a year's credits are missing: study, not an exam retake or a document.
_STUDY = re.compile(r"学分|继续教育|继教|课|学习|没学|未学|没修|补学|补修|补上|credits?|stud(?:y|ied)|education|"
                    r"missed|course", _F)
# Whether a day named in the question falls in time ("6月5号补的算吗", "12月20号开始学来得及吗").
_COUNTS = re.compile(r"(?<!怎么)(?<!如何)(?<!怎样)算(?!法)|有效|来得及|还能|还可以|能不能|可不可以|可以吗|行吗|能用|"
                     r"认不认|承认|counts?|valid|in time|still|too late|accepted|ok\b", _F)
_STUDY_VERB = re.compile(r"学|修|补|完成|finish|stud|learn|complet|credit|make", _F)
# A day on which something was already done ("我6月5号补的", "1月3号学的课"): the latest such day, not the next.
_DONE = re.compile(r"(?:学|补|修|考|听|上|做|交|完成)(?:完|好)?(?:的|了)|已经|\b(?:did|made|finished|studied|completed|"
                   r"took)\b", _F)
_REMIND = re.compile(r"提醒|remind", _F)
# Which credits and how many ("专业课要多少学分"), and makeup words that are about an exam or a payment instead.
_KIND = re.compile(r"专业课|专业科目|专业学分|公需|professional|public", _F)
_AMOUNT_ASKED = re.compile(r"多少学分|多少分|学多少|修多少|要多少|几个学分|how many credits|how much credit", _F)
_NOT_MAKEUP_WORDS = re.compile(r"考试|考核|重考|补交|补缴|缴费|付款|支付|retake|exam|pay", _F)
# Not finishing by a day asks what comes after it ("12月31号没学完还能补吗"): this year's no-makeup rule answers.
_UNFINISHED = re.compile(r"没学完|学不完|未学完|没修完|修不完|完不成|没完成|未完成|没修满|不够|"
                         r"(?:don't|do not|didn't|did not|can't|cannot|fail to) (?:finish|complete)", _F)
# A day that is when a qualification or a job came ("6月15号拿的证"), not when one studies.
_DAY_OF_LIFE = re.compile(r"\s*(?:就|才|刚|已经)?(?:考|拿|取得|获得|通过|下证|入职|退休|毕业|参加工作|开始工作)")
_NOW = re.compile(r"现在|目前|还能|还可以|今天|still|now|currently|yet|today", _F)
_AMOUNT = re.compile(r"多少|几|要求|需要|标准|够|how many|how much|need|require|minimum", _F)

_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*(?:年|年度)?|(明年|下一?年度?|来年|今年|本年度?|去年|上一?年度?|前年)|"
                   r"(next year|this year|last year)", _F)
_RELATIVE = {"明年": 1, "下年": 1, "下一年": 1, "下年度": 1, "下一年度": 1, "来年": 1, "next year": 1,
             "今年": 0, "本年": 0, "本年度": 0, "this year": 0,
             "去年": -1, "上年": -1, "上一年": -1, "上年度": -1, "上一年度": -1, "last year": -1, "前年": -2}


def asked_year(text: str, today: date) -> int | None:
    """The calendar year a question is about (``明年`` on 2027-01-05 is 2028), or ``None`` if it names none."""
    m = _YEAR.search(text)
    if m is None:
        return None
    if m[1]:
        return int(m[1])
    word = (m[2] or m[3]).lower()
    return today.year + _RELATIVE.get(word, 0)


def _named_years(text: str, today: date) -> list[int]:
    """Every year the text names, in order ("去年" on 2027-01-05 is 2026)."""
    return [int(m[1]) if m[1] else today.year + _RELATIVE.get((m[2] or m[3]).lower(), 0) for m in _YEAR.finditer(text)]


def _mentions_year(text: str, today: date, year: int) -> bool:
    """Whether any year the text names (not only the first) is ``year``."""
    return year in _named_years(text, today)


def _owed_years(text: str, today: date) -> list[int]:
    """The years a makeup question says are missing: every year it names, less those of a qualification or start."""
    context = {int(next(g for g in m.groups() if g)) for m in _CONTEXT_YEAR.finditer(text)}
    return [y for y in dict.fromkeys(_named_years(text, today)) if y not in context]


def _names_year_asked(text: str, year: int, today: date) -> bool:
    """Whether the asked clause itself names ``year`` ("…，明年还要学吗"), not only the context ("明年评职称，…")."""
    return asked_year(asking_clause(text)[1], today) == year


def _makeup_years(policy: Policy) -> tuple[int, ...]:
    return policy.makeup.years if policy.makeup else ()


@dataclass(frozen=True)
class _Clause:
    quote: str
    source: Source


@dataclass(frozen=True)
class TimeAnswers:
    state: Callable[[], YearState]
    kb: Callable[[Policy | None], KnowledgeBase]
    t: Translator

    # ----------------------------------------------------------------------------------------- entry

    def interpret(self, text: str, lang: str) -> Reply | None:
        """A computed answer for a question about time, or ``None`` to let the general Q&A answer.

        What the question is about comes from the knowledge base's own ranking (the same topics the FAQ
        answers); this reading only replaces a time topic's fixed text by one computed for today. Questions
        about a year whose notice is not loaded, and "how many days are left", are recognised directly.
        """
        if _F2F.search(text) or _CARRY.search(text) or _CERT_VALID.search(text):
            return None
        state = self.state()
        year = asked_year(text, state.today)
        policy = state.policy
        uncovered = self._uncovered(text, state, lang)
        if uncovered is not None:
            return uncovered
        on_day = self._on_day(text, state, lang)
        if on_day is not None:
            return on_day
        in_clause = asked_year(asking_clause(text)[1], state.today)
        if in_clause is not None and not _MAKEUP.search(text):
            year = in_clause  # "今年学分够了，明年还要学吗", "我明年退休，今年还要学吗": the year of the asked clause
        owed = _OWED.search(text)
        owed_covered = [y for y in _owed_years(text, state.today) if y in _makeup_years(policy)]
        if owed and _MAKEUP.search(text) and int(owed[1]) in _makeup_years(policy):
            year = int(owed[1])  # "我2024年的没学，今年还能补吗": 2024's credits, whenever the makeup is asked about
        elif owed_covered and _MAKEUP.search(text):
            year = owed_covered[0]  # "今年还能补2025年的吗" (asked in 2027): 2025's makeup, not 2027's rule
        if year is not None and year > policy.year:
            if (_STILL.search(text) or _MAKEUP.search(text)) and _mentions_year(text, state.today, policy.year):
                # "明年一月还能学今年的课吗", "2027年1月了，2026年度的还能接着学吗": this year's study, not next
                # year's; once the year is over, that it has ended.
                return self._deadline(state, lang) if state.between else self._no_makeup(state, lang)
            if _MAKEUP.search(text) and not state.between and year == policy.year + 1 \
                    and not _YEARS_OWN_CREDITS.search(text):
                return self._no_makeup(state, lang)  # "没学完明年能补吗": making up this year's credits next year
            return self._unpublished_year(text, state, year, lang)
        if _WINDOW_Q.search(text) and not _AFTER_DEADLINE.search(text) and not _MISSED.search(text) \
                and (year is None or year == policy.year or year in _makeup_years(policy)):
            return self._makeup(state, lang)  # "补学通道是啥时候开的", "2026年补学时间安排": the window, then this year
        if _MAKEUP.search(text) and _EARLIER.search(text) and not _AHEAD.search(text) \
                and not _AFTER_DEADLINE.search(text) and not _MISSED.search(text):
            return self._makeup(state, lang)  # "今年才知道要学，以前没学的还能补吗": the earlier years' window
        if (_DAYS_LEFT.search(text) or (_YEAR_END_Q.search(text) and not _STARTS.search(text))) \
                and not _MAKEUP.search(text) and not _ONLINE.search(text):
            return self._deadline(state, lang)
        if _NOTICE.search(text) and year == policy.year and (_STARTS.search(text) or _WHEN.search(text)):
            return self._deadline(state, lang, "study-period")  # "2026年的通知出来了没，什么时候开始学": it is out
        if _NOTICE.search(text) and (year is None or year > policy.year):  # a notice already loaded is out
            return self._unpublished_year(text, state, max(state.today.year, policy.year + 1), lang)
        result = self.kb(policy).search(text)
        best = result.best.topic.id if result.best is not None else None
        # A close pair (two topics both fit) still names the matter; the words below choose within it. A time topic
        # the words do not confirm ("学分去哪里查，想看看往年的学分够不够": no makeup word) is left to the pair.
        topic = best if result.verdict == "answer" or result.pair else None
        if result.pair and best in _TIME_TOPICS and self._by_words(text) is None:
            topic = None
        missing = self._missing_wording(text, state, year, topic, lang)
        if missing is not None:
            return missing
        if topic in _NATIONAL_TOPICS and state.between and year is None:
            return self._unpublished_year(text, state, state.today.year, lang)
        if _AFTER_DEADLINE.search(text) and (_STILL.search(text) or _MAKEUP.search(text)) and not state.between:
            return self._no_makeup(state, lang)  # "12月31日之后还能学吗": no, in principle no makeup
        if (_STILL.search(text) or _PASSED.search(text)) and not _MAKEUP.search(text) \
                and topic in (None, "online-steps", "makeup-missed", *_TIME_TOPICS):
            reply = self._deadline(state, lang)  # "现在还能学吗": not how to enrol, but whether there is time
            if not state.between:
                lead = "ta.deadline.not_yet" if _PASSED.search(text) else "ta.deadline.still"
                reply = replace(reply, text=self.t(lang, lead) + reply.text)
            return reply
        if topic == "online-steps" and _NOW.search(text) and _ONLINE.search(text):
            return self._online(state, lang)  # "网课现在还能报名吗": whether the window is open, then how
        if topic == "makeup-missed" and not _MISSED.search(text) and (_WHEN.search(text) or _OPEN_CLOSE.search(text)):
            return self._makeup(state, lang)  # "补学端口什么时候关闭" asks about the window, not a missed one
        if _MAKEUP_CREDITS.search(text) and topic not in _MAKEUP_TOPICS and topic not in _NOT_MAKEUP \
                and (year is None or year in _makeup_years(policy)):
            return self._makeup(state, lang)  # "初级会计证继续教育学分可以补考吗": the credits, not the certificate
        if topic == "makeup-earlier" and year is None and (_WHEN.search(text) or _OPEN_CLOSE.search(text)):
            return self._makeup(state, lang)  # "补学还开放吗" names no earlier year: it asks about the window
        if topic in _OTHER_MAKEUP_TOPICS and year == policy.year and _MAKEUP.search(text):
            return self._no_makeup(state, lang)  # "今年学不完以后还有补的机会吗": this year's own rule
        if topic is None and result.verdict == "unsure" and best in _TIME_TOPICS:
            topic = self._by_words(text)  # the ranking hesitates between time topics: the words decide, if any
        if topic is None or topic not in _TIME_TOPICS:
            earlier = year is not None and year < policy.year and year not in _makeup_years(policy)
            if topic is None and not earlier and _MAKEUP.search(text) \
                    and (_WHEN.search(text) or _OPEN_CLOSE.search(text)):
                return self._makeup(state, lang)
            if topic is None and (_DAYS_LEFT.search(text) or (_DAYS.search(text) and _DEADLINE.search(text))):
                return self._deadline(state, lang)
            return None
        if year is not None and year < policy.year and topic != "makeup-window":
            if topic == "no-makeup" and year in _makeup_years(policy):
                return self._makeup(state, lang)  # "I did not finish 2025, can I make it up?": not 2026's own rule
            return None  # an earlier year: the makeup / no-carry-over FAQ answers are right
        if topic == "no-makeup" and year is None and not _AHEAD.search(text):
            return self._makeup(state, lang)  # "Can the missing credits be made up?": the window, then this year
        if topic == "no-makeup" or (topic == "makeup-window" and year == policy.year):
            return self._no_makeup(state, lang)
        if topic == "makeup-window":
            return self._makeup(state, lang)
        if topic == "online-window":
            return self._online(state, lang) if not _MAKEUP.search(text) else self._makeup(state, lang)
        return self._deadline(state, lang, topic)

    @staticmethod
    def _by_words(text: str) -> str | None:
        """The time topic the question's own words name, if any."""
        if _MAKEUP.search(text):
            return "makeup-window"
        if _ONLINE.search(text):
            return "online-window"
        if _DAYS.search(text) or _DEADLINE.search(text):
            return "deadline"
        return None

    # ----------------------------------------------------------------------------------------- pieces

    def _args(self, state: YearState, lang: str) -> dict[str, object]:
        p = state.policy
        return {
            "year": p.year,
            "today": fmt_date(state.today, lang),
            "deadline": fmt_date(p.deadline, lang),
            "notice_no": p.documents.notice.doc_no,
            "issued": fmt_date(p.documents.notice.issued, lang),
            "next_year": p.year + 1,
        }

    def _clause(self, state: YearState, topic_id: str) -> _Clause | None:
        """The quote and citation of a FAQ topic of the policy's year (data, so it follows the year)."""
        topic = self.kb(state.policy).topic(topic_id)
        if topic is None:
            return None
        first = topic.sources[0]
        return _Clause(topic.entry.quote, Source(first.id, first.title, first.citation))

    def _national_clause(self, state: YearState) -> _Clause:
        rule = national_rule()
        section = self.kb(state.policy).section(rule.source)
        citation = section.citation if section else rule.citation
        return _Clause(rule.quote, Source(rule.source, section.title if section else rule.citation, citation))

    def _reply(self, lang: str, body: str, *clauses: _Clause | None, topic: str) -> Reply:
        found = [c for c in clauses if c is not None]
        text = body
        for clause in found:
            text += "\n\n" + self.t(lang, "ta.quote", quote=clause.quote, citation=clause.source.citation)
        return Reply(text, sources=tuple(c.source for c in found), score=1.0, kind="answer",
                     extra={"topic": topic, "computed": True})

    def _days_text(self, days: int, today: date, lang: str) -> str:
        """Days left with today counted, said plainly (today counts; so does the last day)."""
        if days == 1:
            return self.t(lang, "ta.days.today_last")
        return self.t(lang, "ta.days.left", days=days, without_today=days - 1, today=fmt_date(today, lang))

    def _between_next(self, state: YearState, lang: str) -> str:
        """What is known about what comes next, between years."""
        rule = national_rule()
        return self.t(lang, "ta.between.next", year=state.today.year, prev_issued=fmt_date(
            state.policy.documents.notice.issued, lang), min_total=rule.min_total,
            min_professional=rule.min_professional)

    # ----------------------------------------------------------------------------------------- answers

    def _deadline(self, state: YearState, lang: str, topic: str = "deadline") -> Reply:
        args = self._args(state, lang)
        clause = self._clause(state, "deadline")
        if state.between:
            passed = (state.today - state.policy.deadline).days
            body = self.t(lang, "ta.deadline.passed", passed=passed, **args) + "\n" + self._between_next(state, lang)
            return self._reply(lang, body, clause, self._national_clause(state), topic=topic)
        days = state.days_left
        period = self.kb(state.policy).topic("study-period") if topic == "study-period" else None
        # "什么时候开始": the whole period (its start, the online window), not only the deadline.
        lead = (period.answer(lang) + ("" if lang == "zh" else " ") if period
                else self.t(lang, "ta.deadline.ahead", **args))
        body = lead + self._days_text(days, state.today, lang)
        online = state.policy.online_study
        if window_state(online.start, online.end, state.today) == "upcoming":
            body += "\n" + self.t(lang, "ta.online.ahead", start=fmt_date(online.start, lang),
                                  end=fmt_date(online.end, lang), days=(online.start - state.today).days)
        return self._reply(lang, body, clause, topic=topic)

    def _window_text(self, key: str, start: date, end: date, today: date, lang: str) -> str:
        state = window_state(start, end, today)
        args = {"start": fmt_date(start, lang), "end": fmt_date(end, lang)}
        if state == "upcoming":
            return self.t(lang, f"ta.{key}.ahead", days=(start - today).days, **args)
        if state == "open":
            return self.t(lang, f"ta.{key}.open", **args) + self._days_text((end - today).days + 1, today, lang)
        return self.t(lang, f"ta.{key}.closed", ago=(today - end).days, **args)

    def _online(self, state: YearState, lang: str) -> Reply:
        online = state.policy.online_study
        body = self.t(lang, "ta.year", year=state.policy.year) + self._window_text(
            "online", online.start, online.end, state.today, lang)
        if state.between:
            body += "\n" + self._between_next(state, lang)
        return self._reply(lang, body, self._clause(state, "online-window"), topic="online-window")

    def _makeup(self, state: YearState, lang: str) -> Reply:
        makeup = state.policy.makeup
        args = self._args(state, lang)
        if makeup is None:
            if state.between:  # the year is over: that it had no makeup and has ended
                return self._no_makeup(state, lang)
            body = self.t(lang, "ta.makeup.none", **args)
            return self._reply(lang, body, self._clause(state, "no-makeup"), topic="no-makeup")
        years = ("、" if lang != "en" else " and ").join(str(y) for y in makeup.years)
        body = self.t(lang, "ta.makeup.for", years=years) + self._window_text(
            "makeup", makeup.start, makeup.end, state.today, lang)
        own = "ta.makeup.policy_year_closed" if state.between else "ta.makeup.policy_year"
        body += "\n" + self.t(lang, own, **args) + "\n" + self.t(lang, "ta.makeup.where")
        if state.between:
            body += "\n" + self._between_next(state, lang)
        return self._reply(lang, body, self._clause(state, "makeup-window"), topic="makeup-window")

    def _no_makeup(self, state: YearState, lang: str) -> Reply:
        args = self._args(state, lang)
        body = self.t(lang, "ta.makeup.policy_year_closed" if state.between else "ta.makeup.policy_year", **args)
        if state.between:
            body += "\n" + self.t(lang, "ta.deadline.passed", passed=(state.today - state.policy.deadline).days,
                                  **args) + "\n" + self._between_next(state, lang)
        else:  # the rule already says the deadline: only the days left are added
            body += "\n" + self._days_text(state.days_left, state.today, lang)
        return self._reply(lang, body, self._clause(state, "no-makeup"), topic="no-makeup")

    def _uncovered(self, text: str, state: YearState, lang: str) -> Reply | None:
        """Making up a year the notice does not cover ("2023年的学分没学还能补吗", "I missed 2022"): say so, with
        the window that does exist, and who can answer; never a window the notice does not give."""
        if not (_MAKEUP.search(text) and _STUDY.search(text)):
            return None
        policy = state.policy
        owed = [y for y in _owed_years(text, state.today) if y < policy.year]
        covered = _makeup_years(policy)
        missing = [y for y in owed if y not in covered]
        if not missing:
            return None
        sep = " and " if lang == "en" else "、"
        asked = sep.join(str(y) for y in sorted(missing))
        if policy.makeup is None:
            body = self.t(lang, "ta.makeup.none_for", year=policy.year, asked=asked)
            reply = self._no_makeup(state, lang)
            return replace(reply, text=body + "\n" + reply.text)
        earlier = self.kb(policy).topic("makeup-earlier")
        if earlier is not None and max(missing) < min(covered):  # the FAQ's own wording of "years before those"
            lead = earlier.answer(lang)
        else:
            lead = self.t(lang, "ta.makeup.not_covered", asked=asked, years=sep.join(str(y) for y in covered))
        reply = self._makeup(state, lang)
        topic = "makeup-window" if len(missing) < len(owed) else "makeup-earlier"
        return replace(reply, text=lead + "\n" + reply.text, extra={**reply.extra, "topic": topic})

    def _on_day(self, text: str, state: YearState, lang: str) -> Reply | None:
        """A day the question names, set against the window it is about: the makeup window for a makeup of an
        earlier year ("我6月5号才补的2025年学分算吗"), else the year's study period ("12月31号晚上12点前学完算吗",
        "元旦后还能学2026的吗"). The day is read in the asked clause; today itself is what the other readings
        already answer."""
        if not (_COUNTS.search(text) and _STUDY_VERB.search(text)) or _REMIND.search(text) or _UNFINISHED.search(text):
            return None
        asked = asking_clause(text)[1]
        clause = asked if read_day(asked, state.today) else text
        named = read_day(clause, state.today, past=bool(_DONE.search(text)))
        if named is None or (named.day == state.today and not named.after) \
                or _DAY_OF_LIFE.match(clause, clause.find(named.matched) + len(named.matched)):
            return None
        policy = state.policy
        owed = _owed_years(text, state.today)
        makeup = policy.makeup
        if makeup is not None and _MAKEUP.search(text) and policy.year not in owed \
                and (not owed or set(owed) & set(makeup.years)):
            named = read_day(clause, state.today, year=makeup.start.year) or named
            day = named.day + timedelta(days=1) if named.after else named.day
            key = ("makeup_before" if day < makeup.start else "makeup_after" if day > makeup.end
                   else "makeup_within")
            lead = self.t(lang, f"ta.day.{key}", day=self._day_words(named.day, named.after, lang),
                          start=fmt_date(makeup.start, lang), end=fmt_date(makeup.end, lang))
            reply = self._makeup(state, lang)
            return replace(reply, text=lead + "\n" + reply.text)
        day = named.day + timedelta(days=1) if named.after else named.day
        period = policy.study_period
        args = {"day": self._day_words(named.day, named.after, lang), "year": policy.year, "day_year": day.year,
                "start": fmt_date(period.start, lang), "deadline": fmt_date(policy.deadline, lang)}
        if day > policy.deadline:
            lead = self.t(lang, "ta.day.after_deadline", **args)
            reply = self._deadline(state, lang) if state.between else self._no_makeup(state, lang)
        elif day < period.start:
            lead = self.t(lang, "ta.day.before_start", **args)
            reply = self._deadline(state, lang)
        else:
            lead = self.t(lang, "ta.day.within", **args)
            if state.today < day < policy.deadline:  # "12月20号才开始学还来得及吗": the days left from then
                lead += self.t(lang, "ta.day.until", day=fmt_date(day, lang),
                               days=(policy.deadline - day).days + 1)
            reply = self._deadline(state, lang)
        return replace(reply, text=lead + "\n" + reply.text)

    def _missing_wording(self, text: str, state: YearState, year: int | None, topic: str | None,
                         lang: str) -> Reply | None:
        """A year's notice loaded before its wording of every entry is (``accbot kb check`` lists what is left out):
        the credit rule and the makeup arrangements still come from the year's policy data, not from a stray topic.
        """
        kb = self.kb(state.policy)
        if year is not None and year != state.policy.year:
            return None
        if not state.between and kb.topic("credits-total") is None and (asks_required_amount(text) or (
                _KIND.search(text) and _AMOUNT_ASKED.search(text) and kb.topic("professional-min") is None)):
            return self._year_rule(state, lang)
        if kb.topic("makeup-window") is None and kb.topic("no-makeup") is None and _MAKEUP.search(text) \
                and not _NOT_MAKEUP_WORDS.search(text) and topic not in _MAKEUP_TOPICS:
            return self._makeup(state, lang)
        return None

    def _year_rule(self, state: YearState, lang: str) -> Reply:
        """The year's credit rule from its policy data, resting on the national rule's clause."""
        credits = state.policy.credits
        body = self.t(lang, "ta.year.rule", year=state.policy.year, min_total=credits.min_total,
                      min_professional=credits.min_professional, notice_no=state.policy.documents.notice.doc_no)
        return self._reply(lang, body, self._national_clause(state), topic="credits-total")

    def _day_words(self, day: date, after: bool, lang: str) -> str:
        words = self.t(lang, "ta.day.after", day=fmt_date(day, lang)) if after else fmt_date(day, lang)
        return words[:1].upper() + words[1:]

    def _unpublished_year(self, text: str, state: YearState, year: int, lang: str) -> Reply | None:
        """A year whose Shanxi notice is not loaded: the national rule, and what is not known yet."""
        if _CARRY.search(text):
            return None
        rule = national_rule()
        args = {"year": year, "min_total": rule.min_total, "min_professional": rule.min_professional,
                "prev": state.policy.year, "prev_issued": fmt_date(state.policy.documents.notice.issued, lang)}
        # "明年的会计之星怎么注册" asks how, not when: the steps answer it, whatever the year.
        asks_time = bool(_WHEN.search(text) or _DEADLINE.search(text)
                         or (_ONLINE.search(text) and not _HOW.search(text)) or _MAKEUP.search(text)
                         or _DAYS.search(text) or _OPEN_CLOSE.search(text) or _NOTICE.search(text))
        if not asks_time and not (_CREDITS.search(text) or _AMOUNT.search(text) or _STILL.search(text)
                                  or (asks_whether_required(text) and _names_year_asked(text, year, state.today))):
            return None
        lines = [self.t(lang, "ta.future.rule", **args)]
        if asks_time:
            lines.append(self.t(lang, "ta.future.dates", **args))
        lines.append(self.t(lang, "ta.future.caveat", **args))
        return self._reply(lang, "\n".join(lines), self._national_clause(state), topic="next-year")
