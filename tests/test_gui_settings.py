"""Settings and advertisers as a clerk uses them: refuse list blocks, existing advertiser linked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget

from adsdesk.store import ads as ads_store
from adsdesk.store.database import close_db, init_db
from adsdesk.store.search import search_advertisers
from adsdesk.store.settings import load_settings, refused_numbers
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.settings_dialog import SettingsDialog


@pytest.fixture
def desk(demo_desk: MainWindow) -> MainWindow:
    return demo_desk


def test_refuse_list_and_area_code_from_settings(
    qtbot, answer_modal, desk: MainWindow, demo_db: Path
) -> None:
    def fill_dialog(dialog: SettingsDialog) -> None:
        dialog.area_code.setText("0351")
        type_text(qtbot, dialog.refused_number, "400-880-1234")
        type_text(qtbot, dialog.refused_reason, "冒充本报广告代理")
        dialog.findChild(object, "refusedAdd").click()
        assert dialog.refused_table.rowCount() == 1
        dialog.accept()

    filled = answer_modal(SettingsDialog, fill_dialog)
    desk.open_settings()
    assert filled
    qtbot.waitUntil(lambda: desk.editor._ctx.profile.area_code == "0351")
    editor = desk.editor
    type_text(qtbot, editor.body, "咨询热线 400-880-1234")
    assert any("拒登" in t for t in editor.findings.texts())
    assert editor.blocked()
    # and it is stored: another connection sees it
    close_db()
    init_db(demo_db)
    assert load_settings().area_code == "0351"
    assert refused_numbers() == {"+864008801234": "冒充本报广告代理"}


def test_pick_existing_advertiser_by_phone(qtbot, desk: MainWindow) -> None:
    editor = desk.editor
    editor.advertiser.setFocus()
    type_text(qtbot, editor.advertiser, "5393120")
    completer = editor.advertiser.completer()
    qtbot.waitUntil(lambda: completer.model().rowCount() > 0)
    assert "大同和平医院" in completer.model().index(0, 0).data()
    completer.complete()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    popup = completer.popup()
    popup.setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已有客户" in editor.advertiser_note.text())
    assert editor.advertiser.text() == "大同和平医院"
    type_text(qtbot, editor.body, "体检中心新址 0352-5393120")
    assert editor.category_hint.text() == "建议：医疗体检"
    qtbot.mouseClick(editor.use_hint, Qt.MouseButton.LeftButton)
    assert editor.category.currentText() == "医疗体检"
    qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    saved = ads_store.load_ad(editor.ad_id())
    assert saved.advertiser_name == "大同和平医院"
    assert [a.ad_count for a in search_advertisers("大同和平医院")] == [3]


def test_a_desk_on_a_server_says_where_its_backups_are_made(
    qtbot, demo_desk: MainWindow, answer_modal
) -> None:
    """No "two days without a backup" alarm on a server desk: its data is backed up on the
    server; the tab says how. A desk on a file shows its folder and its last backup."""
    from adsdesk.ui.settings_dialog import SettingsDialog

    on_server = "://" in demo_desk._db_target
    seen: list[tuple[bool, str, str]] = []

    def inside(dialog: SettingsDialog) -> None:
        tabs = dialog.findChild(QTabWidget)
        tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("备份"))
        hint = dialog.findChild(QLabel, "serverBackupHint")
        seen.append(
            (
                dialog.backup_dir.isVisibleTo(dialog),
                dialog.backup_warning.text(),
                hint.text() if hint else "",
            )
        )
        dialog.reject()

    answer_modal(SettingsDialog, inside)
    demo_desk.open_settings()
    folder_shown, warning, hint = seen[0]
    if on_server:
        assert not folder_shown and warning == ""
        assert "adsdesk backup --db" in hint and "adsdesk restore --db" in hint
    else:
        assert folder_shown and hint == "" and "已超过两天" in warning  # (no backup yet)
