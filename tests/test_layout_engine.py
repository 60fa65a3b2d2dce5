"""The column layout: grouping, no splits, no overlaps, balance, left-over ads, pins and moves."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from adsdesk.domain.phone_check import check_phone
from adsdesk.domain.phone_find import find_phones
from adsdesk.issue import (
    load_choices,
    load_column_settings,
    load_issue,
    move_ad,
    save_column_settings,
)
from adsdesk.layout.engine import lay_out
from adsdesk.layout.geometry import ColumnSettings, mm_to_pt
from adsdesk.layout.result import Layout
from adsdesk.store import layout_prefs
from adsdesk.store.ads import AdDraft, PhoneEntry, save_ad
from adsdesk.store.database import close_db, init_db
from adsdesk.store.settings import ensure_default_categories, list_categories, set_categories

DAY = dt.date(2023, 2, 24)
SAMPLE_ORDER = [1, 6, 9, 11, 12, 13, 4, 2, 5, 7, 3, 8, 10]  # category order, then booking


@pytest.fixture(autouse=True)
def _fonts(qapp) -> None:
    """The engine measures with the shipped fonts through Qt."""


def book(title: str, body: str, category: str = "家居服务", day: dt.date = DAY) -> int:
    phones = [check_phone(m.text, "0352") for m in find_phones(body, "0352")]
    return save_ad(
        AdDraft(
            category=category,
            title=title,
            body=body,
            phones=[PhoneEntry(c.e164, c.display) for c in phones if c.e164],
            dates=[day],
        )
    )


def layout_of(day: dt.date = DAY, **changes: object) -> Layout:
    issue = load_issue(day)
    if changes:
        issue = replace(issue, settings=replace(issue.settings, **changes))
    return lay_out(issue)


def assert_sound(layout: Layout) -> None:
    """Every ad inside one column, every line inside its ad, nothing overlapping."""
    s = layout.settings
    top, capacity = s.column_top_pt(), s.column_height_pt()
    boxes = [p.box for p in layout.placed] + [h.box for h in layout.headings]
    if layout.masthead is not None:
        boxes.append(layout.masthead)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.intersects(b), (a, b)
    for p in layout.placed:
        column = layout.column_boxes[p.column]
        assert p.box.x == pytest.approx(column.x) and p.box.w == pytest.approx(column.w)
        assert p.box.y >= top - 1e-6 and p.box.bottom <= top + capacity + 1e-6
        for line in p.lines:
            assert p.box.y <= line.top and line.top + line.height <= p.box.bottom + 1e-6
            assert p.box.x < line.xs[0] and line.xs[-1] < p.box.right


def test_sample_column_fits_the_default_block_grouped_by_category(demo_db: Path) -> None:
    layout = layout_of()
    assert layout.placed_ids() == SAMPLE_ORDER
    assert layout.left_over == ()
    assert [c.index for c in layout.columns] == [0, 1, 2, 3, 4]
    assert all(c.used > 0 for c in layout.columns)
    categories = list_categories()
    headings = [h.text for h in layout.headings]
    assert headings == sorted(headings, key=categories.index)
    assert headings[:2] == ["公告", "房屋出售"] and headings[-1] == "酒类"
    assert_sound(layout)


def test_reading_order_runs_down_each_column_then_across(demo_db: Path) -> None:
    layout = layout_of()
    keys = [(p.column, p.box.y) for p in layout.placed]
    assert keys == sorted(keys)
    for ad in layout.placed:  # each ad under the heading of its category
        above = [h for h in layout.headings if h.column == ad.column and h.box.y < ad.box.y]
        if above:
            assert max(above, key=lambda h: h.box.y).text == ad.category


def test_no_ad_is_split_across_columns_and_nothing_overlaps(desk_db: Path) -> None:
    from adsdesk.bench.layout import BENCH_DATE, fill_bench_issue

    fill_bench_issue(80)
    for columns, height in ((5, 110), (4, 200), (6, 90), (3, 300)):
        layout = layout_of(BENCH_DATE, columns=columns, height_mm=height)
        assert layout.placed and layout.left_over  # a full block with some left over
        assert_sound(layout)
        ids = layout.placed_ids() + [x.ad_id for x in layout.left_over]
        assert sorted(ids) == sorted(a.id for a in load_issue(BENCH_DATE).ads)


def test_columns_are_balanced_when_everything_fits(desk_db: Path) -> None:
    from adsdesk.bench.layout import BENCH_DATE, fill_bench_issue

    fill_bench_issue(26)
    layout = layout_of(BENCH_DATE, height_mm=400)
    assert layout.left_over == ()
    used = [c.used for c in layout.columns]
    biggest_step = max(p.box.h for p in layout.placed) + mm_to_pt(
        layout.settings.heading_height_mm + 2 * layout.settings.ad_gap_mm
    )
    assert min(used) > 0  # every column carries ads, not just the first ones
    assert max(used) - min(used) <= biggest_step
    assert max(used) <= sum(used) / len(used) + biggest_step
    # filled top to bottom without balancing, two or three columns would hold everything
    assert max(used) < 0.6 * layout.settings.column_height_pt()


def test_left_over_ads_are_named_with_the_space_they_need(demo_db: Path) -> None:
    layout = layout_of(height_mm=60)
    assert layout.left_over, "a 60 mm block cannot hold the sample column"
    assert_sound(layout)
    placed, left = layout.placed_ids(), [x.ad_id for x in layout.left_over]
    assert sorted(placed + left) == sorted(SAMPLE_ORDER)  # none is lost
    assert placed == [i for i in SAMPLE_ORDER if i in placed]  # both keep reading order
    assert left == [i for i in SAMPLE_ORDER if i in left]
    assert left[-1] == SAMPLE_ORDER[-1]  # the last ads in reading order are the ones that wait
    for x in layout.left_over:
        assert 10 < x.needed_mm < 60 and x.reason
    assert layout.fill > 0.6
    summary = layout.summary()
    assert summary["left_over"] == left and summary["placed"] == placed


def test_an_ad_taller_than_a_column_is_left_over_and_the_rest_still_placed(desk_db: Path) -> None:
    ensure_default_categories()
    small = book("纱窗", "厂家直供 联系电话:18911267373")
    long = book("长文", "本店经营各类家居用品，价格实惠，质量可靠。" * 40 + "电话:13903528495")
    after = book("开锁", "公安备案，上门服务。电话:13935216623")
    layout = layout_of(height_mm=80)
    assert [x.ad_id for x in layout.left_over] == [long]
    assert "一栏" in layout.left_over[0].reason
    assert set(layout.placed_ids()) == {small, after}


def test_a_pinned_ad_goes_to_the_top_and_stays_pinned(demo_db: str) -> None:
    layout_prefs.set_pinned(DAY, 10, True)  # the liquor ad, last in category order
    layout = layout_of()
    first = layout.placed[0]
    assert first.ad_id == 10 and first.pinned and first.column == 0
    assert first.box.y == pytest.approx(layout.settings.column_top_pt())
    close_db()
    init_db(demo_db)
    assert layout_of().placed_ids()[0] == 10
    assert layout_of(DAY + dt.timedelta(days=1)).placed == ()  # other issues untouched
    layout_prefs.set_pinned(DAY, 10, False)
    assert layout_of().placed_ids() == SAMPLE_ORDER


def test_move_up_and_down_inside_a_category_is_remembered(demo_db: str) -> None:
    housing = [6, 9, 11, 12, 13]  # 房屋出售 in booking order
    assert move_ad(DAY, 12, -1)
    assert move_ad(DAY, 12, -1)
    assert not move_ad(DAY, 6, -10)  # nothing above the first
    close_db()
    init_db(demo_db)
    order = [i for i in layout_of().placed_ids() if i in housing]
    assert order == [6, 12, 9, 11, 13]
    assert move_ad(DAY, 6, 1)
    assert [i for i in layout_of().placed_ids() if i in housing] == [12, 6, 9, 11, 13]
    layout_prefs.clear_choices(DAY)
    assert layout_of().placed_ids() == SAMPLE_ORDER


def test_an_ad_moved_to_another_column_stays_there(demo_db: str) -> None:
    layout_prefs.set_column(DAY, 1, 4)  # the paper's own notice, to the last column
    close_db()
    init_db(demo_db)
    layout = layout_of()
    moved = layout.find(1)
    assert moved is not None and moved.column == 4 and moved.forced_column
    assert_sound(layout)
    assert sorted(layout.placed_ids()) == sorted(SAMPLE_ORDER)
    # it keeps its category heading in its new column
    above = [h for h in layout.headings if h.column == 4 and h.box.y < moved.box.y]
    assert max(above, key=lambda h: h.box.y).text == "公告"
    layout_prefs.set_column(DAY, 1, None)
    assert layout_of().find(1).column == 0


def test_category_order_comes_from_the_desk_settings(demo_db: Path) -> None:
    set_categories(list(reversed(list_categories())))
    headings = [h.text for h in layout_of().headings]
    assert headings[0] == "酒类" and headings[-1] == "公告"


def test_headings_can_be_switched_off(demo_db: Path) -> None:
    with_headings = layout_of()
    without = layout_of(headings=False)
    assert without.headings == () and without.placed_ids() == SAMPLE_ORDER
    assert sum(c.used for c in without.columns) < sum(c.used for c in with_headings.columns)


def test_smaller_type_takes_less_room(demo_db: Path) -> None:
    small = layout_of(body_size_pt=7.5, body_leading_pt=9.5)
    assert small.fill < layout_of().fill
    assert all(line.size == 7.5 for p in small.placed for line in p.lines if line.role == "body")


def test_column_settings_are_stored_as_json_and_damage_falls_back(desk_db: Path) -> None:
    assert load_column_settings() == ColumnSettings()
    changed = replace(ColumnSettings(), columns=4, height_mm=150, hotlines=("5105678",))
    assert save_column_settings(changed) == changed
    assert layout_prefs.load_column_settings()["columns"] == 4
    layout_prefs.save_column_settings({"columns": 40, "width_mm": "wide"})
    assert load_column_settings() == ColumnSettings()  # impossible values: the defaults
    layout_prefs.save_column_settings({"columns": 6})
    assert load_column_settings().columns == 6


def test_settings_explain_what_is_wrong() -> None:
    assert ColumnSettings().problems() == []
    narrow = replace(ColumnSettings(), columns=12)
    assert "栏太窄" in narrow.problems()[0]
    squashed = replace(ColumnSettings(), body_leading_pt=8)
    assert "行距" in squashed.problems()[0]
    defaults = ColumnSettings()
    assert int(defaults.text_width_pt / defaults.body_size_pt) == 13  # 13 characters a line


def test_an_old_database_gains_the_layout_table_on_opening(desk_file: Path, db_path: Path) -> None:
    import sqlite3

    close_db()
    con = sqlite3.connect(db_path)
    con.execute("DROP TABLE layout_choice")
    con.execute("UPDATE meta_info SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    init_db(db_path)
    ensure_default_categories()
    ad = book("纱窗", "电话:18911267373")
    layout_prefs.set_pinned(DAY, ad, True)
    assert load_choices(DAY)[ad].pinned
    assert list(db_path.parent.glob("desk.sqlite3.v1-*.bak"))
