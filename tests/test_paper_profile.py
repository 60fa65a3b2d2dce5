"""A desk in 太原 (area code 0351): local numbers follow 太原's rules everywhere, not 大同's."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from conftest import type_text
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from adsdesk.cli import main
from adsdesk.issue import load_issue
from adsdesk.layout.engine import lay_out
from adsdesk.store.ads import AdDraft, PhoneEntry, list_ads, load_ad, save_ad
from adsdesk.store.database import close_db, init_db
from adsdesk.store.settings import DeskSettings, ensure_default_categories, save_settings
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.paste_dialog import PasteDialog

DAY = dt.date(2024, 5, 20)
TAIYUAN = replace(
    DeskSettings(), paper_name="太原晚报", area_code="0351", hotlines=["4046123", "4046124"]
)


def _taiyuan_desk(db: Path) -> None:
    init_db(db)
    ensure_default_categories()
    save_settings(TAIYUAN)


def test_editor_and_paste_check_local_numbers_as_taiyuan(qtbot, db_path: Path) -> None:
    _taiyuan_desk(db_path)
    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(db_path))
    window.show()
    qtbot.waitUntil(lambda: window.editor.category.count() > 0)

    editor = window.editor
    editor.category.setCurrentText("家居服务")
    type_text(qtbot, editor.title, "开锁换锁")
    type_text(qtbot, editor.body, "24小时上门 电话5105678 大同店0352-5393120")
    local, datong = editor.verdicts.texts()
    assert "山西省太原市" in local and "外地" not in local
    assert "外地号码：山西省大同市" in datong
    assert [m.check.e164 for m in editor.phone_matches()] == ["+863515105678", "+863525393120"]
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)

    # paste-split from the desk's own menu: the dialog gets the desk's paper
    seen: dict[str, object] = {}

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PasteDialog):
            QTimer.singleShot(20, in_dialog)
            return
        dialog.source.setPlainText(
            "**家政保洁**\n擦玻璃 5123456\n\n**管道疏通**\n电话 0352-5393120"
        )
        dialog.split_now()
        seen["phones"] = [[m.check.e164 for m in d.phones] for d in dialog._drafts]
        seen["notes"] = [[m.check.note for m in d.phones] for d in dialog._drafts]
        dialog.reject()

    QTimer.singleShot(20, in_dialog)
    window.act_paste.trigger()
    assert seen["phones"] == [["+863515123456"], ["+863525393120"]]
    assert seen["notes"] == [[""], ["外地号码：山西省大同市"]]

    saved = load_ad(editor.ad_id())
    assert [p.e164 for p in saved.phones] == ["+863515105678", "+863525393120"]
    window.editor.clear_for_new()
    window.close()
    executor.shutdown()
    close_db()


def test_import_reads_local_numbers_as_taiyuan(capsys, tmp_path: Path, db_path: Path) -> None:
    _taiyuan_desk(db_path)
    close_db()
    table = tmp_path / "ads.csv"
    table.write_text(
        "标题,正文,电话,刊登日期\n搬家,长短途搬家,5105678,2024-05-20\n", encoding="utf-8"
    )
    text = tmp_path / "ads.txt"
    text.write_text("**修锁**\n开锁 5234567\n", encoding="utf-8")
    for source in (table, text):
        code = main(["import", str(source), "--date", "2024-05-20", "--json", "--db", str(db_path)])
        assert code == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out)["imported"] == 1
        close_db()
    init_db(db_path)
    phones = sorted(p for row in list_ads() for p in row.phones)
    assert phones == ["5105678", "5234567"]
    stored = sorted(p.e164 for row in list_ads() for p in load_ad(row.id).phones)
    assert stored == ["+863515105678", "+863515234567"]
    close_db()


def test_layout_prints_with_the_desks_own_paper(desk_db: Path) -> None:
    save_settings(TAIYUAN)
    ensure_default_categories()
    body = "上门维修 电话 510 5678"  # spaced out as a customer writes it
    save_ad(
        AdDraft(
            category="家居服务",
            title="家电维修",
            body=body,
            phones=[PhoneEntry("+863515105678", "5105678")],
            dates=[DAY],
        )
    )
    issue = load_issue(DAY)
    assert issue.profile.area_code == "0351"
    layout = lay_out(issue)
    (placed,) = layout.placed
    printed = "".join(line.text for line in placed.lines)
    assert "5105678" in printed  # a valid 太原 local number prints whole, in its print form
    masthead = " ".join(line.text for line in layout.masthead_lines)
    assert "4046123" in masthead and "5105678" not in masthead
