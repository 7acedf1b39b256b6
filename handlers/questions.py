"""Free text: policy questions (and whatever else the responder recognises), and topic buttons."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers import qa
from bot.answers.credit_answers import Person
from bot.answers.reply import Reply
from bot.answers.responder import FOLLOW_UP_MINUTES
from bot.infra.logsetup import storage_throttle
from bot.storage import StorageUnavailable
from handlers.common import language_of, message_text, send_reply, services, tr, user_id

log = logging.getLogger(__name__)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message_text(update)
    svc = services(context)
    lang = language_of(update, context)
    # One Bot API call: the answer takes milliseconds, so a typing indicator before it would only double
    # the calls (and a failed indicator must never cost the answer).
    now = svc.clock.now()
    reply, asked = svc.responder.respond_after(text, lang, _last_question(context, now))
    if "statement" in reply.extra.get("topics", ()):
        reply = await _for_the_sender(update, context, asked, lang)
    topics = [str(x) for x in reply.extra.get("topics", [reply.extra.get("topic")]) if x]
    if reply.kind == "answer" and topics:
        # A close call's 👍/👎 is on the answer it gave in full, the leader; several questions', on the last one
        # answered in full (a part answered in compact form is a guess).
        close = reply.extra.get("pair") or reply.extra.get("hedged")
        full = [p["topics"][0] for p in reply.extra.get("parts", ()) if not p.get("hedged")]  # type: ignore[attr-defined]
        reply = qa.with_feedback(reply, topics[0] if close else (full or topics[:1])[-1], lang, svc.t)
    sent = await send_reply(update, context, reply)
    if reply.kind == "answer":
        _remember_last(context, asked, now)
    if sent is not None and reply.kind == "answer":
        _remember_question(context, sent.message_id, text)
    # A hedge answers, but it is a close call the FAQ should settle: it joins the misses as "hedged"; so does each
    # part of several questions that was left open (hedged, unsure, not found), as the part it was.
    missed = "hedged" if reply.extra.get("hedged") else reply.kind
    misses = [(text, missed)] if missed in ("not_found", "unsure", "hedged") else []
    misses += [(str(part), str(kind)) for part, kind in reply.extra.get("open_parts", ())]  # type: ignore[attr-defined]
    for question, kind in misses:
        try:  # the answer is out; losing this statistic must not earn the user an apology
            await svc.unanswered.add(question, lang, kind, svc.clock.now())
        except StorageUnavailable as exc:
            if storage_throttle.allow("unanswered"):
                log.warning("could not record an unanswered question (%s)", exc)


async def _for_the_sender(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, lang: str) -> Reply:
    """A statement of one's credits, answered again with what we know of the sender: their saved profile and
    recorded figures (read only for statements, so questions cost no database reads). The "set your profile"
    hint is given once per user."""
    svc = services(context)
    uid = user_id(update)
    profile = await svc.profiles.get(uid)
    hint = profile is None and await svc.users.first_profile_hint(uid)
    return svc.responder.respond_to(text, lang, Person(profile, await svc.credits.totals_by_year(uid), hint))


# The last answered question per chat, in memory only (never stored or logged), so that a follow-up ("那专业课呢",
# "what about public courses?") can be read with it. A conversation picked up after a while starts afresh.
LAST_KEY = "last_question"
FOLLOW_UP_WITHIN = timedelta(minutes=FOLLOW_UP_MINUTES)


def _last_question(context: ContextTypes.DEFAULT_TYPE, now: datetime) -> str | None:
    last = (context.chat_data or {}).get(LAST_KEY)
    if last is None or now - last[1] > FOLLOW_UP_WITHIN:
        return None
    return str(last[0])


def _remember_last(context: ContextTypes.DEFAULT_TYPE, question: str, now: datetime) -> None:
    if context.chat_data is not None:
        context.chat_data[LAST_KEY] = (question, now)


# The last answers' questions per chat, in memory only: a 👎 then records *what* was asked (without who). Lost
# on restart, when a 👎 records the topic alone.
ASKED_KEY = "asked"
ASKED_KEEP = 20


def _remember_question(context: ContextTypes.DEFAULT_TYPE, message_id: int, text: str) -> None:
    if context.chat_data is None:
        return
    asked: dict[int, str] = context.chat_data.setdefault(ASKED_KEY, {})
    asked[message_id] = text
    for old in sorted(asked)[:-ASKED_KEEP]:
        del asked[old]


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍/👎 under an answer: thank, drop the buttons; a 👎 logs the question (no user id) for `kb misses`."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    parsed = qa.parse_feedback(query.data)
    if parsed is None:
        await query.answer(tr(update, context, "qa.topic_unknown"), show_alert=True)
        return
    helpful, topic_id = parsed
    # A button sent before two entries were merged names the old id: the feedback counts for the merged entry.
    topic = svc.kb.topic(topic_id)
    if topic is not None:
        topic_id = topic.id
    await query.answer(tr(update, context, "qa.feedback.thanks"))
    if query.message is not None:
        await query.edit_message_reply_markup(reply_markup=None)
    if helpful:
        return
    asked = (context.chat_data or {}).get(ASKED_KEY, {})
    text = asked.get(query.message.message_id) if query.message is not None else None
    try:
        await svc.unanswered.add(text or f"[{topic_id}]", language_of(update, context), "down", svc.clock.now())
    except StorageUnavailable as exc:
        if storage_throttle.allow("unanswered"):
            log.warning("could not record a 👎 (%s)", exc)


async def topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed "did you mean" topic: answer it (its title is then the question a follow-up reads on from), or
    say the button is stale."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    reply = qa.answer_topic(svc.kb, query.data, language_of(update, context), svc.t)
    if reply is None:
        await query.answer(tr(update, context, "qa.topic_unknown"), show_alert=True)
        return
    await query.answer()
    await send_reply(update, context, reply)
    topic = svc.kb.topic(str(reply.extra.get("topic", "")))
    if topic is not None:  # "那专业课呢" after tapping 「公需科目要多少学分」 reads on from that title
        _remember_last(context, topic.title(language_of(update, context)), svc.clock.now())


async def faq_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    await send_reply(update, context, qa.topics_menu(svc.kb, language_of(update, context), svc.t))
