"""报表: takings and ad counts over any range, grouped, as a table and a bar chart; export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from adsdesk.io.report_files import HEADERS, report_rows, report_title
from adsdesk.store.reports import GROUP_NAMES, GROUPS
from adsdesk.ui.dbexec import DbExecutor


def _bar_chart() -> Any:
    """A pyqtgraph plot (imported here: numpy and pyqtgraph load only when a report opens)."""
    import pyqtgraph as pg

    from adsdesk.layout.fonts import ui_font

    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    plot = pg.PlotWidget()
    plot.setObjectName("reportChart")
    plot.setMinimumHeight(220)
    plot.showGrid(y=True, alpha=0.3)
    plot.getAxis("left").setLabel("元")
    for side in ("left", "bottom"):
        plot.getAxis(side).setTickFont(ui_font(8))
    plot.setMouseEnabled(x=False, y=False)
    return plot


class ReportDialog(QDialog):
    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("报表"))
        self.resize(900, 640)
        self.executor = executor
        self.report: Any = None
        self._chosen = False
        today = QDate.currentDate()
        self.start = QDateEdit(QDate(today.year(), today.month(), 1))
        self.end = QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self._picked())
        self.by = QComboBox()
        self.by.setObjectName("reportBy")
        for key in GROUPS:
            self.by.addItem(self.tr(GROUP_NAMES[key]), key)
        self.by.currentIndexChanged.connect(lambda _i: self._picked())
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = _bar_chart()
        self.heading = QLabel()
        self.heading.setObjectName("reportHeading")
        xlsx = QPushButton(self.tr("导出 Excel…"))
        xlsx.clicked.connect(self.export_xlsx)
        pdf = QPushButton(self.tr("导出 PDF…"))
        pdf.clicked.connect(self.export_pdf)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("从")))
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("到")))
        top.addWidget(self.end)
        top.addWidget(self.by)
        top.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.heading, 1)
        for b in (xlsx, pdf, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._start_range()

    def _start_range(self) -> None:
        """This month, or the month of the last order when this month has none yet."""
        from adsdesk.store.reports import latest_order_day

        first = self._date(self.start)

        def chosen(last: dt.date | None) -> None:
            if self._chosen:  # the clerk (or a caller) picked a range meanwhile
                return
            if last is not None and last < first:
                end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                self.set_range(last.replace(day=1), end - dt.timedelta(days=1), "day")
            else:
                self.refresh()

        self.executor.submit(latest_order_day, chosen, self._failed)

    @staticmethod
    def _date(edit: QDateEdit) -> dt.date:
        d = edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def _picked(self) -> None:
        self._chosen = True
        self.refresh()

    def set_range(self, start: dt.date, end: dt.date, by: str = "day") -> None:
        self._chosen = True
        for edit in (self.start, self.end, self.by):
            edit.blockSignals(True)
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))
        self.by.setCurrentIndex(GROUPS.index(by))
        for edit in (self.start, self.end, self.by):
            edit.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        from adsdesk.store.reports import report

        start, end, by = self._date(self.start), self._date(self.end), self.by.currentData()
        if end < start:
            self.heading.setText(self.tr("结束日期早于开始日期。"))
            return
        self.executor.submit(lambda: report(start, end, by), self._shown, self._failed)

    def _shown(self, r: Any) -> None:
        if not isValid(self.table):  # closed before the answer came back
            return
        self.report = r
        rows = report_rows(r)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if j:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, j, cell)
        for col in range(1, len(HEADERS)):
            self.table.resizeColumnToContents(col)
        self.heading.setText(report_title(r))
        self._draw(r)

    def _draw(self, r: Any) -> None:
        import pyqtgraph as pg

        self.chart.clear()
        rows = list(r.rows)
        if not rows:
            return
        xs = list(range(len(rows)))
        heights = [x.total_fen / 100 for x in rows]
        self.chart.addItem(pg.BarGraphItem(x=xs, height=heights, width=0.6, brush="#3b6ea5"))
        step = max(1, len(rows) // 12)
        ticks = [(i, rows[i].key[-10:]) for i in xs[::step]]
        self.chart.getAxis("bottom").setTicks([ticks])
        self.chart.setXRange(-0.6, len(rows) - 0.4, padding=0)
        self.chart.setYRange(0, max(heights) * 1.1 or 1, padding=0)

    def bars(self) -> list[tuple[str, int]]:
        return [(x.key, x.total_fen) for x in self.report.rows] if self.report else []

    def export_xlsx(self, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("导出报表"), str(Path.home() / "报表.xlsx"), "Excel (*.xlsx)"
            )
        if not path:
            return
        from adsdesk.io.report_files import write_report_xlsx

        try:
            write_report_xlsx(self.report, Path(path))
        except Exception as exc:  # the folder, the disk: one sentence
            self.heading.setText(str(exc))
            return
        self.heading.setText(self.tr("已导出到 {0}").format(path))

    def export_pdf(self, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("导出报表"), str(Path.home() / "报表.pdf"), "PDF (*.pdf)"
            )
        if not path:
            return
        from adsdesk.io.atomic import write_atomic
        from adsdesk.layout.receipt import write_report_pdf

        r = self.report
        try:
            write_atomic(
                Path(path),
                lambda tmp: write_report_pdf(
                    report_title(r), HEADERS, report_rows(r), self.bars(), tmp
                ),
            )
        except Exception as exc:  # the folder, the disk: one sentence
            self.heading.setText(str(exc))
            return
        self.heading.setText(self.tr("已导出到 {0}").format(path))

    def _failed(self, message: str) -> None:
        self.heading.setText(message)
