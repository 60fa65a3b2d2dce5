"""Bugs go to a rotating log file in the user data folder; the clerk gets a short sentence."""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

from adsdesk import paths

_LOGGER = "adsdesk"
_lock = threading.Lock()


def log_path() -> Path:
    """The desk's log file: ``logs/adsdesk.log`` in the user data folder."""
    return paths.data_dir() / "logs" / "adsdesk.log"


def logger() -> logging.Logger:
    """The desk's logger, writing to :func:`log_path` (set up on first use, not at import)."""
    log = logging.getLogger(_LOGGER)
    target = str(log_path())
    with _lock:
        current = [h for h in log.handlers if getattr(h, "adsdesk_log", False)]
        if current and getattr(current[0], "baseFilename", None) == target:
            return log
        for h in current:  # the data folder moved (tests, --data-dir): follow it
            log.removeHandler(h)
            h.close()
        try:
            log_path().parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                target, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
            )
        except OSError:  # no writable data folder: the traceback still reaches stderr
            handler = logging.StreamHandler()
        handler.adsdesk_log = True  # type: ignore[attr-defined]
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
        )
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


def bug_sentence() -> str:
    """What the clerk is told about a bug: short, and where the details are."""
    return f"程序出错了（不是您的操作问题），详情已记入日志文件 {log_path()}，请把它交给维护人员。"


def report_bug(exc: BaseException, doing: str) -> str:
    """Log ``exc`` with its traceback (``doing`` says what the desk was doing); returns the
    sentence to show the clerk."""
    logger().error("bug while %s", doing, exc_info=(type(exc), exc, exc.__traceback__))
    return bug_sentence()
