"""The 核对 tab: the issue's press PDF checked against its bookings, one line per booking.

Each booking shows ✓ or ✗ with the reason; a click shows the booked text beside the printed
text and the printed ad itself, rendered from the press PDF by PDFium (Qt's own PDF module is
not part of PySide6-Essentials, and PDFium already reads the text). 补登 books a free run on
the next issue for a missing or misprinted ad.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.run_dates import to_date, to_qdate

if TYPE_CHECKING:  # the press reader loads when a check is first run: a quicker start
    from adsdesk.press_check import PressCheck
    from adsdesk.store.press import MakeGoodInfo
    from adsdesk.verify.crop import Pixels

COL_MARK, COL_AD, COL_CUSTOMER, COL_REASON, COL_MAKE_GOOD = range(5)
GREEN, RED, AMBER = QColor("#1b7f3a"), QColor("#b3261e"), QColor("#8a5a00")
EXTRA = -1  # row data of an extra (unbooked) printed item


def _mark(box: QPlainTextEdit, spans: list[tuple[int, int]]) -> None:
    """Colour the characters that differ (red on pale red), as a proofreader marks them."""
    fmt = QTextCharFormat()
    fmt.setForeground(RED)
    fmt.setBackground(QColor("#fde2e1"))
    for start, end in spans:
        cursor = QTextCursor(box.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)


def marked_spans(box: QPlainTextEdit) -> list[str]:
    """The coloured pieces of a text box (what the clerk sees marked), in order."""
    out: list[str] = []
    block = box.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().foreground().color() == RED:
                out.append(frag.text())
            it += 1
        block = block.next()
    return out


class CropLabel(QLabel):
    """The printed ad as rendered: shrunk to the pane's width when wider, never enlarged."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setMinimumSize(120, 80)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._image: QImage | None = None

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.setText("")
        self._fit()

    def image(self) -> QImage | None:
        return self._image

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._image is None or self._image.isNull():
            self.setPixmap(QPixmap())
            return
        image = self._image
        if image.width() > self.width() or image.height() > self.height():
            image = image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.setPixmap(QPixmap.fromImage(image))


class VerifyView(QWidget):
    """Pick the press PDF of an issue, see every booking checked, book make-good runs."""

    ad_activated = Signal(int)
    failed = Signal(str)
    changed = Signal()  # a make-good added an ad

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyView")
        self.executor = executor
        self.check: PressCheck | None = None
        self._shown_date: dt.date | None = None  # the date last checked
        self._build()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate.currentDate())
        self.date.dateChanged.connect(lambda _d: self._date_changed())
        self.pick = QPushButton(self.tr("选择付印 PDF…"))
        self.pick.setToolTip(self.tr("组版交来的付印稿（方正、InDesign 等导出的、保留文字的 PDF）"))
        self.pick.clicked.connect(self._pick_file)
        self.again = QPushButton(self.tr("重新核对"))
        self.again.setToolTip(self.tr("用本期已存的付印 PDF 再核对一次（预订改过之后）"))
        self.again.clicked.connect(self.refresh)
        self.summary = QLabel(self.tr("选择本期的付印 PDF，逐条核对见报情况。"))
        self.summary.setObjectName("verifySummary")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("刊期")))
        top.addWidget(self.date)
        top.addWidget(self.pick)
        top.addWidget(self.again)
        top.addStretch(1)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("verifyTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("核对"), self.tr("广告"), self.tr("客户"), self.tr("说明"), self.tr("补登")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_MARK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_AD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_AD, 190)
        self.table.setColumnWidth(COL_CUSTOMER, 120)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.cellDoubleClicked.connect(self._open_ad)

        self.booked = QPlainTextEdit()
        self.booked.setReadOnly(True)
        self.booked.setObjectName("bookedText")
        self.printed = QPlainTextEdit()
        self.printed.setReadOnly(True)
        self.printed.setObjectName("printedText")
        self.crop = CropLabel()
        self.crop.setObjectName("printedCrop")
        self.make_good = QPushButton(self.tr("免费补登到下一期"))
        self.make_good.setObjectName("makeGoodButton")
        self.make_good.setToolTip(
            self.tr("复制这则广告登在下一期，开 0 元订单注明补登哪一期，并记入客户档案")
        )
        self.make_good.setEnabled(False)
        self.make_good.clicked.connect(self._book_make_good)

        detail = QSplitter(Qt.Orientation.Horizontal)
        for label, box in (
            (self.tr("预订的文字"), self.booked),
            (self.tr("见报的文字"), self.printed),
        ):
            pane = QWidget()
            col = QVBoxLayout(pane)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(QLabel(label))
            col.addWidget(box)
            detail.addWidget(pane)
        pane = QWidget()
        col = QVBoxLayout(pane)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(self.tr("付印稿上的这则广告")))
        col.addWidget(self.crop, 1)
        col.addWidget(self.make_good)
        detail.addWidget(pane)
        detail.setSizes([200, 200, 320])

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)

    # --- checking -----------------------------------------------------------------------
    def set_date(self, date: dt.date) -> None:
        if to_date(self.date.date()) != date:
            self.date.setDate(to_qdate(date))

    def current_date(self) -> dt.date:
        return to_date(self.date.date())

    def _date_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_date != self.current_date():
            self.refresh()

    def refresh(self) -> None:
        """Check again the press PDF kept for this issue, if there is one."""
        date = self.current_date()
        self._shown_date = date
        from adsdesk.press_check import check_stored

        self.executor.submit(lambda: check_stored(date), self._checked, self._error)

    def _pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择付印 PDF"), "", self.tr("PDF 文件 (*.pdf);;所有文件 (*)")
        )
        if name:
            self.check_file(Path(name))

    def check_file(self, path: Path) -> None:
        """Read ``path`` and check it against the issue (keeps it with the issue)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._error(self.tr("无法读取 {0}：{1}。").format(path, exc.strerror))
            return
        date = self.current_date()
        self._shown_date = date
        self.summary.setText(self.tr("正在核对 {0} …").format(path.name))
        from adsdesk.press_check import check_press

        self.executor.submit(lambda: check_press(date, data, path.name), self._checked, self._error)

    def _error(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setStyleSheet("color: #b3261e;")
        self.failed.emit(message)

    def _checked(self, check: PressCheck | None) -> None:
        self.summary.setStyleSheet("")
        self.check = check
        self.table.setRowCount(0)
        self._clear_detail()
        if check is None:
            self.summary.setText(self.tr("本期还没有核对过付印 PDF：点“选择付印 PDF…”。"))
            return
        r = check.report
        bad = {a.id for a in r.altered}
        self.summary.setText(
            self.tr(
                "{0}（{1} 页）：预订 {2} 则，见报 {3}，漏登 {4}，有误 {5}，重复 {6}，多出 {7}"
            ).format(
                check.name,
                r.pages,
                len(r.bookings),
                len(r.found),
                len(r.missing),
                len(bad),
                len(r.duplicated),
                len(r.extra),
            )
        )
        from adsdesk.press_check import reason_of

        for b in r.bookings:
            reason = reason_of(r, b.id)
            found = r.found_of(b.id)
            if not reason and found is not None and found.title_not_text:
                reason = self.tr("标题不是文字（可能排成了图片），未核对标题")
            ok = b.id not in r.missing and b.id not in bad and b.id not in r.duplicated
            self._add_row(
                "✓" if ok else "✗",
                GREEN if ok else RED,
                f"#{b.id} {b.title or b.body[:14]}".replace("\n", " "),
                b.advertiser,
                reason or self.tr("已见报，第 {0} 页").format(found.box.page if found else "?"),
                b.id,
                check.make_goods.get(b.id),
            )
        for i, e in enumerate(r.extra):
            self._add_row(
                "?",
                AMBER,
                self.tr("多出（无预订）"),
                "",
                self.tr("第 {0} 页：{1}").format(e.page, e.text),
                EXTRA - i,
                None,
            )

    def _add_row(
        self,
        mark: str,
        color: QColor,
        ad: str,
        customer: str,
        reason: str,
        key: int,
        made: MakeGoodInfo | None,
    ) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = [mark, ad, customer, reason, self._make_good_text(made)]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if col == COL_MARK:
                item.setForeground(color)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if col == COL_REASON and mark != "✓":
                item.setForeground(color)
            item.setToolTip(text)
            self.table.setItem(row, col, item)

    def _make_good_text(self, made: MakeGoodInfo | None) -> str:
        if made is None:
            return ""
        return self.tr("已补登 {0}（#{1}）").format(made.new_date.isoformat(), made.new_ad_id)

    # --- the selected booking ------------------------------------------------------------
    def selected_key(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _clear_detail(self) -> None:
        self.booked.setPlainText("")
        self.printed.setPlainText("")
        self.crop.set_image(None)
        self.make_good.setEnabled(False)

    def _show_selected(self) -> None:
        key = self.selected_key()
        check = self.check
        self._clear_detail()
        if key is None or check is None:
            return
        r = check.report
        if key <= EXTRA:
            extra = r.extra[EXTRA - key]
            self.printed.setPlainText(extra.text)
            self.booked.setPlainText(self.tr("（没有预订）"))
            box = extra.box
        else:
            booking = next(b for b in r.bookings if b.id == key)
            self.booked.setPlainText(booking.text)
            found = r.found_of(key)
            failed = key in r.missing or any(a.id == key for a in r.altered)
            self.make_good.setEnabled(failed and key not in check.make_goods)
            if found is None:
                self.printed.setPlainText(self.tr("（付印稿上没有找到）"))
                self.crop.setText(self.tr("付印稿上没有这则广告"))
                return
            self.printed.setPlainText(found.printed)
            if any(a.id == key for a in r.altered):
                from adsdesk.verify.normalize import differing_spans

                lost, added = differing_spans(booking.text, found.printed)
                _mark(self.booked, lost)
                _mark(self.printed, added)
            box = found.box
        data = check.data
        from adsdesk.verify.crop import render_region

        self.executor.submit(
            lambda: render_region(data, box.page, box.x, box.y, box.w, box.h),
            self._show_crop,
        )

    def _show_crop(self, pixels: Pixels) -> None:
        image = QImage(
            pixels.data, pixels.width, pixels.height, pixels.stride, QImage.Format.Format_BGR888
        ).copy()  # own the pixels: the bytes object goes away
        self.crop.set_image(image)

    def _open_ad(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        key = item.data(Qt.ItemDataRole.UserRole) if item else None
        if key is not None and key > 0:
            self.ad_activated.emit(int(key))

    # --- make-good ----------------------------------------------------------------------
    def _book_make_good(self) -> None:
        key = self.selected_key()
        check = self.check
        if key is None or key <= 0 or check is None:
            return
        from adsdesk.press_check import reason_of

        reason = reason_of(check.report, key) or self.tr("见报有误")
        date = self.current_date()
        self.make_good.setEnabled(False)
        from adsdesk.store.press import book_make_good

        self.executor.submit(
            lambda: book_make_good(key, date, reason), self._make_good_booked, self._error
        )

    def _make_good_booked(self, made: MakeGoodInfo) -> None:
        if self.check is not None:
            self.check.make_goods[made.ad_id] = made
        for row in range(self.table.rowCount()):
            item = self.table.item(row, COL_MAKE_GOOD)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == made.ad_id:
                item.setText(self._make_good_text(made))
        self.summary.setText(
            self.tr("已为 #{0} 免费补登于 {1}（新广告 #{2}，0 元订单），并记入客户档案。").format(
                made.ad_id, made.new_date.isoformat(), made.new_ad_id
            )
        )
        self.changed.emit()
