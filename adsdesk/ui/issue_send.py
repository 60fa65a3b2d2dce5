"""签发 on the 版面 tab: send the issue to print (PDF kept, issue locked); a supervisor reopens."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar

from adsdesk.layout.render import RenderError, write_pdf
from adsdesk.store import issues
from adsdesk.store.actor import SUPERVISOR, current_actor
from adsdesk.store.users import Credentials
from adsdesk.ui.signin_dialog import ApprovalDialog

if TYPE_CHECKING:
    from adsdesk.ui.layout_view import LayoutView


class IssueSendControl(QObject):
    """签发付印 and 重开 on the layout view's toolbar, with the issue's state beside them."""

    def __init__(self, view: LayoutView) -> None:
        super().__init__(view)
        self.view = view
        self.info: issues.SendInfo | None = None
        self.act_send = QAction(self.tr("签发付印"), view)
        self.act_send.setObjectName("actSendIssue")
        self.act_send.setToolTip(
            self.tr("把这一期送去付印：PDF 存档，本期的刊登与版面锁定，只有主管可以重开")
        )
        self.act_send.triggered.connect(lambda: self.send())
        self.act_reopen = QAction(self.tr("重开（主管）"), view)
        self.act_reopen.setObjectName("actReopenIssue")
        self.act_reopen.triggered.connect(self.ask_reopen)
        self.state = QLabel()
        self.state.setObjectName("issueSendState")
        bar = view.findChild(QToolBar, "layoutToolbar")
        if bar is not None:
            bar.addSeparator()
            bar.addAction(self.act_send)
            bar.addAction(self.act_reopen)
            bar.addWidget(self.state)
        view.laid_out.connect(self.reload)
        self._show(None)

    def reload(self) -> None:
        day = self.view.date()
        self.view.executor.submit(
            lambda: (day, issues.send_info(day)), lambda r: self._loaded(*r), self.view._failed
        )

    def _loaded(self, day: object, info: issues.SendInfo | None) -> None:
        if day == self.view.date():
            self._show(info)

    def _show(self, info: issues.SendInfo | None) -> None:
        self.info = info
        self.act_send.setEnabled(info is None and self.view.layout_result() is not None)
        self.act_reopen.setEnabled(info is not None)
        if info is None:
            self.state.setText(self.tr("  未签发"))
        else:
            self.state.setText(
                self.tr("  已签发：{0} {1:%Y-%m-%d %H:%M}（PDF 已存档，本期已锁定）").format(
                    info.sent_by, info.sent_at
                )
            )

    def send(self) -> bool:
        """Render the column as it stands, keep that exact PDF and lock the issue."""
        layout = self.view.layout_result()
        if layout is None or self.info is not None:
            return False
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "issue.pdf"
                write_pdf(layout, path)
                pdf = path.read_bytes()
        except (RenderError, OSError) as exc:
            self.view.status.setText(self.tr("签发失败：{0}").format(exc))
            return False
        day = self.view.date()

        def done(digest: str) -> None:
            self.view.status.setText(
                self.tr("{0} 已签发付印，PDF 已存档（SHA-256 {1}…）").format(
                    day.isoformat(), digest[:12]
                )
            )
            self.reload()

        self.view.executor.submit(
            lambda: issues.send_issue(day, pdf),
            done,
            lambda why: self.view.status.setText(self.tr("签发失败：{0}").format(why)),
        )
        return True

    def ask_reopen(self) -> None:
        """A supervisor reopens the sent issue, with a reason (their password typed now)."""
        actor = current_actor()
        dialog = ApprovalDialog(self.tr("重开已签发的版面"), self.view, ask_reason=True)
        if actor.user and actor.has(SUPERVISOR):
            dialog.name.setText(actor.user)

        def finished(result: int) -> None:
            if result == ApprovalDialog.DialogCode.Accepted:
                self.reopen(dialog.reason.text().strip(), dialog.credentials())

        dialog.finished.connect(finished)
        dialog.open()

    def reopen(self, reason: str, approval: Credentials | None) -> None:
        day = self.view.date()

        def done(approver: str) -> None:
            self.view.status.setText(
                self.tr("{0} 已由主管 {1} 重开").format(day.isoformat(), approver)
            )
            self.reload()

        self.view.executor.submit(
            lambda: issues.reopen_issue(day, reason, approval),
            done,
            lambda why: self.view.status.setText(self.tr("重开失败：{0}").format(why)),
        )
