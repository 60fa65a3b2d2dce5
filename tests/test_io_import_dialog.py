"""The import dialog: header mapping, refused rows shown with reasons, progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_io_tables import write_csv, write_xlsx

from adsdesk.store.ads import count_ads
from adsdesk.store.settings import DEFAULT_PROFILE
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.import_dialog import PAGE_DONE, PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, ImportDialog


@pytest.fixture
def dialog(qtbot, desk_db: Path) -> Iterator[ImportDialog]:
    application()
    executor = DbExecutor()
    dlg = ImportDialog(executor, DEFAULT_PROFILE)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    executor.shutdown()


def _count(qtbot, dlg: ImportDialog) -> int:
    result: list[int] = []
    dlg.executor.submit(count_ads, result.append)
    qtbot.waitUntil(lambda: bool(result))
    return result[0]


def test_map_headers_see_refused_rows_import_the_good_ones(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    rows = [
        ["广告标题", "文案", "联系方式", "刊登日期"],
        ["纱窗", "厂家直供，上门安装", "18911267373", "2023-02-24"],
        ["出售", "楼房一套，价格面议", "1390352849", "2023-02-24"],
        ["养老", "托养失能老人", "13903528495", "2023-02-24"],
    ]
    dialog.open_file(write_csv(tmp_path / "ads.csv", rows, "gb18030"))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_MAPPING)
    assert "文案" in dialog.mapping_note.text() and "联系方式" in dialog.mapping_note.text()
    dialog.set_mapping("文案", "body")
    dialog.set_mapping("联系方式", "phones")
    qtbot.mouseClick(dialog.map_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    assert "2 行无误，1 行有问题" in dialog.summary.text()
    assert dialog.rejected_rows.rowCount() == 1
    assert dialog.rejected_rows.item(0, 0).text() == "3"
    assert "1390352849" in dialog.rejected_rows.item(0, 1).text()
    assert dialog.import_good.text() == "导入无误的 2 行"

    with qtbot.waitSignal(dialog.imported, timeout=10_000) as done:
        qtbot.mouseClick(dialog.import_good, Qt.MouseButton.LeftButton)
    assert len(done.args[0]) == 2
    assert dialog.pages.currentIndex() == PAGE_DONE
    assert _count(qtbot, dialog) == 2


def test_enter_in_the_path_reads_the_file_and_opens_no_chooser(
    qtbot, dialog: ImportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        "adsdesk.ui.import_dialog.ask_open_path", lambda *args: asked.append("chooser")
    )
    rows = [["标题", "正文", "电话", "刊登日期"], ["纱窗", "厂家直供", "18911267373", "2023-02-24"]]
    path = write_csv(tmp_path / "ads.csv", rows, "utf-8")
    dialog.path.setFocus()
    qtbot.keyClicks(dialog.path, str(path))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    assert dialog.summary.text() == "共 1 行，全部无误。"
    assert asked == []


def test_import_nothing_closes_without_saving(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    rows = [["标题", "正文"], ["出售", "电话 1390352849"], ["纱窗", "电话 18911267373"]]
    dialog.open_file(write_xlsx(tmp_path / "ads.xlsx", rows))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    with qtbot.waitSignal(dialog.rejected, timeout=2_000):  # QDialog's own signal, not hidden
        qtbot.mouseClick(dialog.import_nothing, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert _count(qtbot, dialog) == 0


def test_cancel_rolls_the_import_back(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    rows = [["标题", "正文"]] + [[f"出售{i}", f"楼房。电话139{i:08d}"] for i in range(1_200)]
    dialog.open_file(write_csv(tmp_path / "many.csv", rows, "utf-8"))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW, timeout=20_000)

    gate = threading.Event()
    dialog.executor.submit(gate.wait)  # the worker is busy: the import waits in line
    qtbot.mouseClick(dialog.import_good, Qt.MouseButton.LeftButton)
    assert dialog.progress is not None
    button = dialog.progress.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    button.click()  # the clerk presses 取消 on the progress dialog
    gate.set()
    qtbot.waitUntil(lambda: "已取消" in dialog.status.text(), timeout=10_000)
    assert dialog.pages.currentIndex() == PAGE_PREVIEW
    assert dialog.import_good.isEnabled()  # the clerk may try again
    assert _count(qtbot, dialog) == 0


def test_a_broken_file_says_so_in_one_sentence(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    dialog.open_file(path)
    qtbot.waitUntil(lambda: "不是有效的" in dialog.status.text())
    assert dialog.status.text().endswith("。") and "\n" not in dialog.status.text()
    assert dialog.pages.currentIndex() == PAGE_FILE
