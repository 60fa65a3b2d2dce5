"""The desk's window as a clerk meets it: menus, Ctrl+Q, closing, file dialogs, its size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton, QWidget

from adsdesk.store.models import Ad
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.export_range_dialog import ExportRangeDialog
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.menus import shortcut_lines


def _when_modal(handle: Callable[[QWidget], None], seen: list[QWidget]) -> None:
    """Act on the next modal dialog as soon as it shows (a clerk clicking in it)."""

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(10, poll)
            return
        seen.append(modal)
        handle(modal)

    QTimer.singleShot(0, poll)


def _click(text: str) -> Callable[[QWidget], None]:
    def handle(box: QWidget) -> None:
        button = next(b for b in box.findChildren(QPushButton) if b.text() == text)
        button.click()

    return handle


def test_menus_hold_every_action_with_its_shortcut(demo_desk) -> None:
    window = demo_desk
    titles = [a.text() for a in window.menuBar().actions()]
    assert [t.split("(")[0] for t in titles] == [
        "文件",
        "编辑",
        "广告",
        "版面",
        "工具",
        "收银",
        "帮助",
    ]
    lines = shortcut_lines(window)
    for expected in (
        "广告 › 新建广告\tCtrl+N",
        "广告 › 保存\tCtrl+S",
        "广告 › 重登此广告\tCtrl+R",
        "广告 › 删除广告\tCtrl+Del",
        "编辑 › 放弃修改\tEsc",
        "编辑 › 粘贴拆分…\tCtrl+Shift+V",
        "编辑 › 搜索\tCtrl+F",
        "编辑 › 查找客户\tCtrl+K",
        "文件 › 打印…\tCtrl+P",
        "文件 › 退出\tCtrl+Q",
        "工具 › 设置…\tCtrl+,",
        "帮助 › 快捷键一览\tF1",
    ):
        assert expected in lines
    in_menus = {a for m in window.menus.values() for a in m.actions()}
    toolbar = window.findChild(QWidget, "mainToolbar")
    assert set(toolbar.actions()) <= in_menus  # nothing only on the toolbar
    assert window.act_new.toolTip() == "新建广告（Ctrl+N）"


def test_ctrl_q_quits(qtbot, demo_desk) -> None:
    window = demo_desk
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def _dirty(qtbot, window: MainWindow, text: str = "托养失能人员") -> None:
    window.editor.category.setCurrentText("养老服务")
    type_text(qtbot, window.editor.body, text)
    assert window.editor.is_dirty()


def test_closing_with_an_unsaved_ad_offers_save_discard_cancel(qtbot, demo_desk) -> None:
    window = demo_desk
    _dirty(qtbot, window)
    seen: list[QWidget] = []
    _when_modal(_click("取消"), seen)
    window.close()
    box = seen[0]
    assert isinstance(box, QMessageBox)
    assert {b.text() for b in box.findChildren(QPushButton)} == {"保存", "放弃", "取消"}
    assert window.isVisible() and "托养失能人员" in window.editor.body.toPlainText()

    _when_modal(_click("放弃"), seen)
    window.close()
    assert not window.isVisible()


def test_closing_and_choosing_save_saves_then_closes(qtbot, demo_desk) -> None:
    window = demo_desk
    before = Ad.select().count()
    _dirty(qtbot, window, "上门理发 电话13935216688")
    seen: list[QWidget] = []
    _when_modal(_click("保存"), seen)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert Ad.select().count() == before + 1
    assert Ad.select().order_by(Ad.id.desc()).first().body.startswith("上门理发")


def test_export_dialog_starts_in_documents_then_remembers_the_folder(
    qtbot, demo_desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "文档").mkdir(parents=True)
    (home / ".config").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/文档"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    out = tmp_path / "exports"
    out.mkdir()
    window = demo_desk
    starts: list[str] = []

    def choose(name: Path) -> Callable[[QWidget], None]:
        def handle(dialog: QWidget) -> None:
            if isinstance(dialog, ExportRangeDialog):  # which ads: take the offer, then the file
                dialog.accept()
                _when_modal(handle, seen)
                return
            assert isinstance(dialog, QFileDialog)
            starts.append(dialog.directory().absolutePath())
            dialog.selectFile(str(name))
            dialog.accept()

        return handle

    seen: list[QWidget] = []
    _when_modal(choose(out / "ads.xlsx"), seen)
    window.act_export.trigger()
    qtbot.waitUntil(lambda: (out / "ads.xlsx").exists())
    assert starts == [str(home / "文档")]

    _when_modal(choose(out / "again.csv"), seen)
    window.act_export.trigger()
    qtbot.waitUntil(lambda: (out / "again.csv").exists())
    assert starts[1] == str(out)


def _reopen(qtbot, db: Path) -> tuple[MainWindow, DbExecutor]:
    executor = DbExecutor()
    window = MainWindow(executor, str(db))
    window.show()
    qtbot.waitUntil(lambda: window.editor.category.count() > 0)
    return window, executor


def test_window_size_and_splitters_remembered(qtbot, demo_desk, demo_db: Path) -> None:
    window = demo_desk
    window.resize(780, 560)  # within the offscreen test screen (800×600)
    window.splitter.setSizes([300, 470])
    wanted = window.splitter.sizes()
    window.close()
    again, executor = _reopen(qtbot, demo_db)
    try:
        assert (again.width(), again.height()) == (780, 560)
        assert again.splitter.sizes() == wanted
    finally:
        again.close()
        executor.shutdown()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_window_fits_small_office_screens(qtbot, demo_desk, size: tuple[int, int]) -> None:
    window = demo_desk
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1] - 40  # room for a taskbar
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    toolbar = window.findChild(QWidget, "mainToolbar")
    for action in toolbar.actions():  # every toolbar button on show, none in the » overflow
        button = toolbar.widgetForAction(action)
        assert button.isVisible() and button.geometry().right() <= toolbar.width()
    assert window.list_pane.table.viewport().width() > 300 and window.editor.body.width() > 300
    from adsdesk.ui.ad_table import COL_TITLE

    assert window.list_pane.table.columnWidth(COL_TITLE) >= 160  # titles readable, not "大…"
