"""The foundation as a user meets it: /start, /help, /lang, questions, non-text, bad input, stale buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.app import stop_application
from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from tests.auxil.harness import ChatHarness, running_chat

USER = 4242


async def test_start_is_short_and_offers_the_main_menu(chat: ChatHarness) -> None:
    [welcome] = await chat.send(USER, "/start")
    assert len(welcome.text) < 400
    assert "90" in welcome.text
    labels = [label for label, _ in welcome.buttons]
    assert any("常见问题" in label for label in labels)
    assert any("学分" in label for label in labels)


async def test_start_speaks_english_to_an_english_telegram_user(chat: ChatHarness) -> None:
    [welcome] = await chat.send(USER, "/start", lang="en-US")
    assert "credits" in welcome.text
    assert "学分" not in welcome.text


async def test_lang_choice_is_remembered_across_a_restart(
    chat: ChatHarness, services: Services, double: BotApiDouble
) -> None:
    await chat.send(USER, "/lang")
    await chat.press(USER, "English")
    assert "English" in chat.texts(USER)[-1]
    await stop_application(chat.app)

    async with running_chat(services, double) as again:
        [welcome] = await again.send(USER, "/start", lang="zh-hans")
        assert "credits" in welcome.text


async def test_policy_question_gets_the_numbers_and_the_citation(chat: ChatHarness) -> None:
    [answer] = await chat.send(USER, "每年需要多少学分")
    assert "90" in answer.text and "60" in answer.text
    assert "晋财会〔2026〕7号" in answer.text


async def test_out_of_scope_question_is_answered_honestly_and_logged(
    chat: ChatHarness, services: Services
) -> None:
    [answer] = await chat.send(USER, "明天太原天气怎么样")
    assert "没有找到" in answer.text
    assert "晋财会" not in answer.text
    logged = await services.unanswered.recent()
    assert ("not_found", "明天太原天气怎么样") in logged


async def test_unanswered_questions_are_kept_once_per_wording_counted_and_without_who_asked(
    chat: ChatHarness, services: Services
) -> None:
    asks = ((USER, "明天太原天气怎么样"), (USER + 1, " 明天太原天气怎么样？"), (USER + 2, "明天太原天氣怎麼樣"))
    for user, text in asks:
        await chat.send(user, text)
    [entry] = [e for e in await services.unanswered.entries() if "天气" in e.text]
    assert entry.count == 3 and entry.text == "明天太原天气怎么样"
    table = await services.db.fetchall("SELECT name FROM pragma_table_info('unanswered_questions')")
    columns = {r["name"] for r in table}
    assert not columns & {"user_id", "chat_id", "asked_at"}
    [mydata] = await chat.send(USER, "/mydata")
    assert "天气" not in mydata.text and "不记录是谁问的" in mydata.text


async def test_unanswered_questions_are_capped(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    await services.db.open()
    services.unanswered.cap = 3
    for i in range(5):
        clock.advance(timedelta(minutes=1))
        await services.unanswered.add(f"没人问过的问题{i}", "zh", "not_found", clock.now())
    kept = [e.text for e in await services.unanswered.entries(order="recent")]
    assert kept == ["没人问过的问题4", "没人问过的问题3", "没人问过的问题2"]
    await services.db.close()


async def test_sticker_photo_and_voice_get_a_friendly_hint(chat: ChatHarness) -> None:
    sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
               "is_animated": False, "is_video": False}
    for content in ({"sticker": sticker},
                    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
                    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}):
        [hint] = await chat.send(USER, None, **content)
        assert "打字" in hint.text


async def test_huge_message_is_refused_and_not_logged(chat: ChatHarness, services: Services) -> None:
    [reply] = await chat.send(USER, "学分" * 2000)
    assert "太长" in reply.text
    assert await services.unanswered.recent() == []


async def test_unknown_command_points_to_help(chat: ChatHarness) -> None:
    [reply] = await chat.send(USER, "/frobnicate")
    assert "/help" in reply.text


async def test_forged_or_stale_button_is_answered_and_changes_nothing(
    chat: ChatHarness, services: Services
) -> None:
    await chat.send(USER, "/start")
    await chat.press(USER, data="nonsense:123")
    assert "失效" in (chat.last_answer(USER) or "")
    await chat.press(USER, data="lang:xx")
    record = await services.users.get(USER)
    assert record is not None and record.language == "zh" and not record.language_chosen


async def test_user_text_is_never_sent_as_markup(chat: ChatHarness, double: BotApiDouble) -> None:
    await chat.send(USER, "<b>学分</b> *要* 多少 [x](http://e.com)")
    sends = [params for method, params in double.calls if method == "sendMessage"]
    assert sends and all("parse_mode" not in params for params in sends)


async def test_help_lists_the_commands(chat: ChatHarness) -> None:
    [reply] = await chat.send(USER, "/help")
    for command in ("/credits", "/remind", "/lang"):
        assert command in reply.text


async def test_failing_set_my_commands_does_not_stop_the_bot(services: Services) -> None:
    async with running_chat(services, BotApiDouble(fail_methods={"setMyCommands"})) as chat:
        [welcome] = await chat.send(USER, "/start")
        assert "90" in welcome.text


async def test_in_a_group_the_bot_ignores_chatter_but_answers_commands(chat: ChatHarness) -> None:
    group = -100123
    assert await chat.send(USER, "每年需要多少学分", chat_id=group) == []
    sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 1, "height": 1,
               "is_animated": False, "is_video": False}
    assert await chat.send(USER, None, chat_id=group, sticker=sticker) == []
    [welcome] = await chat.send(USER, "/start", chat_id=group)
    assert "90" in welcome.text
