"""Before Qt opens a window on Linux: are the system libraries its xcb plugin needs there?

Qt ends a failed start in its own English message and an abort ("xcb-cursor0 or
libxcb-cursor0 is needed … no Qt platform plugin could be initialized"). The desk loads the
plugin itself first; if the dynamic loader refuses, the clerk is told in one Chinese sentence
which system packages to install, and Qt is never asked.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# What the README tells a Debian/Ubuntu desktop to install (Qt 6.5+ xcb plugin).
LINUX_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libfontconfig1 "
    "libdbus-1-3"
)

_MISSING = re.compile(r"(\S+\.so(?:\.\d+)*): cannot open shared object file")


def debian_package(soname: str) -> str:
    """Debian's package name for a shared library: libxcb-icccm.so.4 → libxcb-icccm4."""
    match = re.fullmatch(r"(.+?)\.so(?:\.(\d+))?(?:\.\d+)*", soname)
    if not match:
        return soname
    name, major = match.group(1).lower(), match.group(2) or ""
    if major and name[-1].isdigit():
        return f"{name}-{major}"
    return f"{name}{major}"


def _wants_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt would try the xcb plugin first (and so needs it to load)."""
    requested = [p.split(":")[0] for p in env.get("QT_QPA_PLATFORM", "").split(";") if p]
    if requested:
        return requested[0] == "xcb"
    # Unset: Qt 6 tries Wayland first in a Wayland session, xcb otherwise.
    return not (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))


def xcb_plugin(env: Mapping[str, str]) -> Path | None:
    """The libqxcb.so Qt would load, searched where Qt searches."""
    folders = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        folders.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    for entry in env.get("QT_PLUGIN_PATH", "").split(os.pathsep):
        if entry:
            folders.append(Path(entry) / "platforms")
    from PySide6.QtCore import QLibraryInfo

    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    for folder in folders:
        if (folder / "libqxcb.so").is_file():
            return folder / "libqxcb.so"
    return None


def _missing_libraries(plugin: Path, first_error: str) -> list[str]:
    """Every library the loader cannot find for ``plugin`` (ldd lists all; dlopen only one)."""
    found = _MISSING.findall(first_error)
    ldd = shutil.which("ldd")
    if ldd:
        try:
            out = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            if "=> not found" in line:
                found.append(line.split("=>")[0].strip())
    return list(dict.fromkeys(found))


def platform_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One Chinese sentence saying why no window can open here, or None when it can."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux") or not _wants_xcb(env):
        return None
    if not env.get("DISPLAY"):
        return (
            "无法打开受理台窗口：没有可用的图形显示（未设置 DISPLAY），"
            "请在桌面环境里启动，或使用 adsdesk 的命令行子命令。"
        )
    plugin = xcb_plugin(env)
    if plugin is None:
        return (
            "无法打开受理台窗口：找不到 Qt 的 xcb 图形插件，请重新安装 adsdesk（pip install .）。"
        )
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return missing_sentence(_missing_libraries(plugin, str(exc)), str(exc))
    return None


def missing_sentence(missing: list[str], error: str) -> str:
    """The sentence for libraries the xcb plugin cannot load."""
    if not missing:
        return (
            f"无法打开受理台窗口：Qt 的 xcb 图形插件加载失败（{error}），"
            f"请安装系统软件包：sudo apt install {LINUX_PACKAGES}。"
        )
    if any(name.startswith("libQt6") for name in missing):
        return (
            f"无法打开受理台窗口：Qt 自带的库 {'、'.join(missing)} 找不到，"
            "请重新安装 adsdesk（pip install .）。"
        )
    packages = " ".join(debian_package(name) for name in missing)
    return (
        f"无法打开受理台窗口：本机缺少图形界面需要的系统库 {'、'.join(missing)}，"
        f"请先安装（Debian/Ubuntu）：sudo apt install {packages}。"
    )
