"""Helper processes die with the desk: a killed desk or import leaves no workers running.

Pass :func:`die_with_parent` as the ``initializer`` (with ``initargs=(os.getpid(),)``) of every
process pool. On Linux the kernel kills the helper the moment its parent dies
(``PR_SET_PDEATHSIG``); everywhere a small watcher thread notices the parent is gone within a
fraction of a second and ends the helper.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

POLL_SECONDS = 0.25


def die_with_parent(parent_pid: int) -> None:
    """Run in the helper process: end it as soon as ``parent_pid`` is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before we got here
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="lifeline").start()


def _watch(parent_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(POLL_SECONDS):
        if os.getppid() != parent_pid:
            os._exit(1)


def pool_args() -> dict[str, Any]:
    """Keyword arguments for ``multiprocessing.Pool`` / ``ProcessPoolExecutor``."""
    return {"initializer": die_with_parent, "initargs": (os.getpid(),)}
