"""Re-booking from an advertiser's file: Ctrl+R books the ad selected there, then steps aside."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from adsdesk.store import ads as ads_store
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.ui.ad_table import COL_TITLE
from adsdesk.ui.advertiser_dialog import AdvertiserDialog
from adsdesk.ui.main_window import MainWindow


def _file_shown() -> bool:
    return any(
        isinstance(w, AdvertiserDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def _open_file(qtbot, desk: MainWindow, advertiser_id: int) -> AdvertiserDialog:
    desk.open_advertiser(advertiser_id)
    dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, AdvertiserDialog) and w.isVisible()
    )
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    return dialog


def test_ctrl_r_in_the_file_rebooks_the_ad_selected_there(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    # the hospital (advertiser 2) also ran a different, older ad
    old = ads_store.save_ad(
        AdDraft(
            category="医疗体检",
            title="和平医院冬季体检",
            body="冬季体检套餐优惠，电话 0352-5393120",
            phones=[PhoneEntry("+863525393120", "0352-5393120")],
            advertiser_id=2,
            dates=[dt.date(2022, 12, 1)],
        )
    )
    # the editor has some other ad open
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() > 0)
    desk.list_pane.table.selectRow(0)
    qtbot.waitUntil(lambda: desk.editor.ad_id() is not None)
    open_title = desk.editor.title.text()
    assert open_title != "和平医院冬季体检"

    dialog = _open_file(qtbot, desk, 2)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).id == old)
    dialog.table.selectRow(row)
    assert dialog.model.index(row, COL_TITLE).data() == "和平医院冬季体检"
    desk.activateWindow()  # where the window manager may leave the focus
    qtbot.waitUntil(desk.isActiveWindow)
    qtbot.keyClick(dialog.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: desk.editor.title.text() == "和平医院冬季体检")
    assert desk.editor.ad_id() is None  # a new ad, copied from the selected one
    assert desk.editor.run_dates.dates() == []
    # the file steps aside so the clerk sees the editor and can pick dates
    qtbot.waitUntil(lambda: not _file_shown())
    assert "重登" in desk.editor.heading.text()


def test_rebook_button_also_closes_the_file(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    dialog = _open_file(qtbot, desk, 2)
    qtbot.mouseClick(dialog.repeat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "和平医院" in desk.editor.body.toPlainText())
    qtbot.waitUntil(lambda: not _file_shown())
