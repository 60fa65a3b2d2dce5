"""``adsdesk bench --clerks``: clerks in separate processes lose no update (counts, not speed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_two_clerks_for_two_seconds_lose_nothing(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "adsdesk", "bench", "--clerks", "2", "--seconds", "2", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
        timeout=240,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) >= {
        "clerks",
        "seconds",
        "saves",
        "conflicts",
        "lost_updates",
        "errors",
        "save_ms",
        "search_ms",
    }
    assert result["clerks"] == 2 and result["saves"] > 0
    assert result["lost_updates"] == 0 and result["errors"] == 0, result
    assert set(result["save_ms"]) >= {"p50", "p95"} and set(result["search_ms"]) >= {"p50", "p95"}
