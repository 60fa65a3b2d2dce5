"""Settings, rate cards and orders carry row versions: a save from a stale copy is refused,
naming who saved last and when, and nothing of it is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from test_pricing import ISSUE_CARD

from adsdesk.store import settings as settings_store
from adsdesk.store.actor import Actor, acting_as
from adsdesk.store.ads import AdDraft, load_ad, save_ad
from adsdesk.store.desk_save import SaveOutcome, desk_save
from adsdesk.store.orders import (
    CASH,
    StaleOrder,
    book_order,
    cancel_order,
    get_order,
    order_for_ad,
    take_payment,
)
from adsdesk.store.ratecards import StaleCard, load_card, save_card
from adsdesk.store.settings import RefusedEntry, StaleSetting, load_copy, save_copy

TODAY = dt.date(2024, 3, 1)
WANG, LI = Actor(computer="前台一号机"), Actor(computer="前台二号机")


# --------------------------------------------------------------------------- settings


def test_the_same_setting_changed_at_two_desks_the_second_is_refused_and_chooses(
    desk_db,
) -> None:
    first, second = load_copy(), load_copy()
    with acting_as(WANG):
        save_copy(replace(first, settings=replace(first.settings, area_code="0351")), first)
    second_mine = replace(second, settings=replace(second.settings, area_code="0353"))
    with acting_as(LI), pytest.raises(StaleSetting) as caught:
        save_copy(second_mine, second)
    message = str(caught.value)
    assert "本地区号" in message and "前台一号机" in message
    assert f"{dt.date.today():%Y-%m-%d}" in message
    assert settings_store.load_settings().area_code == "0351"  # nothing of mine written
    stored = caught.value.stored
    assert stored is not None and stored.settings.area_code == "0351"
    # the clerk keeps theirs: saved over the copy now stored
    with acting_as(LI):
        save_copy(second_mine, stored)
    assert settings_store.load_settings().area_code == "0353"


def test_different_settings_changed_at_two_desks_are_both_kept(desk_db) -> None:
    first, second = load_copy(), load_copy()
    with acting_as(WANG):
        save_copy(replace(first, settings=replace(first.settings, hotlines=["5100000"])), first)
    with acting_as(LI):
        mine = replace(second, settings=replace(second.settings, paper_name="太原晚报"))
        stored = save_copy(mine, second)
    assert stored.settings.hotlines == ["5100000"] and stored.settings.paper_name == "太原晚报"


def test_lists_are_versioned_too_and_a_category_made_by_a_save_counts(desk_db) -> None:
    settings_store.ensure_default_categories()
    opened = load_copy()
    # another desk books an ad under a category nobody had: the list has moved on
    save_ad(AdDraft(category="宠物", title="寻狗", body="电话 13903528491"))
    reordered = replace(opened, categories=list(reversed(opened.categories)))
    with pytest.raises(StaleSetting) as caught:
        save_copy(reordered, opened)
    assert "分类" in str(caught.value)
    assert "宠物" in settings_store.list_categories()  # not dropped by the stale list
    # the refuse list: one desk adds a number, another (opened before) removes all
    opened = load_copy()
    with acting_as(WANG):
        entry = RefusedEntry("+8613903528491", "13903528491", "冒充本报")
        save_copy(replace(opened, refused=[entry]), opened)
    other = [RefusedEntry("+8613800000000", "13800000000", "")]
    with pytest.raises(StaleSetting) as caught:
        save_copy(replace(opened, refused=other), opened)
    assert "拒登号码" in str(caught.value) and "前台一号机" in str(caught.value)
    assert [e.display for e in settings_store.list_refused()] == ["13903528491"]


def test_column_settings_from_a_stale_copy_are_refused(desk_db) -> None:
    from adsdesk.store.layout_prefs import (
        column_settings_version,
        load_column_settings,
        save_column_settings,
    )

    seen = column_settings_version()
    with acting_as(WANG):
        save_column_settings({"columns": 4}, seen)
    with acting_as(LI), pytest.raises(StaleSetting) as caught:
        save_column_settings({"columns": 5}, seen)
    assert "版面设置" in str(caught.value) and "前台一号机" in str(caught.value)
    assert load_column_settings() == {"columns": 4}


# --------------------------------------------------------------------------- rate cards


def test_a_rate_card_edited_at_two_desks_the_second_is_refused(desk_db) -> None:
    card_id = save_card(ISSUE_CARD)
    mine, theirs = load_card(card_id), load_card(card_id)
    with acting_as(WANG):
        save_card(theirs.text.replace('name = "', 'name = "新'), card_id, theirs.version)
    with acting_as(LI), pytest.raises(StaleCard) as caught:
        save_card(mine.text + "\n# 我的修改\n", card_id, mine.version)
    assert f"价目表 #{card_id}" in str(caught.value) and "前台一号机" in str(caught.value)
    stored = caught.value.stored
    assert "# 我的修改" not in load_card(card_id).text and stored.text == load_card(card_id).text
    with acting_as(LI):  # keeps theirs, over the version now stored
        save_card(mine.text + "\n# 我的修改\n", card_id, stored.version)
    assert "# 我的修改" in load_card(card_id).text


# --------------------------------------------------------------------------- orders


@pytest.fixture
def order(desk_db):
    settings_store.ensure_default_categories()
    save_card(ISSUE_CARD)
    ad_id = save_ad(
        AdDraft(category="家居服务", body="修纱窗" * 10, advertiser_name="张师傅", dates=[TODAY])
    )
    return book_order(ad_id, today=TODAY)


def test_a_payment_on_an_order_that_changed_since_it_was_shown_is_not_taken(order) -> None:
    seen = get_order(order.id)
    with acting_as(WANG):  # the other desk collects the balance first
        take_payment(order.id, seen.balance_fen, CASH, today=TODAY, version=seen.version)
    with acting_as(LI), pytest.raises(StaleOrder) as caught:
        take_payment(order.id, seen.balance_fen, CASH, today=TODAY, version=seen.version)
    assert "前台一号机" in str(caught.value) and order.serial in str(caught.value)
    assert caught.value.stored.paid_fen == seen.total_fen
    assert get_order(order.id).paid_fen == seen.total_fen  # collected once, not twice


def test_a_cancellation_agreed_on_an_older_order_is_not_done(order) -> None:
    seen = get_order(order.id)
    with acting_as(WANG):
        take_payment(order.id, 5000, CASH, today=TODAY)
    with acting_as(LI), pytest.raises(StaleOrder):
        cancel_order(order.id, today=TODAY, version=seen.version)
    assert get_order(order.id).status == "open"
    result = cancel_order(order.id, today=TODAY, version=get_order(order.id).version)
    assert result.order.status == "cancelled"


def test_a_payment_typed_at_the_desk_on_a_changed_order_is_held_back(order) -> None:
    """保存 with a payment: the ad is saved, but money typed against an order another desk has
    paid since is not taken; the outcome says who, and shows the order as it is now."""
    shown = get_order(order.id)
    with acting_as(WANG):
        take_payment(order.id, shown.balance_fen, CASH, today=TODAY)
    draft = load_ad(shown.ad_id)  # type: ignore[arg-type]
    draft.body += "，包安装"
    with acting_as(LI):
        outcome = desk_save(draft, payment=(CASH, shown.balance_fen), order_version=shown.version)
    assert isinstance(outcome, SaveOutcome)
    assert isinstance(outcome.order_conflict, StaleOrder) and "前台一号机" in outcome.problem
    assert load_ad(shown.ad_id).body.endswith("包安装")  # type: ignore[arg-type]
    now = order_for_ad(shown.ad_id)  # type: ignore[arg-type]
    assert now is not None and now.paid_fen == shown.total_fen  # paid once


@pytest.mark.sqlite_only
def test_rows_from_before_versions_start_at_version_one(db_path) -> None:
    """A file at schema 13 upgrades: its settings rows are at version 1, and a copy opened
    after the upgrade saves over them, while a copy from before that save is refused."""
    from peewee import SqliteDatabase

    from adsdesk.store.database import init_db
    from adsdesk.store.migrations import MIGRATIONS
    from adsdesk.store.models import db

    old = SqliteDatabase(str(db_path))
    db.initialize(old)
    for step in MIGRATIONS[:13]:
        with old.atomic():
            step(old)
    old.execute_sql(
        "INSERT INTO meta_info (key, value) VALUES ('app', 'adsdesk'), ('schema_version', '13')"
    )
    old.execute_sql("INSERT INTO setting (key, value) VALUES ('area_code', '\"0351\"')")
    old.close()
    init_db(db_path)
    opened, other = load_copy(), load_copy()
    assert opened.stamps["area_code"].version == 1 and opened.settings.area_code == "0351"
    save_copy(replace(opened, settings=replace(opened.settings, area_code="0352")), opened)
    with pytest.raises(StaleSetting):
        save_copy(replace(other, settings=replace(other.settings, area_code="0353")), other)
    assert settings_store.load_settings().area_code == "0352"
