"""``adsdesk bench`` names the machine it ran on, with a fixed piece of work timed."""

from __future__ import annotations

import json
import os

import pytest

from adsdesk.bench.machine import machine_facts
from adsdesk.cli import main

pytestmark = pytest.mark.sqlite_only


def test_the_figures_come_with_the_machine_they_were_measured_on(capsys) -> None:
    code = main(["bench", "--only", "price"])
    out, err = capsys.readouterr()
    assert code == 0, err
    figures = json.loads(out)
    assert figures["price"]["chars"] == 300
    machine = figures["machine"]
    assert machine["cpus"] == os.cpu_count()
    assert machine["cpu_model"]
    for work in ("python_ms", "sqlite_ms"):
        assert 0 < machine[work]["best"] <= machine[work]["median"] < 60_000
    if os.path.exists("/proc/stat"):  # Linux says how much of the CPU others took meanwhile
        assert 0 <= machine["stolen_pct"] <= 100
    else:
        assert machine["stolen_pct"] is None


def test_the_reference_work_is_the_same_work_every_time() -> None:
    from adsdesk.bench import machine

    assert machine._python_work() == machine._python_work() > 0
    assert machine._sqlite_work() == machine._sqlite_work() > 0
    from adsdesk.bench.machine import cpu_snapshot, stolen_pct

    before = cpu_snapshot()
    memory = machine_facts()["memory_gb"]
    assert memory is None or memory > 0  # (None where the system does not say: Windows)
    stolen = stolen_pct(before)  # the reference work above kept the CPU busy
    assert stolen is None if before is None else 0 <= stolen <= 100
