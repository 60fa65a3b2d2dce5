"""The issue's column as it will print: zoomable preview, fill gauges, left-over list, actions."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QDate,
    QEvent,
    QMarginsF,
    QObject,
    QPoint,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QPageLayout, QPageSize, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.issue import column_settings_copy, load_issue, move_ad, save_column_settings
from adsdesk.layout.engine import IssueInput, lay_out, lay_out_ad
from adsdesk.layout.fonts import register_fonts
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.issue_ads import AdChoice
from adsdesk.layout.render import (
    RenderError,
    paint_on_page,
    write_pdf,
    write_png,
    write_proof_pdf,
)
from adsdesk.layout.result import Layout
from adsdesk.store import layout_prefs
from adsdesk.store.proof_facts import ProofFacts, proof_facts
from adsdesk.store.settings import StaleSetting
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.fill_panel import FillPanel
from adsdesk.ui.layout_canvas import LayoutCanvas
from adsdesk.ui.ui_state import ask_save_path

if TYPE_CHECKING:  # printing loads when first used: a quicker start
    from PySide6.QtPrintSupport import QPrinter

FIT_WIDTH = -1.0
ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def _compute(date: dt.date) -> tuple[IssueInput, Layout | None, float, dict[int, ProofFacts]]:
    """Runs on the database thread: read the issue and lay it out (QtGui only, no widgets)."""
    issue = load_issue(date)
    start = time.perf_counter()
    layout = lay_out(issue) if issue.ads else None
    seconds = time.perf_counter() - start
    return issue, layout, seconds, proof_facts([a.id for a in issue.ads])


class LayoutView(QWidget):
    """Layout of one issue: preview, fill, left-over ads, pin/move, print and export.

    ``refresh(date)`` lays the issue out again on the database thread; ``ad_activated(id)``
    fires when the clerk clicks an ad (to open it in the editor).
    """

    ad_activated = Signal(int)
    laid_out = Signal()

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layoutView")
        register_fonts()
        self.executor = executor
        self._date = dt.date.today()
        self._issue: IssueInput | None = None
        self._layout: Layout | None = None
        self._selected: int | None = None
        self._facts: dict[int, ProofFacts] = {}
        self.splitter_restored = False  # the main window restored the clerk's own split
        self._split_done = False
        self._generation = 0
        self.last_layout_seconds = 0.0
        self._build()
        self._update_actions()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("layoutDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate(self._date.year, self._date.month, self._date.day))
        self.date_edit.dateChanged.connect(self._date_changed)
        self.zoom_box = QComboBox()
        self.zoom_box.setObjectName("layoutZoom")
        self.zoom_box.addItem(self.tr("适合宽度"), FIT_WIDTH)
        for z in ZOOMS:
            self.zoom_box.addItem(f"{round(z * 100)}%", z)
        self.zoom_box.setCurrentIndex(0)  # fit the width; 100 % is true size
        self.zoom_box.currentIndexChanged.connect(lambda _i: self._apply_zoom())

        self.act_refresh = QAction(self.tr("重新排版"), self)
        self.act_refresh.triggered.connect(lambda: self.refresh())
        self.act_settings = QAction(self.tr("版面设置…"), self)
        self.act_settings.triggered.connect(self.open_column_settings)
        self.act_print = QAction(self.tr("打印…"), self)
        self.act_print.triggered.connect(self.open_print_dialog)
        self.act_preview = QAction(self.tr("打印预览…"), self)
        self.act_preview.triggered.connect(self.open_print_preview)
        self.act_pdf = QAction(self.tr("导出 PDF…"), self)
        self.act_pdf.triggered.connect(lambda: self.export_pdf())
        self.act_png = QAction(self.tr("导出 PNG…"), self)
        self.act_png.triggered.connect(lambda: self.export_png())

        self.act_pin = QAction(self.tr("置顶"), self)
        self.act_pin.setObjectName("actPin")
        self.act_pin.triggered.connect(self.toggle_pin)
        self.act_up = QAction(self.tr("上移"), self)
        self.act_up.triggered.connect(lambda: self.move_selected(-1))
        self.act_down = QAction(self.tr("下移"), self)
        self.act_down.triggered.connect(lambda: self.move_selected(1))
        self.column_menu = QMenu(self.tr("移到栏"), self)
        self.act_edit = QAction(self.tr("打开编辑"), self)
        self.act_edit.triggered.connect(self._activate_selected)
        self.act_proof = QAction(self.tr("清样 PDF…"), self)
        self.act_proof.triggered.connect(lambda: self.export_proof())
        self.act_reset = QAction(self.tr("恢复自动排版"), self)
        self.act_reset.triggered.connect(self.reset_choices)

        bar = QToolBar()
        bar.setObjectName("layoutToolbar")
        bar.addWidget(QLabel(self.tr("刊期 ")))
        bar.addWidget(self.date_edit)
        bar.addWidget(QLabel(self.tr("  缩放 ")))
        bar.addWidget(self.zoom_box)
        bar.addSeparator()
        for act in (self.act_refresh, self.act_settings):
            bar.addAction(act)
        bar.addSeparator()
        for act in (self.act_print, self.act_preview, self.act_pdf, self.act_png):
            bar.addAction(act)

        ad_bar = QToolBar()
        ad_bar.setObjectName("layoutAdToolbar")
        self.selected_label = QLabel(self.tr("未选中广告"))
        self.selected_label.setObjectName("layoutSelected")
        ad_bar.addWidget(self.selected_label)
        ad_bar.addSeparator()
        for act in (self.act_pin, self.act_up, self.act_down):
            ad_bar.addAction(act)
        column_button = QToolButton()
        column_button.setText(self.tr("移到栏"))
        column_button.setMenu(self.column_menu)
        column_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.column_button = column_button
        ad_bar.addWidget(column_button)
        for act in (self.act_edit, self.act_proof, self.act_reset):
            ad_bar.addAction(act)

        self.canvas = LayoutCanvas()
        self.canvas.ad_clicked.connect(self._canvas_clicked)
        self.canvas.menu_requested.connect(self._context_menu)
        self.canvas.zoom_step.connect(self._zoom_step)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("layoutScroll")
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.installEventFilter(self)

        self.fill = FillPanel()
        self.fill.ad_selected.connect(self.select_ad)
        self.fill.ad_activated.connect(self.ad_activated)
        self.status = QLabel()
        self.status.setObjectName("layoutStatus")
        self.status.setWordWrap(True)
        side = QWidget()
        side.setMinimumWidth(200)  # the left-over list stays readable
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.fill, 1)
        side_layout.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("layoutSplitter")
        self.splitter = splitter
        splitter.addWidget(self.scroll_area)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(ad_bar)
        layout.addWidget(splitter, 1)

    # --- public API ---------------------------------------------------------------------
    def date(self) -> dt.date:
        return self._date

    def layout_result(self) -> Layout | None:
        """The layout on show (None before the first result or for an issue with no ads)."""
        return self._layout

    def issue(self) -> IssueInput | None:
        return self._issue

    def selected_ad(self) -> int | None:
        return self._selected

    def refresh(self, date: dt.date | None = None) -> None:
        """Lay the issue out again (off the UI thread); the view updates when it is done."""
        if date is not None and date != self._date:
            self._date = date
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(date.year, date.month, date.day))
            self.date_edit.blockSignals(False)
        self._generation += 1
        generation = self._generation
        day = self._date
        self.status.setText(self.tr("正在排版…"))
        self.executor.submit(
            lambda: _compute(day),
            lambda result: self._laid_out(generation, result),
            self._failed,
        )

    def select_ad(self, ad_id: int | None) -> None:
        self._selected = ad_id
        self.canvas.set_selected(ad_id)
        self._update_actions()

    # --- results ------------------------------------------------------------------------
    def _laid_out(
        self,
        generation: int,
        result: tuple[IssueInput, Layout | None, float, dict[int, ProofFacts]],
    ) -> None:
        if generation != self._generation:
            return  # a newer layout is on its way
        issue, layout, seconds, self._facts = result
        self._issue, self._layout = issue, layout
        self.last_layout_seconds = seconds
        known = {a.id for a in issue.ads}
        if self._selected not in known:
            self._selected = None
        self.canvas.set_layout(
            layout, self.tr("{0} 这一期没有刊登广告。").format(self._date.isoformat())
        )
        self.canvas.set_selected(self._selected)
        self._apply_zoom()
        self.fill.show_layout(layout, self._selected)
        self._update_actions()
        if layout is not None:
            self.status.setText(
                self.tr("{0}：排入 {1} 则，排版用时 {2} 毫秒").format(
                    self._date.isoformat(), len(layout.placed), round(seconds * 1000)
                )
            )
        else:
            self.status.setText("")
        self.laid_out.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("排版失败：{0}").format(message))

    # --- selection and the clerk's choices ------------------------------------------------
    def _canvas_clicked(self, ad_id: int) -> None:
        if ad_id < 0:
            self.select_ad(None)
            return
        self.select_ad(ad_id)
        self.ad_activated.emit(ad_id)

    def _activate_selected(self) -> None:
        if self._selected is not None:
            self.ad_activated.emit(self._selected)

    def _choice(self) -> AdChoice:
        if self._issue is None or self._selected is None:
            return AdChoice()
        return self._issue.choices.get(self._selected, AdChoice())

    def _update_actions(self) -> None:
        has_ad = self._selected is not None and self._issue is not None
        for act in (self.act_pin, self.act_up, self.act_down, self.act_edit, self.act_proof):
            act.setEnabled(has_ad)
        self.column_button.setEnabled(has_ad)
        has_layout = self._layout is not None
        for act in (self.act_print, self.act_preview, self.act_pdf, self.act_png, self.act_reset):
            act.setEnabled(has_layout)
        choice = self._choice()
        self.act_pin.setText(self.tr("取消置顶") if choice.pinned else self.tr("置顶"))
        self.column_menu.clear()
        columns = self._layout.settings.columns if self._layout else 0
        auto = self.column_menu.addAction(self.tr("自动（随版面排）"))
        auto.setCheckable(True)
        auto.setChecked(choice.column is None)
        auto.triggered.connect(lambda: self.move_selected_to_column(None))
        for k in range(columns):
            act = self.column_menu.addAction(self.tr("第{0}栏").format(k + 1))
            act.setCheckable(True)
            act.setChecked(choice.column == k)
            act.triggered.connect(lambda _checked=False, k=k: self.move_selected_to_column(k))
        if self._selected is None:
            self.selected_label.setText(self.tr("未选中广告"))
        else:
            ad = (
                next((a for a in self._issue.ads if a.id == self._selected), None)
                if self._issue
                else None
            )
            title = (ad.title if ad else "") or self.tr("（无标题）")
            self.selected_label.setText(self.tr("选中 #{0} {1}").format(self._selected, title))

    def _save_choice(self, job: Callable[[], object]) -> None:
        self.executor.submit(job, lambda _r: self.refresh(), self._failed)

    def toggle_pin(self) -> None:
        if self._selected is None:
            return
        ad_id, day, pinned = self._selected, self._date, not self._choice().pinned
        self._save_choice(lambda: layout_prefs.set_pinned(day, ad_id, pinned))

    def move_selected(self, delta: int) -> None:
        if self._selected is None:
            return
        ad_id, day = self._selected, self._date
        self._save_choice(lambda: move_ad(day, ad_id, delta))

    def move_selected_to_column(self, column: int | None) -> None:
        if self._selected is None:
            return
        ad_id, day = self._selected, self._date
        self._save_choice(lambda: layout_prefs.set_column(day, ad_id, column))

    def reset_choices(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("恢复自动排版"),
            self.tr("清除这一期所有的置顶、顺序和分栏调整，按分类和受理顺序重新排？"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        day = self._date
        self._save_choice(lambda: layout_prefs.clear_choices(day))

    def _context_menu(self, ad_id: int, where: QPoint) -> None:
        if ad_id >= 0:
            self.select_ad(ad_id)
        menu = QMenu(self)
        if ad_id >= 0:
            for act in (self.act_edit, self.act_pin, self.act_up, self.act_down):
                menu.addAction(act)
            menu.addMenu(self.column_menu)
            menu.addAction(self.act_proof)
            menu.addSeparator()
        menu.addAction(self.act_reset)
        menu.exec(where)

    # --- zoom -------------------------------------------------------------------------------
    def fit_zoom(self) -> float:
        """The zoom at which the block's full width shows, with or without a vertical bar."""
        if self._layout is None:
            return 1.0
        area = self.scroll_area
        bar = area.verticalScrollBar().sizeHint().width()
        avail = area.width() - 2 * area.frameWidth() - bar - 2 * LayoutCanvas.MARGIN - 1
        return max(0.1, avail / (self._layout.width * self.canvas.logicalDpiX() / 72.0))

    def _apply_zoom(self) -> None:
        zoom = float(self.zoom_box.currentData())
        self.canvas.set_zoom(self.fit_zoom() if zoom == FIT_WIDTH else zoom)

    def _zoom_step(self, step: int) -> None:
        index = min(max(self.zoom_box.currentIndex() + step, 1), self.zoom_box.count() - 1)
        self.zoom_box.setCurrentIndex(index)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_done and not self.splitter_restored:
            # First show: the preview gets the room, the side panel a readable quarter.
            self._split_done = True
            total = sum(self.splitter.sizes()) or self.width()
            side = min(max(220, total // 4), 320)
            self.splitter.setSizes([max(total - side, 100), side])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The scroll area resizes with the window, the tab and the splitter handle alike.
        if (
            watched is self.scroll_area
            and event.type() in (QEvent.Type.Resize, QEvent.Type.Show)
            and self.zoom_box.currentData() == FIT_WIDTH
        ):
            self._apply_zoom()
        return super().eventFilter(watched, event)

    def _date_changed(self, qdate: QDate) -> None:
        self._date = dt.date(qdate.year(), qdate.month(), qdate.day())
        self.refresh()

    # --- settings ---------------------------------------------------------------------------
    def open_column_settings(self) -> None:
        """版面设置, as stored now (with its version), saved only over that version."""
        self.executor.submit(column_settings_copy, self._edit_column_settings, self._failed)

    def _edit_column_settings(
        self, copy: tuple[ColumnSettings, int], shown: ColumnSettings | None = None
    ) -> None:
        from adsdesk.ui.column_settings_dialog import ColumnSettingsDialog

        current, version = copy
        dialog = ColumnSettingsDialog(shown or current, self)
        self.column_dialog = dialog
        if dialog.exec() != ColumnSettingsDialog.DialogCode.Accepted:
            return
        values = dialog.values()

        def job() -> object:
            try:
                return save_column_settings(values, version)
            except StaleSetting as exc:
                return exc

        def done(result: object) -> None:
            if isinstance(result, StaleSetting):
                self._column_conflict(result, values)
            else:
                self.refresh()

        self.executor.submit(job, done, self._failed)

    def _column_conflict(self, stale: StaleSetting, mine: ColumnSettings) -> None:
        """Another desk saved the column settings since they were opened here."""
        from adsdesk.ui.conflict_dialog import GO_ON, KEEP_MINE, ConflictDialog

        def shown(copy: tuple[ColumnSettings, int]) -> None:
            stored, version = copy

            def lines(c: ColumnSettings) -> str:
                return "\n".join(f"{k}：{v}" for k, v in c.to_dict().items())

            dialog = ConflictDialog(
                str(stale), lines(mine), lines(stored), self, self.tr("版面设置")
            )
            self.conflict_dialog = dialog

            def chosen(choice: str) -> None:
                if choice == KEEP_MINE:
                    self._save_choice(lambda: save_column_settings(mine, version))
                elif choice == GO_ON:
                    QTimer.singleShot(0, lambda: self._edit_column_settings(copy, mine))
                else:
                    self.refresh()

            dialog.chosen.connect(chosen)
            dialog.open()

        self.executor.submit(column_settings_copy, shown, self._failed)

    # --- output -----------------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, pattern: str) -> Path | None:
        return ask_save_path(self, title, name, pattern)

    def _report(self, action: str, path: Path, error: Exception | None = None) -> None:
        if error is None:
            self.status.setText(self.tr("已{0}：{1}").format(action, path))
        else:
            self.status.setText(str(error))
            box = QMessageBox(QMessageBox.Icon.Warning, action, str(error), parent=self)
            box.setObjectName("layoutError")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not exec(): the view keeps working behind it

    def left_over_lines(self) -> list[str]:
        """The ads left out of the issue, named: "#12 遗失声明 张三营业执照遗失"."""
        if self._layout is None:
            return []
        ads = {a.id: a for a in self._issue.ads} if self._issue else {}
        lines = []
        for left in self._layout.left_over:
            ad = ads.get(left.ad_id)
            what = left.title or (ad.body[:16] if ad else "") or self.tr("（无标题）")
            lines.append(f"#{left.ad_id} {ad.category if ad else ''} {what}".replace("  ", " "))
        return lines

    def confirm_left_over(self, verb: str, output: str) -> bool:
        """Before printing or exporting an issue with ads left over: ask, naming them."""
        lines = self.left_over_lines()
        if not lines:
            return True
        ads = {a.id: a for a in self._issue.ads} if self._issue else {}
        legal = any(
            ads[x.ad_id].category == "遗失声明"
            for x in (self._layout.left_over if self._layout else [])
            if x.ad_id in ads
        )
        text = self.tr("这一期还有 {0} 则广告排不下，不会出现在{1}里：").format(len(lines), output)
        text += "\n\n" + "\n".join(lines)
        if legal:
            text += "\n\n" + self.tr("其中有遗失声明：这是客户付费的法定公告，漏登须补登。")
        text += "\n\n" + self.tr("仍要{0}吗？").format(verb)
        box = QMessageBox(self)
        box.setObjectName("leftOverPrompt")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("有广告排不下"))
        box.setText(text)
        go = box.addButton(self.tr("仍然{0}").format(verb), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is go

    def export_pdf(self, path: Path | None = None) -> bool:
        if self._layout is None or not self.confirm_left_over(self.tr("导出 PDF"), self.tr("PDF")):
            return False
        path = path or self._ask_path(
            self.tr("导出 PDF"), f"便民信息-{self._date.isoformat()}.pdf", "PDF (*.pdf)"
        )
        if path is None:
            return False
        try:
            write_pdf(self._layout, path)
        except RenderError as exc:
            self._report(self.tr("导出 PDF"), path, exc)
            return False
        self._report(self.tr("导出 PDF"), path)
        return True

    def export_png(self, path: Path | None = None, dpi: float = 300.0) -> bool:
        if self._layout is None or not self.confirm_left_over(self.tr("导出 PNG"), self.tr("PNG")):
            return False
        path = path or self._ask_path(
            self.tr("导出 PNG"), f"便民信息-{self._date.isoformat()}.png", "PNG (*.png)"
        )
        if path is None:
            return False
        try:
            write_png(self._layout, path, dpi)
        except RenderError as exc:
            self._report(self.tr("导出 PNG"), path, exc)
            return False
        self._report(self.tr("导出 PNG"), path)
        return True

    def export_proof(self, path: Path | None = None) -> bool:
        """The selected ad alone at its column width, with the date and a signature line."""
        if self._issue is None or self._selected is None:
            return False
        ad_id = self._selected
        path = path or self._ask_path(
            self.tr("广告清样"), f"清样-{ad_id}-{self._date.isoformat()}.pdf", "PDF (*.pdf)"
        )
        if path is None:
            return False
        facts = self._facts.get(ad_id)
        placed = self._layout.find(ad_id) if self._layout else None
        if placed is None:  # left over: set it alone at the column width all the same
            ad = next(a for a in self._issue.ads if a.id == ad_id)
            placed = lay_out_ad(ad, self._issue.settings, self._issue.profile.area_code)
        try:
            write_proof_pdf(
                placed,
                self._issue.settings,
                path,
                date=self._date,
                paper_name=self._issue.profile.paper_name,
                customer=facts.customer if facts else "",
                run_dates=facts.run_dates if facts else (),
                price=facts.price if facts else "",
            )
        except RenderError as exc:
            self._report(self.tr("广告清样"), path, exc)
            return False
        self._report(self.tr("广告清样"), path)
        return True

    def make_printer(self) -> QPrinter:
        """A printer set to the block's size, no margins, so it prints true to size."""
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self._layout is not None:
            s = self._layout.settings
            printer.setPageSize(
                QPageSize(
                    QSizeF(s.width_mm, s.height_mm),
                    QPageSize.Unit.Millimeter,
                    self.tr("便民信息版块"),
                    QPageSize.SizeMatchPolicy.ExactMatch,
                )
            )
            printer.setDocName(f"{s.section_name} {self._date.isoformat()}")
        printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        printer.setFullPage(True)
        return printer

    def print_to(self, printer: QPrinter) -> bool:
        """Paint the block on a printer's page (true to size, scaled down only if it must)."""
        if self._layout is None:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            self.status.setText(self.tr("无法开始打印：打印机不可用。"))
            return False
        dpi = float(printer.resolution())
        page = printer.pageLayout().fullRectPixels(printer.resolution())
        fit = paint_on_page(painter, self._layout, QRectF(page), dpi)
        painter.end()
        if fit < 0.999:
            self.status.setText(
                self.tr("纸张小于版块，已按 {0}% 缩小打印。").format(round(fit * 100))
            )
        return True

    def open_print_dialog(self) -> None:
        if self._layout is None or not self.confirm_left_over(self.tr("打印"), self.tr("打印稿")):
            return
        printer = self.make_printer()
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def open_print_preview(self) -> None:
        if self._layout is None or not self.confirm_left_over(self.tr("打印"), self.tr("打印稿")):
            return
        printer = self.make_printer()
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        dialog = QPrintPreviewDialog(printer, self)
        dialog.paintRequested.connect(self.print_to)
        dialog.exec()
