"""The paste dialog as a clerk uses it: paste a column, correct, merge, cut, tick, save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from adsdesk.assets import resource_path
from adsdesk.store.ads import list_ads
from adsdesk.store.settings import DEFAULT_CATEGORIES, DEFAULT_PROFILE
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.paste_dialog import PasteDialog

DAY = dt.date(2023, 2, 24)


@pytest.fixture
def dialog(qtbot, desk_db: Path) -> Iterator[PasteDialog]:
    application()
    executor = DbExecutor()
    dlg = PasteDialog(executor, list(DEFAULT_CATEGORIES), DEFAULT_PROFILE)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    executor.shutdown()


def _paste(qtbot, dlg: PasteDialog, text: str) -> None:
    QApplication.clipboard().setText(text)
    dlg.source.setFocus()
    qtbot.keyClick(dlg.source, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_paste_the_sample_tick_and_save(qtbot, dialog: PasteDialog) -> None:
    sample = resource_path("samples", "bianmin-2023-02-24.md").read_text(encoding="utf-8")
    _paste(qtbot, dialog, sample)
    qtbot.waitUntil(lambda: dialog.list.count() == 13)  # split once the paste settles
    assert "便民信息" in dialog.masthead.text() and "5105678" in dialog.masthead.text()
    assert "共 13 则，已选 13 则" == dialog.count.text()

    # the selected draft shows its lines of the source, its phones and its findings
    dialog.list.setCurrentRow(3)
    assert dialog.title.text() == "大同馨万家养老中心"
    assert dialog.category.currentText() == "养老服务"
    assert len(dialog.verdicts.states()) == 5 and set(dialog.verdicts.states()) == {"valid"}
    (shaded,) = dialog.source.extraSelections()
    assert shaded.cursor.selectedText().startswith("**大同馨万家养老中心**")
    dialog.list.setCurrentRow(4)
    assert any("与第 2 则内容相同" in t for t in dialog.findings.texts())

    # the duplicate hospital ad and the paper's own notice are not to be saved
    dialog.tick(0, False)
    dialog.tick(1, False)
    assert dialog.ticked() == list(range(2, 13))
    dialog.run_dates.start.setDate(QDate(2023, 2, 24))
    dialog.run_dates.days.setValue(2)
    qtbot.mouseClick(dialog.run_dates.add_run, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(saved.args[0]) == 11
    assert "已保存 11 则广告" in dialog.status.text()
    assert dialog.list.count() == 2  # the unsaved drafts stay for the clerk

    def stored() -> list:
        result: list = []
        dialog.executor.submit(lambda: list_ads(), result.append)
        qtbot.waitUntil(lambda: bool(result))
        return result[0]

    ads = stored()
    assert len(ads) == 11
    assert {a.dates for a in ads} == {(DAY, DAY + dt.timedelta(days=1))}
    by_title = {a.title: a for a in ads}
    assert by_title["古井贡酒 年份原浆"].phones == ("0352-2299999", "18835255555")
    assert by_title["古井贡酒 年份原浆"].category == "酒类"


def test_correct_merge_cut_and_blocked_drafts(qtbot, dialog: PasteDialog) -> None:
    dialog.set_text(
        "**纱窗加工安装**\n厂家直供 品质保证\n联系电话:1891126737\n"
        "**大同馨万家养老中心**\n托养失能残疾人员 13903528495\n"
    )
    assert dialog.list.count() == 2
    dialog.list.setCurrentRow(0)
    assert dialog.verdicts.states() == ["invalid"]  # a digit short
    assert dialog.list.item(0).text().startswith("✗")

    # a draft that may not be printed starts unticked; ticked, saving is refused with the reason
    assert dialog.ticked() == [1]
    dialog.tick(0, True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "第 1 则" in dialog.status.text() and "1891126737" in dialog.status.text()

    # the clerk types the missing digit in the body; the draft is re-checked
    cursor = dialog.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    dialog.body.setTextCursor(cursor)
    dialog.body.setFocus()
    type_text(qtbot, dialog.body, "3")
    qtbot.waitUntil(lambda: dialog.verdicts.states() == ["valid"])
    assert dialog.drafts()[0].printed_phones() == ["18911267373"]
    assert dialog.list.item(0).text().startswith("✓")

    # merge the two, then cut them apart again at the second title
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 1
    assert len(dialog.drafts()[0].printed_phones()) == 2
    text = dialog.body.toPlainText()
    cursor = dialog.body.textCursor()
    cursor.setPosition(text.index("大同馨万家"))
    dialog.body.setTextCursor(cursor)
    qtbot.mouseClick(dialog.cut_button, Qt.MouseButton.LeftButton)
    assert [d.title for d in dialog.drafts()] == ["纱窗加工安装", "大同馨万家养老中心"]
    assert [d.category for d in dialog.drafts()] == ["家居服务", "养老服务"]

    # an edited draft is not thrown away by a new paste's automatic split
    dialog.list.setCurrentRow(1)
    dialog.edit_current(title="馨万家养老")
    dialog.source.appendPlainText("\n**出售**\n楼房一套，80平米。电话13994398019")
    dialog._split_timer.timeout.emit()
    assert [d.title for d in dialog.drafts()] == ["纱窗加工安装", "馨万家养老"]
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    assert [d.title for d in dialog.drafts()] == ["纱窗加工安装", "大同馨万家养老中心", "出售"]
