"""The layout view as a clerk uses it: click, pin, move, left-over list; preview matches the PDF."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from adsdesk.issue import load_choices, load_issue
from adsdesk.layout.engine import lay_out
from adsdesk.layout.render import write_pdf
from adsdesk.layout.result import Layout
from adsdesk.store import layout_prefs
from adsdesk.store.database import close_db, init_db
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.layout_view import LayoutView

DAY = dt.date(2023, 2, 24)
SAMPLE_ORDER = [1, 6, 9, 11, 12, 13, 4, 2, 5, 7, 3, 8, 10]


@pytest.fixture
def open_view(qtbot, demo_db: Path) -> Iterator[Callable[[], LayoutView]]:
    """Opens a layout view on the sample database; a test may close and reopen it."""
    opened: list[tuple[LayoutView, DbExecutor]] = []

    def _open() -> LayoutView:
        application()
        init_db(demo_db)
        executor = DbExecutor()
        view = LayoutView(executor)
        qtbot.addWidget(view)
        view.resize(1400, 900)
        view.show()
        with qtbot.waitSignal(view.laid_out, timeout=15000):
            view.refresh(DAY)
        opened.append((view, executor))
        return view

    yield _open
    for view, executor in opened:
        view.close()
        executor.shutdown()


def close(view: LayoutView) -> None:
    view.close()
    view.executor.shutdown()
    close_db()


def ad_point(view: LayoutView, ad_id: int) -> QPoint:
    layout = view.layout_result()
    assert layout is not None
    box = layout.find(ad_id).box
    point = view.canvas.widget_point(box.x + box.w / 2, box.y + box.h / 2)
    view.scroll_area.ensureVisible(point.x(), point.y())
    return point


def test_clicking_an_ad_selects_it_and_asks_to_open_it(qtbot, open_view) -> None:
    view = open_view()
    assert view.layout_result().placed_ids() == SAMPLE_ORDER
    with qtbot.waitSignal(view.ad_activated, timeout=2000) as blocker:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=ad_point(view, 5))
    assert blocker.args == [5]
    assert view.selected_ad() == 5
    assert "#5" in view.selected_label.text() and "大同和平医院" in view.selected_label.text()
    assert view.act_pin.isEnabled() and view.act_pin.text() == "置顶"


def test_pinned_ad_moves_to_the_top_and_stays_after_reopening(qtbot, open_view, demo_db) -> None:
    view = open_view()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=ad_point(view, 10))
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        view.act_pin.trigger()
    layout = view.layout_result()
    assert layout.placed_ids()[0] == 10 and layout.find(10).column == 0
    assert view.act_pin.text() == "取消置顶"
    close(view)

    view = open_view()
    assert view.layout_result().placed_ids()[0] == 10
    view.select_ad(10)
    assert view.act_pin.text() == "取消置顶"


def test_move_down_and_to_another_column(qtbot, open_view) -> None:
    view = open_view()
    view.select_ad(9)
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        view.act_down.trigger()
    ids = view.layout_result().placed_ids()
    assert ids.index(9) == ids.index(11) + 1
    last_column = next(a for a in view.column_menu.actions() if a.text() == "第5栏")
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        last_column.trigger()
    assert view.layout_result().find(9).column == 4
    assert load_choices(DAY)[9].column == 4


def test_fill_gauges_and_left_over_list(qtbot, open_view) -> None:
    view = open_view()
    assert len(view.fill.column_gauges) == 5
    assert view.fill.column_gauges[0].text().startswith("第1栏")
    assert 700 <= view.fill.block_gauge.value() <= 900
    assert "最空的一栏还剩" in view.fill.room_label.text()
    assert view.fill.left_list.count() == 0

    from adsdesk.layout.geometry import ColumnSettings

    layout_prefs.save_column_settings({**ColumnSettings().to_dict(), "height_mm": 60.0})
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        view.refresh()
    layout = view.layout_result()
    assert layout.left_over
    assert view.fill.left_list.count() == len(layout.left_over)
    first = view.fill.left_list.item(0).text()
    assert f"#{layout.left_over[0].ad_id}" in first and "mm" in first
    assert "排不下" in view.fill.room_label.text() or "已满" in view.fill.room_label.text()
    with qtbot.waitSignal(view.ad_activated, timeout=2000) as blocker:
        view.fill.left_list.itemDoubleClicked.emit(view.fill.left_list.item(0))
    assert blocker.args == [layout.left_over[0].ad_id]


def test_layout_runs_off_the_ui_thread(qtbot, open_view) -> None:
    view = open_view()
    view.refresh(DAY + dt.timedelta(days=1))
    assert view.status.text() == "正在排版…"  # refresh returned before any layout came back
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        pass
    assert view.layout_result() is None and view.fill.left_list.count() == 0
    assert not view.act_pdf.isEnabled()


def test_exports_print_and_proof_from_the_view(qtbot, open_view, tmp_path: Path) -> None:
    view = open_view()
    assert view.export_pdf(tmp_path / "c.pdf") and view.export_png(tmp_path / "c.png", 72)
    assert QImage(str(tmp_path / "c.png")).width() == round(240 / 25.4 * 72)
    printer = view.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert view.print_to(printer)
    printed = re.sub(r"\s+", "", PdfReader(tmp_path / "printed.pdf").pages[0].extract_text())
    assert "纱窗加工安装" in printed and "18911267373" in printed
    view.select_ad(4)
    assert view.export_proof(tmp_path / "proof.pdf")
    proof = re.sub(r"\s+", "", PdfReader(tmp_path / "proof.pdf").pages[0].extract_text())
    assert "大同馨万家养老中心" in proof and "客户签字确认" in proof
    assert not view.export_pdf(tmp_path / "missing" / "c.pdf")
    assert "无法写入" in view.status.text()


# --- the preview and the PDF agree, line by line ---------------------------------------------
def pdf_lines(path: Path) -> list[tuple[str, float, float, float]]:
    """(text, x, baseline from the top, size) of every text run pypdf finds, in points."""
    page = PdfReader(path).pages[0]
    top, left = float(page.mediabox.top), float(page.mediabox.left)
    out: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, _font, size) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        out.append((re.sub(r"\s+", "", text), x - left, top - y, size))

    page.extract_text(visitor_text=visit)
    return out


def preview_bands(image: QImage, view: LayoutView, layout: Layout, column: int):
    """Runs of pixel rows with text ink inside a column, as (top, bottom, left) in points."""
    box = layout.column_boxes[column]
    k = view.canvas.px_per_pt()
    x0 = view.canvas.widget_point(box.x + 1.5, 0).x()
    x1 = view.canvas.widget_point(box.right - 1.5, 0).x()
    y0 = view.canvas.widget_point(0, box.y).y()
    y1 = view.canvas.widget_point(0, box.bottom).y()
    bands, start, left = [], None, None
    for y in range(y0, y1 + 1):
        xs = [x for x in range(x0, x1) if image.pixelColor(x, y).lightness() < 140]
        is_text = bool(xs) and len(xs) < 0.9 * (x1 - x0)  # a row of a box rule is not text
        if is_text:
            start = y if start is None else start
            left = min(xs) if left is None else min(left, min(xs))
        elif start is not None:
            to_pt = lambda px, origin: (px - origin) / k  # noqa: E731
            margin = view.canvas.MARGIN
            bands.append((to_pt(start, margin), to_pt(y, margin), to_pt(left, margin)))
            start, left = None, None
    return bands


def test_preview_and_pdf_put_each_ad_on_the_same_column_and_line(
    qtbot, open_view, tmp_path: Path
) -> None:
    view = open_view()
    view.zoom_box.setCurrentIndex(view.zoom_box.findData(2.0))
    layout = view.layout_result()
    image = view.canvas.grab().toImage()

    pdf = tmp_path / "column.pdf"
    write_pdf(lay_out(load_issue(DAY)), pdf)  # laid out again, on this thread, for the PDF
    runs = [r for r in pdf_lines(pdf) if r[2] > layout.settings.column_top_pt()]

    def column_of(x: float) -> int:
        return next(i for i, b in enumerate(layout.column_boxes) if b.x <= x < b.right)

    for column in range(layout.settings.columns):
        lines = sorted((r for r in runs if column_of(r[1]) == column), key=lambda r: r[2])
        bands = preview_bands(image, view, layout, column)
        assert len(bands) == len(lines), (column, [line[0] for line in lines])
        for (text, x, baseline, _size), (top, bottom, left) in zip(lines, bands, strict=True):
            assert top - 0.5 <= baseline <= bottom + 0.5, (text, top, baseline, bottom)
            assert x - 0.5 <= left <= x + 5.0, (text, x, left)
        # the same ad stands on the same line of the same column in both
        for index, (text, *_rest) in enumerate(lines):
            top, bottom, _left = bands[index]
            box = layout.column_boxes[column]
            shown = layout.ad_at(box.x + box.w / 2, (top + bottom) / 2)
            if shown is None:
                continue  # a heading line
            assert text in "".join(line.text for line in shown.lines).replace(" ", "")
    # read column by column, the PDF shows the titles in the preview's order and columns
    title_size = layout.settings.title_size_pt
    titles = sorted(
        (column_of(x), y, text) for text, x, y, size in runs if abs(size - title_size) < 0.01
    )
    placed = [p for p in layout.placed if p.title]
    assert [t[2] for t in titles] == [p.title.replace(" ", "") for p in placed]
    assert [t[0] for t in titles] == [p.column for p in placed]


def test_column_settings_dialog_refuses_impossible_settings(qtbot) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QDialogButtonBox

    from adsdesk.layout.geometry import ColumnSettings
    from adsdesk.ui.column_settings_dialog import ColumnSettingsDialog

    application()
    dialog = ColumnSettingsDialog(ColumnSettings())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and "每行约 13 个正文字" in dialog.column_width.text()
    dialog.columns.setValue(9)
    assert not ok.isEnabled() and "栏太窄" in dialog.error.text()
    dialog.columns.setValue(4)
    dialog.body_size.setCurrentIndex(dialog.body_size.findData(7.5))  # 六号
    dialog.body_leading.setValue(9.0)
    dialog.hotlines.setText("5105678，2023122")
    assert ok.isEnabled() and dialog.error.text() == ""
    assert dialog.values() == replace(
        ColumnSettings(),
        columns=4,
        body_size_pt=7.5,
        body_leading_pt=9.0,
        hotlines=("5105678", "2023122"),
    )
