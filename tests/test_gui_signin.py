"""Sign-in at the desk: last user remembered, wrong passwords told and counted, the first admin."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import type_text

from adsdesk.store import users
from adsdesk.store.actor import Actor, current_actor, set_actor
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.signin_dialog import FirstAdminDialog, SignInDialog


@pytest.fixture
def executor(desk_db: Path) -> Iterator[DbExecutor]:
    application()
    ex = DbExecutor()
    yield ex
    ex.shutdown()
    set_actor(Actor())


def _ok(dialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_first_start_creates_the_admin_and_signs_in(qtbot, executor: DbExecutor) -> None:
    dialog = FirstAdminDialog(executor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.text() == "admin"
    type_text(qtbot, dialog.password, "secret-1")
    type_text(qtbot, dialog.again, "secret-2")
    _ok(dialog)
    assert "不一样" in dialog.error.text()
    dialog.again.clear()
    type_text(qtbot, dialog.again, "secret-1")
    _ok(dialog)
    qtbot.waitUntil(lambda: dialog.result() == FirstAdminDialog.DialogCode.Accepted)
    assert current_actor().user == "admin" and current_actor().has("admin")
    assert [u.name for u in users.list_users()] == ["admin"]


def test_sign_in_remembers_the_last_user_and_counts_wrong_passwords(
    qtbot, executor: DbExecutor
) -> None:
    users.add_user("admin", "admin-pass", ["admin"])
    with_clerk = users.sign_in("admin", "admin-pass")
    set_actor(with_clerk)
    users.add_user("lihua", "clerk-pass", ["clerk"])
    set_actor(Actor())

    dialog = SignInDialog(executor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.text() == ""
    type_text(qtbot, dialog.name, "lihua")
    type_text(qtbot, dialog.password, "nope")
    _ok(dialog)
    qtbot.waitUntil(lambda: "还可再试 4 次" in dialog.error.text())
    assert dialog.password.text() == "" and current_actor().user == ""
    type_text(qtbot, dialog.password, "clerk-pass")
    _ok(dialog)
    qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted)
    assert current_actor().user == "lihua" and current_actor().roles == frozenset({"clerk"})

    again = SignInDialog(executor)  # the next start on this computer
    qtbot.addWidget(again)
    again.show()
    assert again.name.text() == "lihua"
    assert again.password.hasFocus() or not again.isActiveWindow()


def test_demo_creates_the_accounts_the_readme_names(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "adsdesk", "demo", "--no-gui", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    from adsdesk.demo import DEMO_ACCOUNTS
    from adsdesk.store.database import close_db, init_db

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    init_db(db)
    try:
        for name, password, roles, _full in DEMO_ACCOUNTS:
            assert f"`{name}` / `{password}`" in readme
            assert users.sign_in(name, password).roles == frozenset(roles)
    finally:
        close_db()


def test_switch_user_signs_another_clerk_in_on_this_desk(qtbot, demo_desk) -> None:
    window = demo_desk
    users.add_user("admin", "admin-pass", ["admin"])
    set_actor(users.sign_in("admin", "admin-pass"))
    users.add_user("lihua", "clerk-pass", ["clerk"])
    window.show_actor()
    assert window.who.text().startswith("admin")
    window.act_switch_user.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(SignInDialog)))
    dialog = next(d for d in window.findChildren(SignInDialog) if d.isVisible())
    dialog.name.clear()
    type_text(qtbot, dialog.name, "lihua")
    type_text(qtbot, dialog.password, "clerk-pass")
    _ok(dialog)
    qtbot.waitUntil(lambda: window.who.text().startswith("lihua"))
    assert current_actor().user == "lihua" and "受理员" in window.who.text()
