"""The pipelined import (rows checked in worker processes while the good ones are saved) leaves
exactly what checking everything first and then saving leaves: same rows refused for the same
reasons, same ids, advertisers, phones, dates, search results and audit."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_io_tables import write_csv

from adsdesk.bench.importer import write_csv as write_bench_csv
from adsdesk.io.import_tables import (
    TableImport,
    already_booked,
    check_table,
    import_rows,
    import_table,
)
from adsdesk.io.tables import read_table
from adsdesk.store.database import close_db, init_db

HEADER = ["标题", "正文", "电话", "分类", "客户", "刊登日期", "特批理由"]


def _special_rows() -> list[list[str]]:
    """Rows a real file has: refused ones, warnings, overrides, the sample column booked again."""
    return [
        HEADER,
        ["出售", "电话 1390352849", "", "房屋出售", "鑫源7", "2023-02-24"],  # a digit short
        ["养老", "全市最佳养老院 13903528495", "", "养老服务", "", "2023-02-25"],  # blocked
        ["养老", "全市最佳养老院 13903528495", "", "养老服务", "", "2023-02-25", "主管批准"],
        ["和平医院", "体检 0352-5393120", "", "医疗体检", "和平医院", "2023-02-24"],  # warns
        ["招聘", "招聘司机 15835201234", "158352", "招聘", "", "2023-13-01"],  # two problems
        ["纱窗", "厂家直供，电话１８９１１２６７３７３", "", "", "宏达纱窗", "2023-03-01"],
        ["", "", "", "", "", ""],  # an empty row: skipped
        ["遗失声明", "张三遗失身份证，声明作废。", "", "遗失声明", "", ""],  # no dates
    ]


def _file(tmp_path: Path) -> Path:
    """A realistic CSV (the benchmark's, several pieces long) with the special rows and the
    sample column's ads in the middle: some booked again on their day (repeats), some on a
    new day (their advertisers found by name). Call with the database bound."""
    from adsdesk.store.exchange import export_ads

    bench = tmp_path / "bench.csv"
    write_bench_csv(bench, 2_300, seed=7)
    body = [[*cells, ""] for _n, cells in read_table(bench).rows]
    sample = export_ads()
    assert len(sample) >= 12
    again = [
        [
            ad.title,
            ad.body,
            ",".join(ad.phones),
            ad.category,
            ad.advertiser,
            ",".join(d.isoformat() for d in ad.dates) if i < 6 else "2023-03-10",
            ad.override_reason,
        ]
        for i, ad in enumerate(sample[:12])
    ]
    special = _special_rows()
    rows = special[:1] + body[:1_200] + special[1:] + again + body[1_200:]
    return write_csv(tmp_path / "ads.csv", rows, "utf-8")


@pytest.fixture
def twin_dbs(db_target: Path | str, tmp_path: Path) -> Iterator[tuple[Path | str, Path | str]]:
    """Two databases on the test's backend, both holding the sample column."""
    from adsdesk.demo import fill_demo
    from adsdesk.store.settings import ensure_default_categories

    if isinstance(db_target, Path):
        targets: list[Path | str] = [db_target, tmp_path / "twin.sqlite3"]
        made: list[str] = []
    else:
        import psycopg2

        server = os.environ["ADSDESK_TEST_PG"]
        made = [f"adsdesk_test_{uuid.uuid4().hex[:16]}"]
        con = psycopg2.connect(server)
        con.autocommit = True
        con.cursor().execute(f'CREATE DATABASE "{made[0]}"')
        con.close()
        targets = [db_target, db_target.rsplit("/", 1)[0] + "/" + made[0]]
    try:
        for target in targets:
            init_db(target)
            ensure_default_categories()
            fill_demo()
            close_db()
        yield targets[0], targets[1]
    finally:
        close_db()
        for name in made:
            import psycopg2

            con = psycopg2.connect(os.environ["ADSDESK_TEST_PG"])
            con.autocommit = True
            con.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.close()


def _contents() -> dict[str, Any]:
    """Everything an import writes, as plain rows (audit without its time and hashes)."""
    from adsdesk.store.audit import AuditRecord, verify_chain
    from adsdesk.store.models import (
        Ad,
        AdPhone,
        Advertiser,
        AdvertiserPhone,
        Category,
        Insertion,
    )
    from adsdesk.store.rows import tuples
    from adsdesk.store.search import search_ad_ids, search_advertisers
    from adsdesk.store.search_plan import Filters
    from adsdesk.store.search_text import pinyin_forms

    assert verify_chain().ok
    out: dict[str, Any] = {
        "ads": list(
            tuples(
                Ad.select(
                    Ad.id, Ad.category, Ad.advertiser, Ad.title, Ad.body, Ad.override_reason
                ).order_by(Ad.id)
            )
        ),
        "advertisers": list(
            tuples(Advertiser.select(Advertiser.id, Advertiser.name).order_by(Advertiser.id))
        ),
        "categories": list(tuples(Category.select().order_by(Category.id))),
        "ad_phones": list(tuples(AdPhone.select().order_by(AdPhone.id))),
        "advertiser_phones": list(tuples(AdvertiserPhone.select().order_by(AdvertiserPhone.id))),
        "insertions": list(
            tuples(
                Insertion.select(Insertion.id, Insertion.ad, Insertion.date).order_by(Insertion.id)
            )
        ),
        "audit": list(
            tuples(
                AuditRecord.select(
                    AuditRecord.seq,
                    AuditRecord.action,
                    AuditRecord.entity,
                    AuditRecord.entity_id,
                    AuditRecord.ad_id,
                    AuditRecord.changes,
                ).order_by(AuditRecord.seq)
            )
        ),
    }
    queries = ["出售", "驫", "养老", "纱窗", "7373", "8495", "电话", "和平医院", "声明作废", "k"]
    out["search"] = {q: sorted(search_ad_ids(q)) for q in queries}
    out["by_date"] = sorted(search_ad_ids("", Filters(on_date=dt.date(2023, 2, 24))))
    out["by_category"] = sorted(search_ad_ids("", Filters(category="房屋出售")))
    out["advertiser_search"] = {
        q: sorted(a.id for a in search_advertisers(q)) for q in ["鑫源", "xy", "宏达纱窗", "和平"]
    }
    # Each new advertiser found by its own name and by its full pinyin: their documents, built
    # by the saving process or (with two check workers or more) by the checks, are the same.
    out["each_advertiser"] = {
        name: [sorted(a.id for a in search_advertisers(q)) for q in (name, pinyin_forms(name)[1])]
        for _id, name in out["advertisers"][:200]
    }
    return out


def _serial(path: Path, skip_bad: bool) -> TableImport:
    """What the import did before it was pipelined: check all, look for repeats, then save."""
    plan = check_table(read_table(path), area_code="0352", workers=1)
    repeats = already_booked(plan.rows)
    refused_all = bool(plan.rejected) and not skip_bad
    good = [r for r in plan.good if r.row not in repeats]
    ids = import_rows(good) if good and not refused_all else []
    return TableImport(plan, ids, repeats, refused_all)


@pytest.mark.parametrize("skip_bad", [True, False])
def test_the_pipelined_import_saves_what_the_serial_one_saves(
    twin_dbs: tuple[Path | str, Path | str], tmp_path: Path, skip_bad: bool
) -> None:
    serial_db, piped_db = twin_dbs
    init_db(serial_db)
    path = _file(tmp_path)
    serial = _serial(path, skip_bad)
    serial_contents = _contents()
    close_db()

    init_db(piped_db)
    seen: list[tuple[int, int]] = []
    piped = import_table(
        read_table(path),
        area_code="0352",
        skip_bad=skip_bad,
        workers=2,  # real worker processes, although the file is short
        progress=lambda done, total: seen.append((done, total)) is None,
    )
    piped_contents = _contents()

    assert piped.plan.rows == serial.plan.rows
    assert piped.repeats == serial.repeats
    assert piped.ids == serial.ids
    assert piped.refused_all == serial.refused_all == (not skip_bad)
    assert piped_contents == serial_contents
    assert seen[0] == (0, len(piped.plan.rows)) and seen[-1] == (len(piped.plan.rows),) * 2

    # the file really has what the comparison is about
    assert len(piped.plan.rows) > 2_300
    assert len(piped.plan.rejected) == 3 and len(piped.repeats) == 6
    if skip_bad:
        assert len(piped.ids) == len(piped.plan.good) - len(piped.repeats)
    else:
        assert piped.ids == [] and piped_contents["ads"] == serial_contents["ads"]


def test_a_refused_row_gets_its_sentence(desk_db: Path | str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", _special_rows(), "utf-8")
    done = import_table(read_table(path), area_code="0352", workers=2)
    reasons = {r.row: r.reason for r in done.plan.rejected}
    assert sorted(reasons) == [2, 3, 6]
    assert "1390352849" in reasons[2] and "少了1位" in reasons[2]
    assert "最佳" in reasons[3]
    assert "158352" in reasons[6] and "2023-13-01" in reasons[6]
    for reason in reasons.values():
        assert reason.endswith("。") and "\n" not in reason
    assert done.refused_all and done.ids == []  # nothing saved while a row is refused

    done = import_table(read_table(path), area_code="0352", skip_bad=True, workers=2)
    assert {r.row: r.reason for r in done.plan.rejected} == reasons
    assert len(done.ids) == 4  # the override, the hospital, the full-width phone, the notice
