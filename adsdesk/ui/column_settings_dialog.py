"""Dialog editing the column settings: block size, columns, rules, masthead, type sizes."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from adsdesk.layout.geometry import BODY_SIZES, ColumnSettings, pt_to_mm


def _mm(value: float, low: float, high: float, step: float = 0.5) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSingleStep(step)
    box.setSuffix(" mm")
    box.setValue(value)
    return box


def _pt(
    value: float, low: float, high: float, step: float = 0.5, decimals: int = 1
) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setSuffix(" pt")
    box.setValue(value)
    return box


class ColumnSettingsDialog(QDialog):
    """Edits a ColumnSettings; ``values()`` gives the result, OK is refused while invalid."""

    def __init__(self, settings: ColumnSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnSettingsDialog")
        self.setWindowTitle(self.tr("版面设置"))
        self._base = settings
        s = settings

        self.width_mm = _mm(s.width_mm, 30, 1000)
        self.height_mm = _mm(s.height_mm, 30, 1500)
        self.columns = QSpinBox()
        self.columns.setRange(1, 12)
        self.columns.setValue(s.columns)
        self.gutter_mm = _mm(s.gutter_mm, 0, 30)
        self.margins = [
            _mm(v, 0, 100)
            for v in (s.margin_top_mm, s.margin_right_mm, s.margin_bottom_mm, s.margin_left_mm)
        ]
        block = QGroupBox(self.tr("版块"))
        form = QFormLayout(block)
        form.addRow(self.tr("宽度"), self.width_mm)
        form.addRow(self.tr("高度"), self.height_mm)
        form.addRow(self.tr("栏数"), self.columns)
        form.addRow(self.tr("栏间距"), self.gutter_mm)
        margins = QHBoxLayout()
        for label, box in zip(
            (self.tr("上"), self.tr("右"), self.tr("下"), self.tr("左")), self.margins, strict=True
        ):
            margins.addWidget(QLabel(label))
            margins.addWidget(box)
        form.addRow(self.tr("边距"), margins)
        self.column_width = QLabel()
        self.column_width.setObjectName("columnWidthNote")
        form.addRow(self.tr("每栏"), self.column_width)

        self.column_rule = _pt(s.column_rule_pt, 0, 3, 0.1, 2)
        self.boxed = QCheckBox(self.tr("每则广告加框（不勾选则广告之间加分隔线）"))
        self.boxed.setChecked(s.boxed)
        self.box_rule = _pt(s.box_rule_pt, 0, 3, 0.1, 2)
        self.box_padding = _mm(s.box_padding_mm, 0, 10, 0.1)
        self.ad_gap = _mm(s.ad_gap_mm, 0, 20, 0.1)
        rules = QGroupBox(self.tr("线条与间距"))
        form = QFormLayout(rules)
        form.addRow(self.tr("栏线粗细（0 为不加）"), self.column_rule)
        form.addRow(self.boxed)
        form.addRow(self.tr("框线/分隔线粗细"), self.box_rule)
        form.addRow(self.tr("框内边距"), self.box_padding)
        form.addRow(self.tr("广告间距"), self.ad_gap)

        self.masthead = QCheckBox(self.tr("显示报头"))
        self.masthead.setChecked(s.masthead)
        self.section_name = QLineEdit(s.section_name)
        self.hotlines = QLineEdit(" ".join(s.hotlines))
        self.hotlines.setPlaceholderText(self.tr("留空则用“设置”里的受理热线"))
        self.masthead_height = _mm(s.masthead_height_mm, 5, 60)
        self.headings = QCheckBox(self.tr("按分类加分类标题"))
        self.headings.setChecked(s.headings)
        head = QGroupBox(self.tr("报头与分类标题"))
        form = QFormLayout(head)
        form.addRow(self.masthead)
        form.addRow(self.tr("栏目名称"), self.section_name)
        form.addRow(self.tr("热线（空格分隔）"), self.hotlines)
        form.addRow(self.tr("报头高度"), self.masthead_height)
        form.addRow(self.headings)

        self.body_size = QComboBox()
        for name, size in BODY_SIZES.items():
            self.body_size.addItem(self.tr("{0}（{1} pt）").format(name, size), size)
        self.body_size.addItem(self.tr("自定义"), 0.0)
        self.body_custom = _pt(s.body_size_pt, 6, 14, 0.25, 2)
        self.body_leading = _pt(s.body_leading_pt, 6, 30, 0.25, 2)
        self.title_size = _pt(s.title_size_pt, 6, 24, 0.5)
        self.title_leading = _pt(s.title_leading_pt, 6, 40, 0.5)
        self.heading_size = _pt(s.heading_size_pt, 6, 24, 0.5)
        self.justify = QCheckBox(self.tr("正文两端对齐"))
        self.justify.setChecked(s.justify)
        index = self.body_size.findData(s.body_size_pt)
        self.body_size.setCurrentIndex(index if index >= 0 else self.body_size.count() - 1)
        body_row = QHBoxLayout()
        body_row.addWidget(self.body_size)
        body_row.addWidget(self.body_custom)
        fonts = QGroupBox(self.tr("字号（标题用黑体，正文用宋体）"))
        form = QFormLayout(fonts)
        form.addRow(self.tr("正文字号"), body_row)
        form.addRow(self.tr("正文行距"), self.body_leading)
        form.addRow(self.tr("标题字号"), self.title_size)
        form.addRow(self.tr("标题行距"), self.title_leading)
        form.addRow(self.tr("分类标题字号"), self.heading_size)
        form.addRow(self.justify)

        self.error = QLabel()
        self.error.setObjectName("columnSettingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0262d")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        defaults = QPushButton(self.tr("恢复默认"))
        self.buttons.addButton(defaults, QDialogButtonBox.ButtonRole.ResetRole)
        defaults.clicked.connect(lambda: self.set_values(ColumnSettings()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(block)
        left.addWidget(head)
        right = QVBoxLayout()
        right.addWidget(rules)
        right.addWidget(fonts)
        columns = QHBoxLayout()
        columns.addLayout(left)
        columns.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        for spin in self.findChildren(QDoubleSpinBox):
            spin.valueChanged.connect(self._update)
        self.columns.valueChanged.connect(self._update)
        for check in self.findChildren(QCheckBox):
            check.toggled.connect(self._update)
        for edit in (self.section_name, self.hotlines):
            edit.textChanged.connect(self._update)
        self.body_size.currentIndexChanged.connect(self._update)
        self._update()

    def set_values(self, s: ColumnSettings) -> None:
        self.width_mm.setValue(s.width_mm)
        self.height_mm.setValue(s.height_mm)
        self.columns.setValue(s.columns)
        self.gutter_mm.setValue(s.gutter_mm)
        for box, v in zip(
            self.margins,
            (s.margin_top_mm, s.margin_right_mm, s.margin_bottom_mm, s.margin_left_mm),
            strict=True,
        ):
            box.setValue(v)
        self.column_rule.setValue(s.column_rule_pt)
        self.boxed.setChecked(s.boxed)
        self.box_rule.setValue(s.box_rule_pt)
        self.box_padding.setValue(s.box_padding_mm)
        self.ad_gap.setValue(s.ad_gap_mm)
        self.masthead.setChecked(s.masthead)
        self.section_name.setText(s.section_name)
        self.hotlines.setText(" ".join(s.hotlines))
        self.masthead_height.setValue(s.masthead_height_mm)
        self.headings.setChecked(s.headings)
        index = self.body_size.findData(s.body_size_pt)
        self.body_size.setCurrentIndex(index if index >= 0 else self.body_size.count() - 1)
        self.body_custom.setValue(s.body_size_pt)
        self.body_leading.setValue(s.body_leading_pt)
        self.title_size.setValue(s.title_size_pt)
        self.title_leading.setValue(s.title_leading_pt)
        self.heading_size.setValue(s.heading_size_pt)
        self.justify.setChecked(s.justify)

    def values(self) -> ColumnSettings:
        preset = float(self.body_size.currentData() or 0.0)
        return replace(
            self._base,
            width_mm=self.width_mm.value(),
            height_mm=self.height_mm.value(),
            columns=self.columns.value(),
            gutter_mm=self.gutter_mm.value(),
            margin_top_mm=self.margins[0].value(),
            margin_right_mm=self.margins[1].value(),
            margin_bottom_mm=self.margins[2].value(),
            margin_left_mm=self.margins[3].value(),
            column_rule_pt=self.column_rule.value(),
            boxed=self.boxed.isChecked(),
            box_rule_pt=self.box_rule.value(),
            box_padding_mm=self.box_padding.value(),
            ad_gap_mm=self.ad_gap.value(),
            masthead=self.masthead.isChecked(),
            section_name=self.section_name.text().strip(),
            hotlines=tuple(self.hotlines.text().replace("，", " ").replace(",", " ").split()),
            masthead_height_mm=self.masthead_height.value(),
            headings=self.headings.isChecked(),
            body_size_pt=preset or self.body_custom.value(),
            body_leading_pt=self.body_leading.value(),
            title_size_pt=self.title_size.value(),
            title_leading_pt=self.title_leading.value(),
            heading_size_pt=self.heading_size.value(),
            justify=self.justify.isChecked(),
        )

    def _update(self, *_args: object) -> None:
        self.body_custom.setEnabled(not self.body_size.currentData())
        s = self.values()
        problems = s.problems()
        self.error.setText(problems[0] if problems else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
        if not problems:
            chars = int(s.text_width_pt / s.body_size_pt + 1e-6)
            self.column_width.setText(
                self.tr("栏宽 {0:.1f} mm，每行约 {1} 个正文字").format(
                    pt_to_mm(s.column_width_pt), chars
                )
            )
        else:
            self.column_width.setText("")
