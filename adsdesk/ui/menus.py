"""The main window's menu bar (文件 编辑 广告 版面 工具 帮助): every action, shortcut shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

if TYPE_CHECKING:
    from adsdesk.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("menus", text)


def _shortcut(action: QAction, keys: str) -> None:
    action.setShortcut(QKeySequence(keys))


def build_menus(window: MainWindow) -> dict[str, QMenu]:
    """Fill the window's menu bar; returns the menus by title (tests and help read them)."""
    view = window.layout_view
    window.act_quit = QAction(_tr("退出"), window)
    window.act_quit.setObjectName("actQuit")
    _shortcut(window.act_quit, "Ctrl+Q")  # QKeySequence.Quit is empty on Windows
    window.act_quit.triggered.connect(window.close)
    window.act_show_list = QAction(_tr("广告列表"), window)
    _shortcut(window.act_show_list, "Ctrl+1")
    window.act_show_list.triggered.connect(lambda: window.tabs.setCurrentWidget(window.list_pane))
    window.act_show_layout = QAction(_tr("版面"), window)
    _shortcut(window.act_show_layout, "Ctrl+2")
    window.act_show_layout.triggered.connect(lambda: window.tabs.setCurrentWidget(view))
    window.act_show_verify = QAction(_tr("核对付印稿"), window)
    _shortcut(window.act_show_verify, "Ctrl+3")
    window.act_show_verify.triggered.connect(
        lambda: window.tabs.setCurrentWidget(window.verify_view)
    )
    window.act_renewals = QAction(_tr("续订提醒（即将到期）…"), window)
    window.act_renewals.setObjectName("actRenewals")
    window.act_renewals.triggered.connect(window.open_renewals)
    window.act_audit = QAction(_tr("操作记录…"), window)
    window.act_audit.setObjectName("actAudit")
    window.act_audit.triggered.connect(window.open_audit)
    window.act_keys = QAction(_tr("快捷键一览"), window)
    _shortcut(window.act_keys, "F1")
    window.act_keys.triggered.connect(lambda: show_shortcuts(window))
    window.act_about = QAction(_tr("关于受理台"), window)
    window.act_about.triggered.connect(lambda: show_about(window))
    _shortcut(window.act_import, "Ctrl+I")
    _shortcut(window.act_export, "Ctrl+Shift+E")
    _shortcut(view.act_print, "Ctrl+P")
    _shortcut(view.act_preview, "Ctrl+Shift+P")
    _shortcut(view.act_pdf, "Ctrl+E")
    _shortcut(view.act_refresh, "F5")

    plan: list[tuple[str, list[QAction | QMenu | None]]] = [
        (
            _tr("文件(&F)"),
            [
                window.act_import,
                window.act_export,
                None,
                view.act_print,
                view.act_preview,
                view.act_pdf,
                view.act_png,
                None,
                window.act_quit,
            ],
        ),
        (
            _tr("编辑(&E)"),
            [
                window.act_cancel,
                None,
                window.act_paste,
                None,
                window.act_search,
                window.act_find,
            ],
        ),
        (
            _tr("广告(&A)"),
            [window.act_new, window.act_save, window.act_repeat, None, window.act_delete],
        ),
        (
            _tr("版面(&L)"),
            [
                window.act_show_list,
                window.act_show_layout,
                window.act_show_verify,
                None,
                view.act_refresh,
                view.act_settings,
                None,
                view.act_edit,
                view.act_pin,
                view.act_up,
                view.act_down,
                view.column_menu,
                view.act_proof,
                view.act_reset,
            ],
        ),
        (_tr("工具(&T)"), [window.act_renewals, window.act_audit, None, window.act_settings]),
        (_tr("帮助(&H)"), [window.act_keys, window.act_about]),
    ]
    menus: dict[str, QMenu] = {}
    bar = window.menuBar()
    for title, entries in plan:
        menu = bar.addMenu(title)
        menu.setObjectName("menu" + title.split("(")[0])
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, QMenu):
                menu.addMenu(entry)
            else:
                menu.addAction(entry)
                window.addAction(entry)  # the shortcut works whichever tab is on show
        menus[title.split("(")[0]] = menu
    for action in window.findChildren(QAction) + view.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and keys not in action.toolTip():
            action.setToolTip(f"{action.toolTip()}（{keys}）")
    return menus


def shortcut_lines(window: MainWindow) -> list[str]:
    """Every menu action with its shortcut, menu by menu, as the help lists them."""
    lines: list[str] = []
    for menu in window.menuBar().findChildren(QMenu):
        if menu.parent() is not window.menuBar():
            continue
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            name = action.text().replace("&", "")
            lines.append(f"{menu.title().split('(')[0]} › {name}" + (f"\t{keys}" if keys else ""))
    return lines


def show_shortcuts(window: MainWindow) -> None:
    box = QMessageBox(window)
    box.setObjectName("shortcutsHelp")
    box.setWindowTitle(_tr("快捷键一览"))
    box.setText("\n".join(shortcut_lines(window)))
    box.open()


def show_about(window: MainWindow) -> None:
    from adsdesk import __version__

    QMessageBox.about(
        window,
        _tr("关于受理台"),
        _tr("便民信息广告受理台 adsdesk {0}\n报社分类广告的录入、检查、排版与打印。").format(
            __version__
        ),
    )
