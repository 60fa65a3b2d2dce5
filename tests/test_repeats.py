"""Repeat bookings: weekday patterns (每周二、四), runs until cancelled (长期), runs ending soon."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from adsdesk.cli import main
from adsdesk.domain.repeats import PatternError, RunPattern, parse_weekdays
from adsdesk.store.ads import AdDraft, PhoneEntry, load_ad, save_ad
from adsdesk.store.bookings import issue_bookings
from adsdesk.store.database import close_db, init_db
from adsdesk.store.runs import extend_open_runs, runs_ending

MON = dt.date(2024, 3, 4)  # a Monday


@pytest.mark.parametrize(
    "text, days",
    [
        ("每周二、四", (1, 3)),
        ("周二 周四", (1, 3)),
        ("星期六、日", (5, 6)),
        ("每周一至五", (0, 1, 2, 3, 4)),
        ("每天", (0, 1, 2, 3, 4, 5, 6)),
        ("周末", (5, 6)),
    ],
)
def test_weekday_patterns_as_clerks_write_them(text: str, days: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == days


def test_unreadable_pattern_says_how_to_write_it() -> None:
    with pytest.raises(PatternError, match="每周二、四"):
        parse_weekdays("每周2")
    with pytest.raises(PatternError, match="截止日期早于起始日期"):
        RunPattern((1,), MON, MON - dt.timedelta(days=1))


def test_pattern_dates_and_description() -> None:
    p = RunPattern((3, 1), MON, dt.date(2024, 3, 14))
    assert p.dates() == [
        dt.date(2024, 3, 5),
        dt.date(2024, 3, 7),
        dt.date(2024, 3, 12),
        dt.date(2024, 3, 14),
    ]
    assert p.describe() == "每周二、四，2024-03-04 起，至 2024-03-14"
    assert RunPattern((1, 3), MON).describe().endswith("长期（至撤销）")


def _ad(title: str, phone: str = "13912345678") -> AdDraft:
    return AdDraft(
        category="家居服务",
        title=title,
        body=f"{title}，电话:{phone}",
        phones=[PhoneEntry("+86" + phone, phone)],
        advertiser_name=title + "店",
    )


def test_open_ended_run_is_booked_ahead_and_topped_up(desk_db: Path) -> None:
    from adsdesk.store.settings import ensure_default_categories

    ensure_default_categories()
    draft = _ad("疏通下水道")
    draft.repeat = RunPattern((1, 3), MON)
    draft.dates = draft.repeat.dates(dt.date(2024, 3, 10))  # the editor shows the first days
    ad_id = save_ad(draft)
    assert load_ad(ad_id).repeat == RunPattern((1, 3), MON)
    added = extend_open_runs(dt.date(2024, 3, 31))
    dates = load_ad(ad_id).dates
    assert added == 6 and dates[-1] == dt.date(2024, 3, 28)
    assert all(d.weekday() in (1, 3) for d in dates) and len(dates) == 8
    assert extend_open_runs(dt.date(2024, 3, 31)) == 0  # already booked that far
    # an issue beyond the horizon still finds the run when it is checked or laid out
    assert ad_id in [b.id for b in issue_bookings(dt.date(2027, 3, 2))]


def test_runs_ending_lists_who_to_call_with_their_phone(desk_db: Path) -> None:
    from adsdesk.store.settings import ensure_default_categories

    ensure_default_categories()
    short = _ad("搬家", "13700001111")
    short.dates = [MON, MON + dt.timedelta(days=3)]
    short_id = save_ad(short)
    later = _ad("开锁", "13800002222")
    later.dates = [MON + dt.timedelta(days=30)]
    save_ad(later)
    forever = _ad("家政", "13600003333")
    forever.repeat = RunPattern((0,), MON)
    forever.dates = [MON]
    save_ad(forever)
    rows = runs_ending(MON, 7)
    assert [(r.ad_id, r.phones, r.last_date, r.runs_left) for r in rows] == [
        (short_id, ("13700001111",), MON + dt.timedelta(days=3), 2)
    ]
    assert rows[0].advertiser == "搬家店" and rows[0].days_left == 3


def test_runs_command_sets_stops_and_lists(capsys, demo_db: Path) -> None:
    close_db()
    db = str(demo_db)
    assert (
        main(
            [
                "runs",
                "set",
                "6",
                "--weekdays",
                "每周二、四",
                "--from",
                "2024-03-04",
                "--until",
                "2024-03-14",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert (
        main(["runs", "ending", "--today", "2024-03-08", "--within", "7", "--json", "--db", db])
        == 0
    )
    out = capsys.readouterr().out
    payload = json.loads(out[out.index("{") :])
    assert [r["ad"] for r in payload["runs"]] == [6]
    assert payload["runs"][0]["phones"] == ["18803521868"]
    assert payload["runs"][0]["pattern"] == "每周二、四，2024-03-04 起，至 2024-03-14"
    assert main(["runs", "stop", "6", "--from", "2024-03-12", "--db", db]) == 0
    close_db()
    init_db(demo_db)
    assert [d.isoformat() for d in load_ad(6).dates] == ["2023-02-24", "2024-03-05", "2024-03-07"]
    assert main(["runs", "set", "6", "--weekdays", "每周2", "--db", db]) == 2
    assert "看不懂" in capsys.readouterr().err
