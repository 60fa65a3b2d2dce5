"""Pasting a customer's lines: one-line ads stay apart, lead words become titles, dates asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import click_button
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from adsdesk.domain.splitter import split_text
from adsdesk.store.ads import list_ads
from adsdesk.store.settings import DEFAULT_CATEGORIES, DEFAULT_PROFILE
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.paste_dialog import PasteDialog

TWO_LINES = (
    "寻物启事：本人于2月20日在永泰街丢失黑色钱包一个，内有身份证，拾到者请联系13903528495，"
    "必有重谢。\n"
    "出售二手房一套，90平米，南北通透，电话13503521234\n"
)


@pytest.fixture
def dialog(qtbot, desk_db: Path) -> Iterator[PasteDialog]:
    application()
    executor = DbExecutor()
    dlg = PasteDialog(
        executor, list(DEFAULT_CATEGORIES), DEFAULT_PROFILE, issue=dt.date(2023, 2, 24)
    )
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    executor.shutdown()


def _paste(qtbot, dlg: PasteDialog, text: str) -> None:
    QApplication.clipboard().setText(text)
    dlg.source.setFocus()
    qtbot.keyClick(dlg.source, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_one_line_notice_is_not_merged_with_the_next_line(qtbot, dialog: PasteDialog) -> None:
    _paste(qtbot, dialog, TWO_LINES)
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    dialog.list.setCurrentRow(0)
    assert dialog.title.text() == "寻物启事"
    assert dialog.body.toPlainText().startswith("本人于2月20日")
    assert "二手房" not in dialog.body.toPlainText()
    dialog.list.setCurrentRow(1)
    assert dialog.body.toPlainText().startswith("出售二手房")
    assert dialog.category.currentText() == "房屋出售"


@pytest.mark.parametrize(
    ("text", "title", "body_start", "category"),
    [
        ("房屋出租：城区两室一厅，家具齐全，电话 13903528495", "房屋出租", "城区两室", "房屋出租"),
        ("房屋出租 城区两室一厅，家具齐全，电话 13903528495", "房屋出租", "城区两室", "房屋出租"),
        ("招聘：饭店招服务员2名，电话 13903528495", "招聘", "饭店招", "招聘"),
        (
            "寻物启事：本人丢失黑色钱包，内有证件，拾到者必有重谢\n家电维修 上门服务 电话13503521234",
            "寻物启事",
            "本人丢失",
            "公告",
        ),
    ],
)
def test_a_lead_word_becomes_the_title(
    text: str, title: str, body_start: str, category: str
) -> None:
    first = split_text(text, DEFAULT_PROFILE, list(DEFAULT_CATEGORIES)).drafts[0]
    assert first.title == title
    assert first.body.startswith(body_start) and title not in first.body
    assert first.category == category


def test_calendar_opens_at_the_issue(dialog: PasteDialog) -> None:
    cal = dialog.run_dates.calendar
    assert (cal.yearShown(), cal.monthShown()) == (2023, 2)
    assert dialog.run_dates.start.date().toPython() == dt.date(2023, 2, 24)
    assert dialog.run_dates.dates() == []  # opened at, not booked on


def _answer(button_text: str, seen: list[str]):
    def act(box: QMessageBox) -> None:
        seen.append(box.text())
        click_button(box, button_text)

    return act


def test_save_without_dates_asks_first(qtbot, answer_modal, dialog: PasteDialog) -> None:
    _paste(qtbot, dialog, TWO_LINES)
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    seen: list[str] = []
    answer_modal(QMessageBox, _answer("返回选日期", seen))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert seen and "没有刊登日期" in seen[0] and "2 则" in seen[0]
    assert list_ads() == []  # nothing saved
    assert dialog.list.count() == 2
    assert "刊登日期" in dialog.status.text()

    answer_modal(QMessageBox, _answer("仍然保存", seen))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(list_ads()) == 2)
    # the rows are committed before the dialog hears back from the database thread
    qtbot.waitUntil(lambda: "未排刊登日期" in dialog.status.text())


def test_desk_opens_paste_at_the_issue_shown(qtbot, answer_modal, demo_desk: MainWindow) -> None:
    demo_desk.show_issue(dt.date(2023, 2, 24))
    seen: list[tuple[int, int]] = []

    def look(dlg: PasteDialog) -> None:
        cal = dlg.run_dates.calendar
        seen.append((cal.yearShown(), cal.monthShown()))
        dlg.reject()

    answer_modal(PasteDialog, look)
    demo_desk.open_paste()
    assert seen == [(2023, 2)]
