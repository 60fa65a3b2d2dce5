"""Checks a clerk can trust: licence numbers are not phones, odd phones are caught, rules bite."""

from __future__ import annotations

import pytest

from adsdesk.domain.checks import check_text
from adsdesk.domain.phone_find import find_phones


@pytest.mark.parametrize(
    "text",
    [
        "医疗广告审查证明：(晋)医广【2023】第01-30-10号",
        "(晋)医广【2023】第 0352-539312 号",
        "晋医广【2023】第 0114 0210 13号",
        "国食健广审(视)第 1393521 6688 号",  # grouped like a mobile
        "药品广告审查批准文号：晋药广审（文）第2023040123号",
        "医疗器械广告审查批准文号：晋械广审(文)第230401-01234号",
        "食品经营许可证：JY 1140 2020 1234 56",
        "统一社会信用代码：9114 0200 3954 1234 5X",
        "国械注准20153141234",
        "第13935216688号",
    ],
)
def test_approval_and_licence_numbers_are_not_phones(text: str) -> None:
    assert find_phones(text, "0352") == []


def test_the_phone_after_an_approval_number_is_still_found() -> None:
    found = find_phones("晋医广【2023】第01-30-10号 电话 0352-5393120", "0352")
    assert [(m.text, m.check.valid) for m in found] == [("0352-5393120", True)]


@pytest.mark.parametrize(
    ("text", "number", "printed"),
    [
        ("热线 4 0 0 8 - 3 9 1 - 2 3 4", "4 0 0 8 - 3 9 1 - 2 3 4", "4008391234"),
        ("加我 1 3 9 3 5 2 1 6 6 8 8 有惊喜", "1 3 9 3 5 2 1 6 6 8 8", "13935216688"),
    ],
)
def test_numbers_written_digit_by_digit_are_found_for_review(
    text: str, number: str, printed: str
) -> None:
    result = check_text(text, "家居服务", "0352")
    assert [m.text for m in result.phones] == [number]
    assert result.phones[0].check.display.replace("-", "") == printed
    spaced = [f for f in result.findings if f.rule == "phone.spaced"]
    assert len(spaced) == 1 and spaced[0].level == "warn" and "逐位" in spaced[0].message


def test_digits_spaced_in_a_measure_are_not_a_phone() -> None:
    assert find_phones("面积 1 2 0 平米，2 0 2 3 年", "0352") == []


@pytest.mark.parametrize("text", ["电话 +86 139352", "+86 0352 539", "联系 +86 1393"])
def test_plus_86_with_an_incomplete_number_is_an_invalid_phone(text: str) -> None:
    result = check_text(text, None, "0352")
    assert len(result.phones) == 1 and not result.phones[0].check.valid
    assert result.phones[0].text.startswith("+86")
    assert [f.rule for f in result.findings] == ["phone.invalid"]


def test_eight_digits_in_a_seven_digit_city_is_explained() -> None:
    (m,) = find_phones("电话 53931201", "0352")
    assert not m.check.valid
    assert "8位的是外地号码" in m.check.reason and "区号" in m.check.reason


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("招聘保洁 限35岁以下 身高160以上", ["限35岁以下", "身高160以上"]),
        ("诚聘司机，年龄18-45岁，身高1.7米以上", ["年龄18-45岁", "身高1.7米以上"]),
        ("男女不限，年龄18-50", ["年龄18-50"]),
        ("急聘店员 45岁以下", ["45岁以下"]),
    ],
)
def test_recruitment_age_and_height_limits_warn(text: str, terms: list[str]) -> None:
    found = [f for f in check_text(text, "招聘", "0352").findings]
    assert [(f.rule, f.level, f.term) for f in found] == [
        ("recruit.age_height", "warn", t) for t in terms
    ]


@pytest.mark.parametrize("text", ["诚聘，年满18周岁", "18岁以上均可", "工作满5年以上"])
def test_the_legal_working_age_is_no_limit(text: str) -> None:
    assert check_text(text, "招聘", "0352").findings == []


@pytest.mark.parametrize(("text", "term"), [("升值潜力大", "升值"), ("投资回报高", "投资回报")])
def test_promised_appreciation_blocks(text: str, term: str) -> None:
    result = check_text(text, "房屋出售", "0352")
    (f,) = result.findings
    assert (f.rule, f.level, f.term) == ("housing.appreciation", "block", term)
    assert result.blocked and "第二十六条" in f.message
