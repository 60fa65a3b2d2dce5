"""Sign-in at start (last user name remembered), the first admin, and a supervisor's approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.store import users
from adsdesk.store.actor import Actor, set_actor
from adsdesk.store.users import Credentials
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.ui_state import ui_settings

LAST_USER_KEY = "signin/last_user"


class _Form(QDialog):
    """A small form whose OK runs a store call on the database thread; errors stay in view."""

    def __init__(self, executor: DbExecutor, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("signinError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(self.form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def _line(self, name: str, label: str, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.buttons.setEnabled(False)
        self.error.clear()

        def failed(message: str) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(message)

        def ok(result: Any) -> None:
            self.buttons.setEnabled(True)
            done(result)

        self.executor.submit(job, ok, failed)

    def _submit(self) -> None:
        raise NotImplementedError


class SignInDialog(_Form):
    """User name (the last one remembered on this computer) and password."""

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(executor, self.tr("登录受理台"), parent)
        self.intro.setText(self.tr("请输入用户名和密码。"))
        self.name = self._line("signinName", self.tr("用户名"))
        self.password = self._line("signinPassword", self.tr("密码"), secret=True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        last = str(ui_settings().value(LAST_USER_KEY, "") or "")
        self.name.setText(last)
        (self.password if last else self.name).setFocus()
        self.actor: Actor | None = None

    def _submit(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if not name:
            self.error.setText(self.tr("请输入用户名。"))
            return

        def done(actor: Actor) -> None:
            settings = ui_settings()
            settings.setValue(LAST_USER_KEY, actor.user)
            settings.sync()
            self.actor = set_actor(actor)
            self.accept()

        self.password.clear()
        self._run(lambda: users.sign_in(name, password), done)


class FirstAdminDialog(_Form):
    """First start: the desk has no accounts yet; whoever sets it up creates the admin."""

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(executor, self.tr("创建管理员账户"), parent)
        self.intro.setText(
            self.tr(
                "这是受理台第一次启动，还没有任何账户。请创建管理员账户"
                "（管理账户、价目表和设置），之后再用它添加受理员和主管。"
            )
        )
        self.name = self._line("adminName", self.tr("用户名"))
        self.full_name = self._line("adminFullName", self.tr("姓名"))
        self.password = self._line("adminPassword", self.tr("密码（至少 6 位）"), secret=True)
        self.again = self._line("adminAgain", self.tr("再输一次"), secret=True)
        self.name.setText("admin")
        self.actor: Actor | None = None

    def _submit(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if password != self.again.text():
            self.error.setText(self.tr("两次输入的密码不一样。"))
            return
        full = self.full_name.text()

        def job() -> Actor:
            users.add_user(name, password, ["admin"], full)
            return users.sign_in(name, password)

        def done(actor: Actor) -> None:
            settings = ui_settings()
            settings.setValue(LAST_USER_KEY, actor.user)
            settings.sync()
            self.actor = set_actor(actor)
            self.accept()

        self._run(job, done)


class ApprovalDialog(QDialog):
    """A supervisor approves at the clerk's desk by typing their own name and password now.

    The password is checked by the store when the change is written (``credentials``).
    """

    def __init__(
        self, what: str, parent: QWidget | None = None, ask_reason: bool = False, reason: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.setWindowTitle(self.tr("主管批准"))
        intro = QLabel(
            self.tr("{0}需要主管批准。请主管在本机输入自己的用户名和密码。").format(what)
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("approverName")
        self.password = QLineEdit()
        self.password.setObjectName("approverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(reason)
        self.reason.setObjectName("approvalReason")
        self.reason.setPlaceholderText(self.tr("批准理由，随记录保存"))
        form.addRow(self.tr("主管用户名"), self.name)
        form.addRow(self.tr("密码"), self.password)
        if ask_reason:
            form.addRow(self.tr("理由"), self.reason)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("批准"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self._ask_reason = ask_reason
        self.setMinimumWidth(400)
        self.name.setFocus()

    def _accept(self) -> None:
        if not self.name.text().strip() or not self.password.text():
            self.error.setText(self.tr("请输入主管的用户名和密码。"))
            return
        if self._ask_reason and not self.reason.text().strip():
            self.error.setText(self.tr("请写明理由。"))
            return
        self.accept()

    def ok_button(self) -> QPushButton:
        return self._ok

    def credentials(self) -> Credentials:
        return Credentials(self.name.text().strip(), self.password.text())
