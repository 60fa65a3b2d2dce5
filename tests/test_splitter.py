"""Pasted text splits into the ads a clerk would cut it into: the sample column and unseen ones."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from adsdesk.assets import resource_path
from adsdesk.domain.phone_find import find_phones
from adsdesk.domain.splitter import (
    guess_category,
    merge_drafts,
    repeated_drafts,
    split_draft,
    split_text,
)
from adsdesk.store.settings import DEFAULT_PROFILE as PROFILE

CATEGORIES = [
    "公告", "房屋出售", "房屋出租", "招聘", "养老服务", "医疗体检", "教育培训", "家居服务",
    "食品", "酒类", "遗失声明", "其他",
]  # fmt: skip


def _sample() -> tuple[str, dict]:
    text = resource_path("samples", "bianmin-2023-02-24.md").read_text(encoding="utf-8")
    data = json.loads(
        resource_path("samples", "bianmin-2023-02-24.json").read_text(encoding="utf-8")
    )
    return text, data


def test_sample_column_splits_into_the_sample_ads() -> None:
    text, data = _sample()
    result = split_text(text, PROFILE, CATEGORIES)
    expected = data["ads"]
    assert len(result.drafts) == len(expected) == 13
    for got, want in zip(result.drafts, expected, strict=True):
        assert got.printed_phones() == want["phones"], want["title"]
        assert got.category == want["category"], want["title"]
    titles = [d.title for d in result.drafts]
    want_titles = [a["title"] for a in expected]
    # 敬告 may head the paper's notice (as in the .json) or the untitled ad after it
    moved = ["", "敬告", *want_titles[2:]]
    assert titles in (want_titles, moved)
    if titles == want_titles:
        assert [d.body for d in result.drafts] == [a["body"] for a in expected]
    # every phone of the column is in exactly one ad, the masthead's hotlines in none
    assert result.masthead is not None
    assert result.masthead.title == "便民信息"
    assert list(result.masthead.hotlines) == data["masthead"]["hotlines"]
    for d in result.drafts:
        assert "5105678" not in d.printed_phones()
        assert "**" not in d.title + d.body


def test_sample_drafts_carry_their_check_findings() -> None:
    text, _ = _sample()
    drafts = split_text(text, PROFILE, CATEGORIES).drafts
    hospital = drafts[4]
    assert hospital.title == "大同和平医院"
    assert [f.rule for f in hospital.findings] == ["medical.approval_missing"]
    liquor = next(d for d in drafts if d.category == "酒类")
    assert any(f.term == "干杯" for f in liquor.findings)
    # the same hospital ad twice in one column is pointed out
    repeats = repeated_drafts(drafts)
    assert repeats[1] == ["与第 5 则内容相同，可能重复"]
    assert repeats[4] == ["与第 2 则内容相同，可能重复"]


UNSEEN = """**分类广告** 热线：６６２１２３４
**出租**
城区二室一厅出租，６０平米，月租１２００元。联系电话：１３９０３５２８４９５
**开锁换锁**
公安备案，二十四小时上门服务。
电话：0352-5021234 138-3521-8888
**诚聘**
某物流公司招聘司机两名，有C照，待遇面议。
联系人：王经理 15835201234
**遗失声明**
大同市平城区某某餐馆遗失营业执照副本，统一社会信用代码92140200MA0K123456，声明作废。
**老李家常菜**
总店 5123456
新建南路分店 5234567
御河东分店 18603521234
"""


def test_unseen_column_without_blank_lines_and_full_width_digits() -> None:
    result = split_text(UNSEEN, PROFILE, CATEGORIES)
    assert result.masthead is not None
    assert (result.masthead.title, result.masthead.hotlines) == ("分类广告", ("6621234",))
    got = [(d.title, d.category, d.printed_phones()) for d in result.drafts]
    assert got == [
        ("出租", "房屋出租", ["13903528495"]),
        ("开锁换锁", "家居服务", ["0352-5021234", "13835218888"]),
        ("诚聘", "招聘", ["15835201234"]),
        ("遗失声明", "遗失声明", []),
        ("老李家常菜", "", ["5123456", "5234567", "18603521234"]),  # branches stay one ad
    ]
    # full-width digits print half-width; Chinese punctuation stays
    assert result.drafts[0].body == "城区二室一厅出租，60平米，月租1200元。联系电话：13903528495"
    assert result.drafts[3].body.endswith("声明作废。")


def test_plain_titles_blank_lines_and_an_untitled_notice() -> None:
    text = (
        "便民信息  广告热线 5105678\n\n出售\n\n"
        "御东新区二手房一套，三室两厅，120平米，价格面议。电话 13903528495\n\n"
        "家政服务\n\n专业保洁、擦玻璃、油烟机清洗。\n电话：15034211234\n\n"
        "张三遗失身份证，号码140202199001011234，声明作废。\n\n"
        "出租\n\n门面房一间，位于魏都大道，面积40平米。\n联系电话：18635201234（微信同号）\n"
    )
    drafts = split_text(text, PROFILE, CATEGORIES).drafts
    assert [(d.title, d.category, d.printed_phones()) for d in drafts] == [
        ("出售", "房屋出售", ["13903528495"]),
        ("家政服务", "家居服务", ["15034211234"]),
        ("", "遗失声明", []),
        ("出租", "房屋出租", ["18635201234"]),
    ]
    assert drafts[1].body == "专业保洁、擦玻璃、油烟机清洗。\n电话：15034211234"


def test_one_line_ads_a_slogan_and_a_late_notice_heading() -> None:
    text = (
        "出售旧家具，沙发茶几餐桌，价格面议。电话13903528495\n"
        "出租车库一个，南关附近，月租300元。电话15034211234\n"
        "纱窗安装\n厂家直供，上门安装。\n终身维护\n电话15135222972\n欢迎惠顾\n"
        "敬告\n本报从未委托任何个人收取广告费。\n"
    )
    drafts = split_text(text, PROFILE, CATEGORIES).drafts
    assert [(d.title, d.printed_phones()) for d in drafts] == [
        ("", ["13903528495"]),
        ("", ["15034211234"]),
        ("纱窗安装", ["15135222972"]),
        ("敬告", []),
    ]
    assert drafts[2].body == "厂家直供，上门安装。\n终身维护\n电话15135222972\n欢迎惠顾"
    assert drafts[3].category == "公告"


def test_category_headings_over_ads_set_their_category() -> None:
    text = (
        "# 便民信息\n\n房屋出售\n\n**特价售房**\n本人有楼房一套，80平米。电话13903528495\n"
        "**急转**\n平房一处，带院。电话15034211234\n\n招聘\n\n"
        "**诚聘**\n招聘厨师一名。联系电话：18635201234\n"
    )
    result = split_text(text, PROFILE, CATEGORIES)
    assert result.section_headings == ["房屋出售", "招聘"]
    assert [(d.title, d.category) for d in result.drafts] == [
        ("特价售房", "房屋出售"),
        ("急转", "房屋出售"),
        ("诚聘", "招聘"),
    ]


def test_a_customer_message_is_one_draft_with_a_spaced_full_width_number() -> None:
    text = (
        "你好，帮我登一下：出售九成新冰箱一台，价格面议，联系电话１３９ ０３５２ ８４９５，张先生"
    )
    (draft,) = split_text(text, PROFILE).drafts
    assert draft.printed_phones() == ["13903528495"]
    assert draft.category == ""  # a fridge is not a flat


def test_invalid_phones_and_blocked_wording_are_findings_of_the_draft() -> None:
    (draft,) = split_text("**诚聘**\n国家级酒店招聘服务员，限女性。电话1390352849", PROFILE).drafts
    rules = {f.rule for f in draft.findings}
    assert {"phone.invalid", "adlaw.superlative.banned", "recruit.discrimination"} <= rules
    assert draft.blocked
    assert draft.as_dict()["phones"] == ["1390352849"]


def test_guess_category_from_the_desks_vocabulary() -> None:
    assert guess_category("出售", "本人有复地紫城多层楼房一套") == "房屋出售"
    assert guess_category("", "出租车司机，日结") == ""
    assert guess_category("古井贡酒", "订酒热线") == "酒类"
    assert guess_category("开锁", "二十四小时") == "家居服务"
    assert guess_category("古井贡酒", "", ["房屋出售"]) == ""  # only the desk's categories


def test_merge_and_split_drafts() -> None:
    text, _ = _sample()
    drafts = split_text(text, PROFILE, CATEGORIES).drafts
    merged = merge_drafts(drafts[2], drafts[3], area_code="0352")
    assert merged.title == "纱窗加工安装"
    assert "大同馨万家养老中心" in merged.body  # the second title is kept as text
    assert len(merged.printed_phones()) == 6
    cut = merged.body.index("大同馨万家养老中心")
    first, second = split_draft(merged, cut, categories=CATEGORIES, area_code="0352")
    assert (first.title, first.printed_phones()) == ("纱窗加工安装", ["18911267373"])
    assert second.title == "大同馨万家养老中心"
    assert second.category == "养老服务"
    assert len(second.printed_phones()) == 5


_PIECES = st.sampled_from(
    [
        "",
        "**出售**",
        "出售",
        "敬告",
        "【招聘】",
        "本人有楼房一套，80平米，价格面议。",
        "电话：13903528495",
        "联系电话:0352-5393120",
        "总店 5123456",
        "分店 １５０３４２１１２３４",
        "地址：平城区永和路7号",
        "欢迎惠顾",
        "便民信息 5105678",
        "许可证: SXZF 1251402130017(p)",
        "———",
        "遗失营业执照副本，声明作废。",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_any_text_splits_without_losing_a_phone(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = split_text(text, PROFILE)
    in_drafts = sum(len(d.phones) for d in result.drafts)
    in_masthead = len(result.masthead.hotlines) if result.masthead else 0
    masthead_lines = sum(1 for line in lines if line == "便民信息 5105678")
    # only the first masthead counts as the masthead; others are dropped as repeats
    found = sum(len(find_phones(line, "0352")) for line in lines)
    assert in_drafts + in_masthead + 1 * max(masthead_lines - 1, 0) == found
    for d in result.drafts:
        assert d.title or d.body


def test_a_local_number_at_a_line_end_stays_a_phone_whatever_the_next_line_starts_with() -> None:
    (draft,) = split_text("**老李家常菜**\n总店 5123456\n人民路分店 5234567", PROFILE).drafts
    assert draft.printed_phones() == ["5123456", "5234567"]
