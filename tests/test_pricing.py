"""Prices worked by hand for each way papers charge (RULES.md "Prices"), and the card format."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from adsdesk.assets import resource_path
from adsdesk.domain.money import capitals, format_fen, parse_yuan, round_half_up
from adsdesk.domain.pricing import count_chars, count_lines, find_items, quote
from adsdesk.domain.ratecard import (
    Counting,
    RateCardError,
    card_to_toml,
    parse_card,
)

ISSUE_CARD = """
name = "便民信息 2024"
effective = 2024-01-01

[counting]
chars_per_line = 13
digits_per_char = 2
lower_per_char = 2
upper_per_char = 1
punct_per_char = 1
count_spaces = false
title = "own_lines"

[[rates]]
category = "遗失声明"
unit = "item"
minimum = 1
items = { "营业执照" = "300", "公章" = "300", "身份证" = "150" }
default_item = "300"

[[rates]]
category = "公告"
unit = "char"
base_chars = 100
base_price = "380"
price = "2.50"

[[rates]]
category = "招聘"
unit = "flat"
price = "120"

[[rates]]
category = "*"
unit = "line"
price = "50.00"
minimum = 2

[[surcharges]]
name = "加急"
percent = 30
[[surcharges]]
name = "套红"
percent = 20
[[surcharges]]
name = "指定位置"
percent = 15

[[discounts]]
min_runs = 10
percent = 5
[[discounts]]
min_runs = 20
percent = 12.5
[[discounts]]
free_every = 2
free = 1
"""


@pytest.fixture
def card():
    return parse_card(ISSUE_CARD)


def test_counting_rules_by_hand():
    c = Counting()
    # 出售 2 + 89 (2 digits → 1) + 平米 2 + ， 1 + 电话 2 + 13912345678 (11 digits → 6) = 14
    assert count_chars("出售89平米，电话13912345678", c) == 14
    # "abc" → ceil(3/2) = 2; "WiFi": W 1, "i" 1, F 1, "i" 1 = 4; spaces free
    assert count_chars("abc WiFi", c) == 6
    # full-width digits count as digits: "１２３" → 2; line breaks never count
    assert count_chars("１２３\n\n", c) == 2
    assert count_chars("a b", Counting(count_spaces=True)) == 3


def test_per_line_with_minimum(card):
    # title "房屋出售" 4 chars → 1 line; body 20 Chinese chars + 11-digit phone (6) = 26 → 2 lines
    body = "东信广场两室一厅南北通透精装修拎包入住价格面议" + "13912345678"
    assert count_lines("房屋出售", body, card.counting) == (4 + 23 + 6, 1 + 3)
    q = quote(card, "房屋出售", "房屋出售", body)
    assert (q.unit, q.lines, q.units) == ("line", 4, 4)
    assert q.per_run_fen == 4 * 5000 and q.total_fen == 20000
    # one short line is still charged the minimum of 2 lines: 2 × 50.00
    short = quote(card, "家居服务", "", "修纱窗")
    assert (short.lines, short.per_run_fen, short.total_fen) == (1, 10000, 10000)


def test_part_line_is_a_whole_line(card):
    # 14 Chinese characters at 13 a line = 2 lines; 13 = 1 line (minimum 2 → both cost 100.00)
    assert quote(card, "其他", "", "一" * 13).lines == 1
    assert quote(card, "其他", "", "一" * 14).lines == 2
    assert quote(card, "其他", "", "一" * 27).total_fen == 3 * 5000


def test_per_character_beyond_a_base(card):
    # 公告: 380.00 for the first 100 characters, 2.50 each beyond: 130 chars → 380 + 30 × 2.50
    q = quote(card, "公告", "", "告" * 130)
    assert (q.unit, q.chars, q.per_run_fen, q.total_fen) == ("char", 130, 45500, 45500)
    assert quote(card, "公告", "", "告" * 40).total_fen == 38000


def test_per_item_lost_notices(card):
    text = "大同市某某商贸有限公司遗失营业执照正本、公章各一枚，法人张三身份证一张，声明作废。"
    assert find_items(text, ["营业执照", "公章", "身份证"]) == {
        "营业执照": 1,
        "公章": 1,
        "身份证": 1,
    }
    q = quote(card, "遗失声明", "遗失声明", text)
    # 300 + 300 + 150 (the ID card at half price) = 750.00
    assert [(n, c, p) for n, c, p in q.items] == [
        ("营业执照", 1, 30000),
        ("公章", 1, 30000),
        ("身份证", 1, 15000),
    ]
    assert (q.units, q.total_fen) == (3, 75000)
    # the clerk corrects the count: two ID cards; and a 开户许可证 the card does not list → 300
    fixed = quote(card, "遗失声明", "", text, items={"身份证": 2, "开户许可证": 1})
    assert fixed.total_fen == 30000 + 30000 + 2 * 15000 + 30000
    # nothing found: the minimum of one item at the default price
    assert quote(card, "遗失声明", "", "遗失一物，声明作废").total_fen == 30000


def test_flat_per_ad(card):
    q = quote(card, "招聘", "招聘", "招保洁员若干" * 10)
    assert (q.unit, q.units, q.per_run_fen, q.total_fen) == ("flat", 1, 12000, 12000)


def test_surcharges_add_up(card):
    # 2 lines × 50 = 100.00; 加急 30 % + 套红 20 % = +50 % → 150.00
    q = quote(card, "其他", "", "一" * 20, surcharges=["加急", "套红"])
    assert q.total_fen == 15000 and q.surcharge_fen == 5000
    # 指定位置 15 % on 455.00 (公告 130 chars): 455.00 + 68.25 = 523.25
    assert quote(card, "公告", "", "告" * 130, surcharges=["指定位置"]).total_fen == 52325
    with pytest.raises(RateCardError, match="没有加价项“彩色”"):
        quote(card, "其他", "", "一", surcharges=["彩色"])


def test_run_one_get_one_free_and_run_discounts(card):
    # 3 runs, of every 2 one is free → 2 paid runs × 100.00 = 200.00
    q = quote(card, "其他", "", "一" * 20, runs=3)
    assert (q.paid_runs, q.discount_percent, q.total_fen, q.free_fen) == (2, 0, 20000, 10000)
    # 10 runs: 5 free, 5 paid, and 5 % off for 10 runs → 5 × 100 × 0.95 = 475.00
    q = quote(card, "其他", "", "一" * 20, runs=10)
    assert (q.paid_runs, q.discount_percent, q.total_fen) == (5, 5, 47500)
    # 21 runs: 11 paid; the largest discount that applies is 12.5 %
    q = quote(card, "其他", "", "一" * 20, runs=21)
    assert (q.paid_runs, float(q.discount_percent), q.total_fen) == (11, 12.5, 96250)


def test_rounding_half_up_once_at_the_end():
    card = parse_card(
        'name = "r"\neffective = 2024-01-01\n[[rates]]\ncategory = "*"\nunit = "char"\n'
        'price = "0.15"\n[[surcharges]]\nname = "加急"\npercent = 30\n'
        "[[discounts]]\nmin_runs = 3\npercent = 5\n"
    )
    # 1 char × 0.15 = 15 fen × 1.3 = 19.5 fen → rounded once: 20 fen (not 19.5 → 19 + …)
    assert quote(card, "x", "", "一", surcharges=["加急"]).total_fen == 20
    # 15 fen × 1.3 × 3 runs × 0.95 = 55.575 fen → 56; per-step rounding would give 20×3×0.95=57
    q = quote(card, "x", "", "一", runs=3, surcharges=["加急"])
    assert q.total_fen == 56
    assert q.gross_fen + q.surcharge_fen - q.discount_fen == q.total_fen


def test_money_text_and_capitals():
    assert parse_yuan("1.80") == 180 and parse_yuan("300") == 30000 and parse_yuan("0.5") == 50
    assert format_fen(12345) == "123.45" and format_fen(5) == "0.05"
    with pytest.raises(ValueError):
        parse_yuan("1.805")
    from fractions import Fraction

    assert round_half_up(Fraction(5, 2)) == 3 and round_half_up(Fraction(-5, 2)) == -3
    assert capitals(12000) == "壹佰贰拾元整"
    assert capitals(1005) == "壹拾元零伍分"
    assert capitals(75000) == "柒佰伍拾元整"
    assert capitals(51750) == "伍佰壹拾柒元伍角整"
    assert capitals(5) == "伍分"
    assert capitals(100100_00) == "壹拾万零壹佰元整"
    assert capitals(1000005_00) == "壹佰万零伍元整"
    assert capitals(1010_00) == "壹仟零壹拾元整"
    assert capitals(0) == "零元整"
    assert capitals(2_0000_0000_00) == "贰亿元整"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            'name = "x"\neffective = 2024-01-01\n[[rates]]\ncategory = "*"\nunit = "page"\nprice = "1"',
            "rates 第 1 条的 unit",
        ),
        (
            'name = "x"\neffective = 2024-01-01\n[[rates]]\ncategory = "*"\nunit = "line"\nprice = "-5"',
            "rates 第 1 条的 price",
        ),
        (
            'name = "x"\neffective = 2024-01-01\n[[rates]]\ncategory = "*"\nunit = "line"\nprice = 1.5',
            "rates 第 1 条的 price",
        ),
        ('name = "x"\neffective = 2024-01-01\n[[rates]\n', "价目表第 3 行第 8 个字处写法不对"),
        (
            'name = "x"\neffective = "soon"\n[[rates]]\ncategory = "*"\nunit = "line"\nprice = "1"',
            "effective",
        ),
        (
            'name = "x"\neffective = 2024-01-01\n[counting]\nchars_per_line = 0\n[[rates]]\ncategory = "*"\nunit = "line"\nprice = "1"',
            "counting.chars_per_line",
        ),
        (
            'name = "x"\neffective = 2024-01-01\n[[rates]]\ncategory = "*"\nunit = "line"\nprice = "1"\n[[surcharges]]\nname = "加急"\npercent = -3',
            "surcharges 第 1 条的 percent",
        ),
    ],
)
def test_bad_cards_name_the_key(text, key):
    with pytest.raises(RateCardError) as err:
        parse_card(text)
    message = str(err.value)
    assert key in message and message.endswith("。") and "\n" not in message.strip()


def test_the_shipped_card_explains_itself_in_chinese():
    text = resource_path("ratecards", "default.toml").read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    assert len(comments) >= 10
    for comment in comments:  # a supervisor reads them in the rate card dialog
        assert re.search(r"[\u4e00-\u9fff]", comment), comment


def test_card_round_trips_through_toml(card):
    again = parse_card(card_to_toml(card))
    assert again == card
    shipped = parse_card(resource_path("ratecards", "default.toml").read_text(encoding="utf-8"))
    assert shipped.effective == dt.date(2020, 1, 1)
    assert parse_card(card_to_toml(shipped)) == shipped
