"""Importing as a clerk does: nothing written by a dry run, reasons said once, no double booking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from test_cli import run
from test_io_tables import write_csv

from adsdesk.io.import_tables import check_record
from adsdesk.store.ads import count_ads
from adsdesk.store.settings import DEFAULT_PROFILE
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.import_dialog import PAGE_DONE, PAGE_MAPPING, PAGE_PREVIEW, ImportDialog

ROWS = [
    ["标题", "正文", "电话", "分类", "刊登日期"],
    ["家政保洁", "擦玻璃 保洁 电话1390352849", "1390352849", "家居服务", "2023-02-24"],
    ["售房", "复地紫城楼房一套 电话13935216623", "13935216623", "房屋出售", "2023-02-24"],
    ["纱窗", "厂家直供，上门安装", "18911267373", "家居服务", "2023-02-24"],
]


def test_dry_run_on_a_new_database_writes_nothing(capsys, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "ads.csv", ROWS, "utf-8")
    db = tmp_path / "new" / "desk.sqlite3"
    db.parent.mkdir()
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--dry-run", "--json")
    assert code == 1  # a bad row: the file as a whole would be refused
    assert json.loads(out)["dry_run"] is True and len(json.loads(out)["drafts"]) == 3
    assert list(db.parent.iterdir()) == []


def test_a_refused_rows_reason_is_said_once() -> None:
    row = dict(zip(["title", "body", "phones", "category", "dates"], ROWS[1], strict=True))
    check = check_record(2, row, area_code="0352")
    assert not check.ok
    assert check.reason.count("1390352849") == 1 and "少了1位" in check.reason


def test_reimporting_the_same_file_books_nothing_twice(capsys, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "ads.csv", ROWS, "utf-8")
    db = tmp_path / "desk.sqlite3"
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--skip-bad")
    assert code == 0 and "已导入 2 则广告" in out
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--skip-bad", "--json")
    payload = json.loads(out)
    assert payload["imported"] == 0
    assert [r["row"] for r in payload["already_booked"]] == [3, 4]
    assert "2023-02-24 已登过同样内容的广告 #" in payload["already_booked"][0]["reason"]
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--skip-bad", "--again")
    assert "已导入 2 则广告" in out and "仍已导入" in out


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


def _answer(text: str, seen: list[str]) -> None:
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        seen.append(box.text())
        next(b for b in box.findChildren(QPushButton) if b.text() == text).click()

    QTimer.singleShot(0, poll)


def _preview_column(dlg: ImportDialog, col: int) -> list[str]:
    return [dlg.preview.item(r, col).text() for r in range(dlg.preview.rowCount())]


def test_dialog_previews_good_rows_lets_headers_be_remapped_and_warns_on_reimport(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    src = write_csv(tmp_path / "ads.csv", ROWS, "utf-8")
    dialog.open_file(src)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    assert dialog.preview.isVisible()
    assert _preview_column(dialog, 2) == ["售房", "纱窗"]
    assert _preview_column(dialog, 4) == ["13935216623", "18911267373"]
    assert dialog.rejected_rows.item(0, 1).text().count("1390352849") == 1

    qtbot.mouseClick(dialog.remap_button, Qt.MouseButton.LeftButton)  # all headers known, still
    assert dialog.pages.currentIndex() == PAGE_MAPPING
    dialog.set_mapping("分类", "ignore")
    qtbot.mouseClick(dialog.map_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    qtbot.mouseClick(dialog.import_good, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_DONE)
    assert _count(qtbot, dialog) == 2

    again = [
        *ROWS[:3],
        ["搬家", "长短途搬家 电话13935210001", "13935210001", "家居服务", "2023-02-24"],
    ]
    dialog.pages.setCurrentIndex(0)
    dialog.open_file(write_csv(tmp_path / "again.csv", again, "utf-8"))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_PREVIEW)
    assert "同一天已登过" in dialog.summary.text()
    assert "已登过同样内容的广告" in _preview_column(dialog, 6)[0]
    seen: list[str] = []
    _answer("跳过这些行", seen)
    qtbot.mouseClick(dialog.import_good, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PAGE_DONE)
    assert "第 3 行" in seen[0]
    assert _count(qtbot, dialog) == 3  # only the new 搬家 row
