"""Cancel a booked ad: a reason is required; the ad stays on file, struck through."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class CancelAdDialog(QDialog):
    def __init__(self, ad_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelAdDialog")
        self.setWindowTitle(self.tr("撤销广告"))
        intro = QLabel(
            self.tr(
                "撤销广告 #{0}：广告和已刊登的记录都保留（列表中划线显示），"
                "尚未签发的后续刊登日期撤下。请写明理由。"
            ).format(ad_id)
        )
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("撤销理由，例如：客户来电取消"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("撤销广告"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.reason)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self.setMinimumWidth(420)

    def _accept(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("请写明撤销理由。"))
            return
        self.accept()
