"""The import benchmark's floor: the recorded statements are the whole import, replayed alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from adsdesk.bench.import_floor import bench_import_floor, record_import, replay
from adsdesk.bench.importer import write_csv
from adsdesk.store.search_text import gram_token


def _contents(path: Path) -> dict[str, object]:
    con = sqlite3.connect(path)
    try:
        return {
            "ads": con.execute(
                "SELECT id, title, body, advertiser_id FROM ad ORDER BY id"
            ).fetchall(),
            "bookings": con.execute("SELECT ad_id, date FROM insertion ORDER BY id").fetchall(),
            "phones": con.execute("SELECT ad_id, e164 FROM ad_phone ORDER BY id").fetchall(),
            "audit": con.execute(
                "SELECT action, entity_id, changes, hash FROM audit_record ORDER BY seq"
            ).fetchall(),
            # The text index answers a one-character query the same way.
            "found": con.execute(
                "SELECT rowid FROM search_ad_gram WHERE search_ad_gram MATCH ? ORDER BY rowid",
                (f'"{gram_token("窗")}"',),
            ).fetchall(),
        }
    finally:
        con.close()


def test_the_replayed_statements_make_the_same_desk_as_the_import(tmp_path: Path) -> None:
    csv_path = tmp_path / "ads.csv"
    write_csv(csv_path, 1_500)
    statements = record_import(csv_path, tmp_path / "recorded.sqlite3", "0352")
    assert any(many for many, _sql, _rows in statements)  # the bulk inserts, as one each
    cpu, wall = replay(statements, tmp_path / "replayed.sqlite3")
    assert cpu > 0 and wall > 0
    recorded = _contents(tmp_path / "recorded.sqlite3")
    replayed = _contents(tmp_path / "replayed.sqlite3")
    assert len(recorded["ads"]) == 1_500 and recorded["found"]
    assert len(recorded["audit"]) >= 1_500  # one record per ad, chained
    assert replayed == recorded


def test_the_floor_names_the_best_rate_the_writes_and_checks_leave(tmp_path: Path) -> None:
    csv_path = tmp_path / "ads.csv"
    write_csv(csv_path, 1_000)
    floor = bench_import_floor(csv_path, 1_000, "0352", cores=2)
    assert floor["cores"] == 2
    assert 0 < floor["checks_cpu_s"] < floor["checks_with_documents_cpu_s"]
    best_s = max(
        floor["sql_replay_s"],
        (floor["sql_replay_cpu_s"] + floor["checks_with_documents_cpu_s"]) / 2,
    )
    assert abs(floor["best_rows_per_s"] - 1_000 / best_s) <= 0.02 * 1_000 / best_s
