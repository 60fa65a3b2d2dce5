"""Several clerks on one database: no lost update, other desks' changes shown, retries."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from conftest import type_text
from PySide6.QtCore import Qt

from adsdesk.store import ads, retry
from adsdesk.store import settings as settings_store
from adsdesk.store.actor import Actor, acting_as
from adsdesk.store.ads import AdDraft, StaleAd
from adsdesk.store.database import close_db, init_db
from adsdesk.store.models import Ad
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow

DAY = dt.date(2023, 2, 24)


def _ad(title: str = "出售旧家具", body: str = "八成新 电话 13903528491") -> int:
    return ads.save_ad(AdDraft(category="家居服务", title=title, body=body, dates=[DAY]))


# --------------------------------------------------------------------------- store


def test_a_stale_save_is_refused_naming_who_and_when(desk_db: str) -> None:
    ad_id = _ad()
    mine, theirs = ads.load_ad(ad_id), ads.load_ad(ad_id)
    assert mine.version == theirs.version == 1
    theirs.title = "出售旧家具（已降价）"
    with acting_as(Actor(computer="前台二号机")):
        ads.save_ad(theirs)
    assert theirs.version == 2
    mine.body = "九成新，电话 13903528491"
    with pytest.raises(StaleAd) as caught:
        ads.save_ad(mine)
    message = str(caught.value)
    stored = caught.value.stored
    assert "前台二号机" in message and f"{stored.updated_at:%Y-%m-%d %H:%M}" in message
    assert f"广告 #{ad_id}" in message
    # nothing of mine was written; the stored copy is theirs, whole
    assert stored.title == "出售旧家具（已降价）" and stored.body == "八成新 电话 13903528491"
    assert ads.load_ad(ad_id).body == "八成新 电话 13903528491"
    # the clerk chooses theirs over the stored one: saved on top of the version now stored
    mine.version = stored.version
    ads.save_ad(mine)
    final = ads.load_ad(ad_id)
    assert (final.title, final.body, final.version) == ("出售旧家具", "九成新，电话 13903528491", 3)


def test_two_clerks_saving_at_once_one_wins_the_other_is_told(desk_db: str) -> None:
    ad_id = _ad()
    close_db()
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def clerk(name: str) -> None:
        init_db(desk_db)
        draft = ads.load_ad(ad_id)
        draft.body = f"{name} 的修改"
        start.wait()
        try:
            results[name] = retry.run(lambda: ads.save_ad(draft))
        except StaleAd as exc:
            results[name] = exc
        finally:
            close_db()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    init_db(desk_db)
    refused = [n for n, r in results.items() if isinstance(r, StaleAd)]
    saved = [n for n, r in results.items() if r == ad_id]
    assert len(refused) == 1 and len(saved) == 1
    stored = ads.load_ad(ad_id)
    assert stored.body == f"{saved[0]} 的修改" and stored.version == 2


def test_a_deleted_ad_is_not_brought_back_by_a_stale_save(desk_db: str) -> None:
    ad_id = _ad()
    mine = ads.load_ad(ad_id)
    ads.delete_ad(ad_id)
    with pytest.raises(ads.AdNotFound):
        ads.save_ad(mine)
    assert Ad.select().count() == 0


@pytest.mark.sqlite_only
def test_writers_to_one_file_take_turns_and_none_waits_forever(
    db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save waits its turn while another desk writes, and goes in once that one commits;
    a desk that holds the file past the busy timeout makes the others say so, not hang."""
    monkeypatch.setenv("ADSDESK_BUSY_TIMEOUT_MS", "200")
    init_db(db_path)
    ad_id = _ad()
    held, release = threading.Event(), threading.Event()

    def long_writer() -> None:  # another desk in the middle of a long write
        from adsdesk.store.models import db

        with db.atomic():
            Ad.update(title="另一台正在改").where(Ad.id == ad_id).execute()
            held.set()
            release.wait(30)
        db.close()

    other = threading.Thread(target=long_writer)
    other.start()
    try:
        assert held.wait(10)
        with pytest.raises(retry.DatabaseBusy) as told:
            retry.run(lambda: _ad("等待的广告"), attempts=2, sleep=lambda _s: None)
        assert "数据库正忙" in str(told.value)
    finally:
        release.set()
        other.join(10)
    # the turn was handed back with the other desk's commit: the next save goes straight in
    new_id = retry.run(lambda: _ad("等待的广告"))
    assert {a.title for a in Ad.select()} == {"另一台正在改", "等待的广告"} and new_id != ad_id
    close_db()


@pytest.mark.sqlite_only
def test_the_desk_that_waited_longest_writes_next(db_path) -> None:
    """Two desks wait for a third's write: the one that has waited longer goes in first, even
    when the other starts waiting just before the file comes free (a newcomer used to win)."""
    from adsdesk.store.models import db

    def holder(held: threading.Event, release: threading.Event) -> None:
        with db.atomic():
            held.set()
            release.wait(10)
        db.close()

    def waiter(name: str, order: list[str], started: threading.Event) -> None:
        started.set()
        with db.atomic():  # takes the file's turn lock, then SQLite's
            order.append(name)
        db.close()

    init_db(db_path)
    first_in: list[str] = []
    for _ in range(20):
        order: list[str] = []
        held, release = threading.Event(), threading.Event()
        threads = [threading.Thread(target=holder, args=(held, release))]
        threads[0].start()
        assert held.wait(10)
        started = [threading.Event(), threading.Event()]
        threads.append(threading.Thread(target=waiter, args=("long", order, started[0])))
        threads[1].start()
        assert started[0].wait(10)
        threading.Event().wait(0.05)  # the first desk has waited 50 ms
        threads.append(threading.Thread(target=waiter, args=("new", order, started[1])))
        threads[2].start()
        # The newcomer has just begun to wait (timed from its own start: on a loaded machine a
        # thread took more than the 1 ms to start, and came to a file already free).
        assert started[1].wait(10)
        threading.Event().wait(0.001)
        release.set()
        for t in threads:
            t.join(10)
        assert sorted(order) == ["long", "new"]
        first_in.append(order[0])
    assert first_in.count("long") >= 16, first_in
    close_db()


# --------------------------------------------------------------------------- two desks


@pytest.fixture
def two_desks(qtbot, demo_db: str) -> Iterator[tuple[MainWindow, MainWindow]]:
    """Two desks on one database, each with its own database thread and connection."""
    application()
    opened = []
    for _ in range(2):
        executor = DbExecutor()
        window = MainWindow(executor, str(demo_db))
        window.show()
        qtbot.waitUntil(lambda w=window: w.editor.category.count() > 0)
        opened.append((window, executor))
    qtbot.waitUntil(lambda: all(w.list_pane.model.rowCount() > 0 for w, _ in opened))
    yield opened[0][0], opened[1][0]
    for window, executor in opened:
        window.editor.clear_for_new()
        window.close()
        executor.shutdown()


def _titles(window: MainWindow) -> list[str]:
    from adsdesk.ui.ad_table import COL_TITLE

    model = window.list_pane.model
    return [
        model.index(r, COL_TITLE).data(Qt.ItemDataRole.DisplayRole) or ""
        for r in range(model.rowCount())
    ]


def test_an_ad_saved_at_one_desk_shows_at_the_other(qtbot, two_desks) -> None:
    a, b = two_desks
    a.show_issue(DAY)
    b.show_issue(DAY)
    qtbot.waitUntil(lambda: b.layout_view._layout is not None)
    placed_before = len(b.layout_view._layout.placed)
    a.editor.category.setCurrentText("家居服务")
    type_text(qtbot, a.editor.title, "纱窗上门安装")
    type_text(qtbot, a.editor.body, "各种纱窗 电话 13903528491")
    qtbot.mouseClick(a.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "纱窗上门安装" in _titles(b), timeout=3000)
    # the other desk's 版面 tab lays the issue out again with the new ad in it
    qtbot.waitUntil(
        lambda: (
            b.layout_view._layout is not None
            and len(b.layout_view._layout.placed) + len(b.layout_view._layout.left_over)
            > placed_before
        ),
        timeout=3000,
    )


def test_the_second_clerk_sees_both_copies_and_chooses(qtbot, two_desks) -> None:
    a, b = two_desks
    first = a.list_pane.model.row_at(0)
    assert first is not None
    ad_id = first.id
    for w in (a, b):
        w.open_ad(ad_id)
    qtbot.waitUntil(lambda: a.editor.ad_id() == ad_id and b.editor.ad_id() == ad_id)
    type_text(qtbot, b.editor.title, "乙改")  # b is editing: not reloaded under its hands
    a.editor.title.setText("")
    type_text(qtbot, a.editor.title, "甲改的标题")
    qtbot.mouseClick(a.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not a.editor.is_dirty())
    b_title = b.editor.title.text()
    qtbot.mouseClick(b.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: b.conflict_dialog is not None and b.conflict_dialog.isVisible())
    dialog = b.conflict_dialog
    assert "已由" in dialog.message.text() and "没有写入" in dialog.message.text()
    assert b_title in dialog.mine_text.toPlainText()
    assert "甲改的标题" in dialog.stored_text.toPlainText()
    assert b.editor.title.text() == b_title  # the clerk's copy is still on screen
    qtbot.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not b.editor.is_dirty())
    stored = ads.load_ad(ad_id)
    assert stored.title == b_title and stored.version == 3


# --------------------------------------------------------------------------- settings, cards, orders


def test_two_desks_change_the_same_setting_the_second_sees_both_and_keeps_theirs(
    qtbot, answer_modal, two_desks
) -> None:
    from adsdesk.ui.settings_dialog import SettingsDialog

    a, b = two_desks  # b's settings were loaded before a saves: b's copy goes stale

    def change_a(dialog: SettingsDialog) -> None:
        dialog.area_code.setText("0351")
        dialog.paper_name.setText("太原晚报")
        dialog.accept()

    assert answer_modal(SettingsDialog, change_a) is not None
    a.open_settings()
    qtbot.waitUntil(lambda: a._values is not None and a._values.settings.area_code == "0351")

    def change_b(dialog: SettingsDialog) -> None:
        dialog.area_code.setText("0353")
        dialog.accept()

    answer_modal(SettingsDialog, change_b)
    b.open_settings()
    qtbot.waitUntil(lambda: b.conflict_dialog is not None and b.conflict_dialog.isVisible())
    dialog = b.conflict_dialog
    assert "本地区号" in dialog.message.text() and "没有写入" in dialog.message.text()
    assert "0353" in dialog.mine_text.toPlainText()
    assert "0351" in dialog.stored_text.toPlainText()
    assert settings_store.load_settings().area_code == "0351"  # nothing of b's written yet
    qtbot.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: b._values is not None and b._values.settings.area_code == "0353")
    stored = settings_store.load_settings()
    # b's own change over a's; a's other change (the paper's name) is kept, not overwritten
    assert (stored.area_code, stored.paper_name) == ("0353", "太原晚报")


def test_a_rate_card_edited_in_two_dialogs_the_second_chooses(qtbot, two_desks) -> None:
    from adsdesk.store.ratecards import load_card
    from adsdesk.ui.ratecard_dialog import RateCardDialog

    a, b = two_desks
    dialogs = [RateCardDialog(w.executor, w) for w in (a, b)]
    for d in dialogs:
        d.show()
    qtbot.waitUntil(lambda: all(d._version is not None for d in dialogs))
    first, second = dialogs
    card_id = first._card_id
    first.text.appendPlainText("# 甲调价")
    qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "# 甲调价" in load_card(card_id).text)
    second.text.appendPlainText("# 乙调价")
    qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: second.conflict_dialog is not None and second.conflict_dialog.isVisible()
    )
    dialog = second.conflict_dialog
    assert f"价目表 #{card_id}" in dialog.message.text()
    assert "# 乙调价" in dialog.mine_text.toPlainText()
    assert "# 甲调价" in dialog.stored_text.toPlainText()
    assert "# 乙调价" not in load_card(card_id).text
    qtbot.mouseClick(dialog.take_stored, Qt.MouseButton.LeftButton)  # theirs, mine dropped
    qtbot.waitUntil(lambda: "# 甲调价" in second.text.toPlainText())
    assert "# 乙调价" not in second.text.toPlainText()
    for d in dialogs:
        d.close()


def test_a_payment_on_an_order_paid_meanwhile_at_the_other_desk_is_held_back(
    qtbot, answer_modal, two_desks
) -> None:
    from adsdesk.store import orders
    from adsdesk.ui.till import PaymentDialog

    _a, b = two_desks
    order = orders.Order.select().where(orders.Order.status == "open").first()
    assert order is not None
    paid_before = int(order.paid_fen)

    def pay_at_b(dialog: PaymentDialog) -> None:
        # while b's clerk types, the clerk at a takes 5.00 on the same order
        with acting_as(Actor(computer="前台一号机")):
            orders.take_payment(order.id, 500, orders.CASH)
        dialog.edit.setText("8.00")
        dialog._accept()

    answer_modal(PaymentDialog, pay_at_b)
    b.till.take_payment(order.id)
    qtbot.waitUntil(
        lambda: (
            getattr(b.till, "conflict_dialog", None) is not None
            and b.till.conflict_dialog.isVisible()
        )
    )
    dialog = b.till.conflict_dialog
    assert "前台一号机" in dialog.message.text() and "没有执行" in dialog.message.text()
    assert "本次收款：8.00" in dialog.mine_text.toPlainText()
    assert orders.get_order(order.id).paid_fen == paid_before + 500  # b's 8.00 not taken
    qtbot.mouseClick(dialog.take_stored, Qt.MouseButton.LeftButton)  # 不收了
    assert orders.get_order(order.id).paid_fen == paid_before + 500


def test_column_settings_saved_meanwhile_at_the_other_desk_are_not_overwritten(
    qtbot, answer_modal, two_desks
) -> None:
    from dataclasses import replace

    from adsdesk.issue import load_column_settings, save_column_settings
    from adsdesk.ui.column_settings_dialog import ColumnSettingsDialog

    _a, b = two_desks

    def at_b(dialog: ColumnSettingsDialog) -> None:
        # while b's clerk sets 6 columns, the other desk saves 4
        with acting_as(Actor(computer="前台一号机")):
            save_column_settings(replace(load_column_settings(), columns=4))
        dialog.columns.setValue(6)
        dialog.accept()

    answer_modal(ColumnSettingsDialog, at_b)
    b.layout_view.open_column_settings()
    view = b.layout_view
    qtbot.waitUntil(
        lambda: (
            getattr(view, "conflict_dialog", None) is not None and view.conflict_dialog.isVisible()
        )
    )
    dialog = view.conflict_dialog
    assert "版面设置" in dialog.message.text() and "前台一号机" in dialog.message.text()
    assert "columns：6" in dialog.mine_text.toPlainText()
    assert "columns：4" in dialog.stored_text.toPlainText()
    assert load_column_settings().columns == 4
    qtbot.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: load_column_settings().columns == 6)


def test_money_typed_at_the_desk_against_an_order_paid_meanwhile_is_held_back(
    qtbot, two_desks
) -> None:
    from adsdesk.store import orders

    _a, b = two_desks
    order = orders.Order.select().where(orders.Order.status == "open").first()
    assert order is not None and order.ad_id is not None
    before = int(order.paid_fen)
    b.open_ad(order.ad_id)
    qtbot.waitUntil(lambda: getattr(b.till.panel.shown_order, "id", None) == order.id)
    type_text(qtbot, b.editor.body, "，周日休息")
    b.till.panel.paid.setText("3.00")
    with acting_as(Actor(computer="前台一号机")):  # the other desk takes 5.00 meanwhile
        orders.take_payment(order.id, 500, orders.CASH)
    qtbot.mouseClick(b.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            getattr(b.till, "conflict_dialog", None) is not None
            and b.till.conflict_dialog.isVisible()
        )
    )
    dialog = b.till.conflict_dialog
    assert "前台一号机" in dialog.message.text()
    assert "本次收款：3.00" in dialog.mine_text.toPlainText()
    assert "周日休息" in ads.load_ad(order.ad_id).body  # the ad itself is saved
    assert orders.get_order(order.id).paid_fen == before + 500
    qtbot.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)  # take it, knowingly
    qtbot.waitUntil(lambda: orders.get_order(order.id).paid_fen == before + 800)
