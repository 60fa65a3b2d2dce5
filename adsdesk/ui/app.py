"""Start the desk: Qt application, shipped fonts, database, main window."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QStyleOptionHeader,
)

from adsdesk.assets import resource_path
from adsdesk.errors import DeskError
from adsdesk.store.actor import Actor, set_actor
from adsdesk.store.database import init_db, needs_migration

if TYPE_CHECKING:
    from adsdesk.ui.dbexec import DbExecutor


def application() -> QApplication:
    """The one QApplication, created on first use with the desk's fonts and style."""
    app = QApplication.instance()
    if app is None:
        from adsdesk.ui.platform_check import platform_problem

        problem = platform_problem()
        if problem:  # say it in Chinese instead of Qt's English message and abort
            raise DeskError(problem)
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if not app.property("adsdesk_ready"):
        from adsdesk.layout.fonts import register_fonts, ui_font

        app.setApplicationName("adsdesk")
        app.setApplicationDisplayName(app.translate("app", "便民信息广告受理台"))
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        install_qt_translations(app)
        app.setStyle(SortArrowStyle(app.style().name()))
        register_fonts()
        app.setFont(ui_font(10))
        style = resource_path("style.qss")
        if style.exists():
            app.setStyleSheet(style.read_text(encoding="utf-8"))
        app.setProperty("adsdesk_ready", True)
    return app


class SortArrowStyle(QProxyStyle):
    """Sort arrows as clerks read them (Excel, Explorer): ▲ ascending, ▼ descending.

    Qt draws an ascending column with a down arrow, so "newest first" showed ▲.
    """

    def drawPrimitive(self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            flipped = QStyleOptionHeader(option)
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            flipped.sortIndicator = down if option.sortIndicator == up else up
            super().drawPrimitive(element, flipped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own dialogs (file dialogs, OK/Cancel, Yes/No, print preview) in Chinese.

    The desk's own strings are written in Chinese; Qt's come from the qtbase_zh_CN.qm that
    PySide6 ships in its translations folder.
    """
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_zh_CN", folder):
        return False
    app.installTranslator(translator)
    return True


def sign_in_at_start(executor: DbExecutor) -> bool:
    """Who works at this desk: the first admin on a new desk, else a sign-in; with sign-in
    turned off in settings, the computer. False when the clerk closes the dialog."""
    from adsdesk.store.settings import load_settings
    from adsdesk.store.users import has_users
    from adsdesk.ui.signin_dialog import FirstAdminDialog, SignInDialog

    # Read before any window exists; the dialogs then work through the database thread.
    if not load_settings().sign_in:
        set_actor(Actor())
        return True
    dialog = FirstAdminDialog(executor) if not has_users() else SignInDialog(executor)
    return dialog.exec() == FirstAdminDialog.DialogCode.Accepted


def run_gui(target: str, issue: dt.date | None = None, actor: Actor | None = None) -> int:
    """Open the desk on the database at ``target`` (on ``issue``'s column if given), signed in
    as ``actor`` when given (the demo), else after the sign-in (or as the computer)."""
    app = application()
    notice = None
    if needs_migration(target):
        notice = QLabel(
            app.translate("app", "正在升级数据库并建立搜索索引（原文件已另存备份），请稍候…")
        )
        notice.setWindowTitle(app.translate("app", "便民信息广告受理台"))
        notice.setMargin(24)
        notice.show()
        app.processEvents()
    try:
        init_db(target)
    except DeskError as exc:
        QMessageBox.critical(None, app.translate("app", "无法打开数据库"), str(exc))
        return 2
    finally:
        if notice is not None:
            notice.close()
    from adsdesk.ui.dbexec import DbExecutor
    from adsdesk.ui.main_window import MainWindow

    executor = DbExecutor()
    if actor is not None:
        set_actor(actor)
    elif not sign_in_at_start(executor):
        executor.shutdown()
        return 0
    from adsdesk.ui import slot_errors

    restore_hooks = slot_errors.install()  # a bug in a slot: logged, a sentence, work kept
    window = MainWindow(executor, target)
    if issue is not None:
        window.show_issue(issue)
    window.show()
    window.start_upkeep()
    try:
        code = app.exec()
    finally:
        restore_hooks()
        executor.shutdown()
    return int(code)
