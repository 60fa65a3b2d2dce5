"""Ads being typed, kept on this computer within moments of each keystroke, offered after a crash.

One draft per clerk and database: a small JSON file in the user data folder, written to a
temporary name, flushed to disk and renamed over the last one, so a kill or a power cut
leaves either the previous draft or the new one — never half of one. No Qt, no database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from adsdesk import paths
from adsdesk.io.atomic import write_bytes_atomic


def drafts_folder(db_target: str) -> Path:
    """The folder of one database's drafts (the target's hash keeps databases apart)."""
    key = hashlib.sha256(os.path.abspath(db_target).encode("utf-8")).hexdigest()[:16]
    if "://" in db_target:
        key = hashlib.sha256(db_target.encode("utf-8")).hexdigest()[:16]
    return paths.data_dir() / "drafts" / key


def _file(folder: Path, owner: str) -> Path:
    safe = hashlib.sha256(owner.encode("utf-8")).hexdigest()[:16]
    return folder / f"draft-{safe}.json"


def keep_draft(folder: Path, owner: str, state: dict[str, Any]) -> None:
    """Write the draft (atomically, fsynced) for ``owner`` — the clerk, or the computer."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "owner": owner,
        "kept_at": dt.datetime.now().isoformat(timespec="seconds"),
        "state": state,
    }
    data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    write_bytes_atomic(_file(folder, owner), data)


def kept_draft(folder: Path, owner: str) -> dict[str, Any] | None:
    """The draft kept for ``owner`` ({"owner","kept_at","state"}), or None."""
    path = _file(folder, owner)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable: the atomic write makes this a foreign file; ignore it
    if not isinstance(payload, dict) or not isinstance(payload.get("state"), dict):
        return None
    return payload


def forget_draft(folder: Path, owner: str) -> None:
    """The ad was saved or discarded: its draft goes."""
    try:
        _file(folder, owner).unlink()
    except FileNotFoundError:
        pass
