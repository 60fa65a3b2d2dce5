"""A desk that cannot open a window says why in one Chinese sentence, not Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adsdesk.ui.platform_check import debian_package, missing_sentence, platform_problem, xcb_plugin

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")


def _run_desk(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "adsdesk", "--db", str(tmp_path / "d.sqlite3")],
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libEGL.so.1", "libegl1"),
    ],
)
def test_missing_library_named_with_the_package_to_install(soname: str, package: str) -> None:
    assert debian_package(soname) == package
    sentence = missing_sentence([soname], f"{soname}: cannot open shared object file")
    assert f"sudo apt install {package}" in sentence
    assert soname in sentence and sentence.count("。") == 1


@linux_only
def test_no_display_is_one_chinese_sentence_not_a_qt_abort(tmp_path: Path) -> None:
    result = _run_desk(tmp_path, QT_QPA_PLATFORM="xcb")
    assert result.returncode == 2
    assert "没有可用的图形显示" in result.stderr
    assert "qt.qpa" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d.sqlite3").exists()


@linux_only
def test_plugin_whose_libraries_cannot_load_is_reported_in_chinese(tmp_path: Path) -> None:
    """A copy of the xcb plugin away from Qt's libraries cannot load, as on a bare desktop."""
    real = xcb_plugin({})
    assert real is not None
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    shutil.copy(real, platforms / "libqxcb.so")
    env = {
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": ":987",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms),
    }
    assert "libQt6XcbQpa.so.6" in (platform_problem(env) or "")
    result = _run_desk(tmp_path, **env)
    assert result.returncode == 2
    assert "无法打开受理台窗口" in result.stderr and "libQt6XcbQpa.so.6" in result.stderr
    assert "qt.qpa" not in result.stderr and "Aborted" not in result.stderr


def test_offscreen_and_wayland_are_not_second_guessed() -> None:
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert platform_problem({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) is None


def test_qt_dialogs_speak_chinese(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from adsdesk.ui.app import application

    application()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x")
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    assert texts == {"是(&Y)", "否(&N)", "取消"}
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    assert {b.text() for b in buttons.buttons()} == {"确定", "取消"}


def test_qt_file_dialog_and_print_preview_speak_chinese(qtbot) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QFileDialog, QLabel

    from adsdesk.ui.app import application

    application()
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert "文件名称(&N)：" in labels
    preview = QPrintPreviewDialog()
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "打印预览"
