"""Phone checks and phone finding as the desk clerk sees them (domain.phone_check, domain.phone_find)."""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adsdesk.assets import resource_path
from adsdesk.domain.phone_check import PhoneCheck, check_phone
from adsdesk.domain.phone_find import _APPROVAL_BEFORE_RE as APPROVAL_BEFORE
from adsdesk.domain.phone_find import PhoneMatch, find_phones
from adsdesk.domain.textnorm import to_halfwidth, to_scan_form

CHECK_FIELDS = {
    "input",
    "valid",
    "incomplete",
    "reason",
    "e164",
    "display",
    "kind",
    "region",
    "carrier",
    "local",
    "note",
    "extension",
}


def _sample() -> dict[str, object]:
    with resource_path("samples", "bianmin-2023-02-24.json").open(encoding="utf-8") as fh:
        data: dict[str, object] = json.load(fh)
    return data


def _sample_ads() -> list[dict[str, object]]:
    ads = _sample()["ads"]
    assert isinstance(ads, list)
    return ads


def _texts(text: str) -> list[str]:
    return [m.text for m in find_phones(text, "0352")]


# --------------------------------------------------------------------------- textnorm


@pytest.mark.parametrize(
    ("raw", "half"),
    [
        ("１３９０３５２８４９５", "13903528495"),
        ("（０３５２）５３９３１２０", "(0352)5393120"),
        ("电话：１３９　０３５２", "电话:139 0352"),
        ("ＡＢＣ＋８６－～", "ABC+86-~"),
        ("已是半角 0352-5393120", "已是半角 0352-5393120"),
        ("", ""),
    ],
)
def test_to_halfwidth(raw: str, half: str) -> None:
    assert to_halfwidth(raw) == half
    assert len(to_halfwidth(raw)) == len(raw)


@given(st.text())
def test_normalisers_keep_length(text: str) -> None:
    assert len(to_halfwidth(text)) == len(text)
    assert len(to_scan_form(text)) == len(text)


def test_scan_form_folds_dashes_and_spaces() -> None:
    assert to_scan_form("0352—5393120") == "0352-5393120"
    assert to_scan_form("0352–539\u00a03120") == "0352-539 3120"


# --------------------------------------------------------------------------- check_phone: valid


@pytest.mark.parametrize(
    "typed",
    [
        "13903528495",
        "１３９０３５２８４９５",
        "+86 139 0352 8495",
        "+8613903528495",
        "0086 13903528495",
        "8613903528495",
        "139-0352-8495",
        "139 0352 8495",
        "139.0352.8495",
        " 13903528495 ",
        "电话：13903528495",
    ],
)
def test_same_mobile_however_typed(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid, c.reason
    assert c.input == typed
    assert c.reason == ""
    assert c.e164 == "+8613903528495"
    assert c.display == "13903528495"
    assert c.kind == "mobile"
    assert c.region == "山西省大同市"
    assert c.carrier == "中国移动"
    assert c.local is True
    assert not c.incomplete


@pytest.mark.parametrize(
    "typed",
    [
        "0352-5393120",
        "03525393120",
        "(0352)5393120",
        "（0352）5393120",
        "0352 539 3120",
        "0352—5393120",
        "０３５２－５３９３１２０",
        "+86 352 5393120",
        "+86-0352-5393120",
    ],
)
def test_datong_landline_with_area_code(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid, c.reason
    assert c.kind == "landline"
    assert c.display == "0352-5393120"
    assert c.e164 == "+863525393120"
    assert c.region == "山西省大同市"
    assert c.carrier == ""
    assert c.local is True
    assert c.note == ""


@pytest.mark.parametrize("number", ["5105678", "2023122", "5393120", "2299999"])
def test_local_number_without_area_code(number: str) -> None:
    c = check_phone(number, "0352")
    assert c.valid, c.reason
    assert c.kind == "landline"
    assert c.local is True
    assert c.display == number  # printed as typed, without 0352
    assert c.e164 == "+86352" + number
    assert c.region == "山西省大同市"


def test_local_number_uses_the_papers_area_code() -> None:
    taiyuan = check_phone("5105678", area_code="0351")
    assert taiyuan.valid
    assert taiyuan.e164 == "+863515105678"
    assert taiyuan.region == "山西省太原市"
    assert check_phone("5105678", area_code="351").e164 == "+863515105678"
    # Beijing numbers have 8 digits: a 7-digit local number is one short there.
    beijing = check_phone("5105678", area_code="010")
    assert not beijing.valid
    assert beijing.incomplete
    assert "8位" in beijing.reason


@pytest.mark.parametrize(
    ("number", "region", "carrier"),
    [
        ("18911267373", "北京市", "中国电信"),
        ("18635299628", "山西省晋中市", "中国联通"),
    ],
)
def test_out_of_town_mobile_is_valid_with_a_note(number: str, region: str, carrier: str) -> None:
    c = check_phone(number, "0352")
    assert c.valid
    assert c.kind == "mobile"
    assert c.region == region
    assert c.carrier == carrier
    assert c.local is False
    assert "外地" in c.note and region in c.note
    assert c.reason == ""


def test_mobile_local_depends_on_the_papers_area() -> None:
    assert check_phone("18911267373", area_code="010").local is True
    assert check_phone("18911267373", area_code="010").note == ""
    assert check_phone("13903528495", area_code="010").local is False


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("13903528495", "中国移动"),
        ("17635217373", "中国联通"),
        ("18903428827", "中国电信"),
        ("15135222972", "中国移动"),
    ],
)
def test_carrier_in_chinese(number: str, carrier: str) -> None:
    assert check_phone(number, "0352").carrier == carrier


def test_out_of_town_landline() -> None:
    c = check_phone("010-12345678", "0352")
    assert c.valid
    assert c.kind == "landline"
    assert c.display == "010-12345678"
    assert c.region == "北京市"
    assert c.local is False
    assert c.note == "外地号码：北京市"


@pytest.mark.parametrize(
    "typed", ["400-880-1234", "4008801234", "400 880 1234", "+86 400 880 1234"]
)
def test_400_number(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid
    assert c.kind == "shared_cost"
    assert c.display == "400-880-1234"
    assert c.region == "全国"
    assert c.e164 == "+864008801234"


def test_800_number_is_nationwide_other() -> None:
    c = check_phone("800-810-1234", "0352")
    assert c.valid
    assert c.kind == "other"
    assert c.region == "全国"
    assert c.display == "800-810-1234"


@pytest.mark.parametrize("typed", ["110", "12345", "95588", "10086"])
def test_service_short_numbers(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid
    assert c.kind == "other"
    assert c.display == typed


def test_foreign_number() -> None:
    c = check_phone("+1 202 555 0123", "0352")
    assert c.valid
    assert c.kind == "other"
    assert c.e164 == "+12025550123"
    assert c.local is False
    assert "境外" in c.note


# --------------------------------------------------------------------------- annotations


@pytest.mark.parametrize(
    ("typed", "note"),
    [
        ("15135222972 微信同号", "微信同号"),
        ("15135222972微信同号", "微信同号"),
        ("15135222972（同微信）", "微信同号"),
        ("15135222972 同微信", "微信同号"),
        ("15135222972(微信)", "微信"),
        ("15135222972 微信", "微信"),
    ],
)
def test_wechat_annotation_is_kept_as_note(typed: str, note: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid, c.reason
    assert c.display == "15135222972"
    assert c.e164 == "+8615135222972"
    assert c.note == note


@pytest.mark.parametrize(
    "typed",
    [
        "0352-5393120转8001",
        "0352-5393120 转 8001",
        "0352-5393120-转-8001",
        "0352-5393120 分机8001",
        "0352-5393120 分机 8001",
        "0352-5393120 ext. 8001",
    ],
)
def test_extension(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert c.valid, c.reason
    assert c.extension == "8001"
    assert c.e164 == "+863525393120"
    assert c.display == "0352-5393120转8001"
    assert "分机 8001" in c.note


def test_out_of_town_mobile_with_wechat_note_keeps_both() -> None:
    c = check_phone("18911267373 微信同号", "0352")
    assert c.valid
    assert "微信同号" in c.note and "外地号码：北京市" in c.note


# --------------------------------------------------------------------------- check_phone: invalid


def test_mobile_one_digit_short() -> None:
    c = check_phone("1390352849", "0352")
    assert not c.valid
    assert c.incomplete
    assert "手机号码应为11位，这里是10位" in c.reason
    assert c.kind == "mobile"
    assert c.e164 is None


@pytest.mark.parametrize(
    ("typed", "extra"),
    [("139035284951", "多了1位"), ("1390352849512", "多了2位")],
)
def test_mobile_too_long(typed: str, extra: str) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert not c.incomplete
    assert extra in c.reason
    assert "11位" in c.reason


@pytest.mark.parametrize(
    ("typed", "segment"),
    [("12345678901", "123"), ("11012345678", "110"), ("17412345678", "1741")],
)
def test_unknown_mobile_prefix(typed: str, segment: str) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert not c.incomplete
    assert "号段" in c.reason and segment in c.reason


@pytest.mark.parametrize("typed", ["0123-4567890", "0300-5393120", "026-12345678"])
def test_unknown_area_code(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert "区号" in c.reason and "不存在" in c.reason
    assert c.kind == "landline"


@pytest.mark.parametrize(
    ("typed", "incomplete", "words"),
    [
        ("0352-539312", True, ["7位", "6位", "少了1位"]),
        ("0352-53931201", False, ["7位", "8位", "多了1位"]),
        ("010-1234567", True, ["8位", "7位"]),
        ("51056789", False, ["7位", "8位", "多了1位"]),
        ("510567", True, ["7位", "6位"]),
    ],
)
def test_landline_length(typed: str, incomplete: bool, words: list[str]) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert c.incomplete is incomplete
    assert "固定电话号码应为" in c.reason and "不含区号" in c.reason
    for word in words:
        assert word in c.reason
    assert c.kind == "landline"


def test_missing_trunk_zero_is_explained() -> None:
    c = check_phone("3525393120", "0352")
    assert not c.valid
    assert "0352-5393120" in c.reason


@pytest.mark.parametrize("typed", ["", "   ", "电话：", "微信同号", "abc"])
def test_no_digits(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert c.reason == "没有数字"
    assert c.e164 is None


def test_letter_o_for_zero_is_pointed_out() -> None:
    c = check_phone("139O3528495", "0352")
    assert not c.valid
    assert "「O」" in c.reason


def test_two_numbers_in_one_field() -> None:
    c = check_phone("0352-2299999,18835255555", "0352")
    assert not c.valid
    assert "不止一个" in c.reason


@pytest.mark.parametrize(
    "typed", ["1", "13", "139", "1390352", "139035284", "0", "03", "035", "0352"]
)
def test_while_typing_prefixes_are_incomplete_not_wrong(typed: str) -> None:
    c = check_phone(typed, "0352")
    assert not c.valid
    assert c.incomplete, c.reason
    assert c.reason  # still says what is missing


def test_typing_a_mobile_keystroke_by_keystroke() -> None:
    number = "13903528495"
    for k in range(1, len(number)):
        c = check_phone(number[:k], "0352")
        assert not c.valid and c.incomplete
        assert f"这里是{k}位" in c.reason
    assert check_phone(number, "0352").valid


def test_typing_a_landline_keystroke_by_keystroke() -> None:
    number = "03525393120"
    for k in range(1, len(number)):
        c = check_phone(number[:k], "0352")
        assert not c.valid and c.incomplete, number[:k]
    assert check_phone(number, "0352").valid


def test_wrong_prefix_is_not_incomplete() -> None:
    assert check_phone("1234", "0352").incomplete is False


def test_reasons_are_chinese() -> None:
    for typed in ["1390352849", "139035284951", "12345678901", "0123-4567890", "", "51056789"]:
        reason = check_phone(typed, "0352").reason
        assert reason
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason


def test_as_dict_is_json_ready_with_exact_keys() -> None:
    c = check_phone("15135222972 微信同号", "0352")
    d = c.as_dict()
    assert set(d) == CHECK_FIELDS == {f.name for f in fields(PhoneCheck)}
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["e164"] == "+8615135222972"
    assert d["note"] == "微信同号"


def test_invalid_as_dict_has_null_e164() -> None:
    d = check_phone("1390352849", "0352").as_dict()
    assert d["e164"] is None
    assert json.loads(json.dumps(d)) == d


# --------------------------------------------------------------------------- find_phones: sample


@pytest.mark.parametrize(
    "ad", _sample_ads(), ids=lambda ad: f"{ad['category']}-{ad['title'] or '无标题'}"
)
def test_sample_column_phones(ad: dict[str, str]) -> None:
    text = ad["title"] + "\n" + ad["body"]
    found = find_phones(text, "0352")
    assert [to_halfwidth(m.text) for m in found] == ad["phones"]
    for m in found:
        assert m.check.valid, (m.text, m.check.reason)
        assert text[m.start : m.end] == m.text


def test_sample_tofu_licence_number_is_not_a_phone() -> None:
    tofu = next(ad for ad in _sample_ads() if ad["title"] == "石磨浆水豆腐")
    found = find_phones(str(tofu["body"]), "0352")
    assert [m.text for m in found] == ["17635217373"]
    assert all("1251402130017" not in m.text for m in found)


def test_sample_masthead_hotlines_are_local_datong_landlines() -> None:
    sample = _sample()
    masthead = sample["masthead"]
    assert isinstance(masthead, dict)
    line = "**便民信息** " + " ".join(masthead["hotlines"])
    found = find_phones(line, "0352")
    assert [m.text for m in found] == ["5105678", "2023122"]
    for m in found:
        assert m.check.valid
        assert m.check.kind == "landline"
        assert m.check.local is True
        assert m.check.region == "山西省大同市"
        assert m.check.display == m.text


def test_sample_out_of_town_mobiles_flagged() -> None:
    notes = {}
    for ad in _sample_ads():
        for m in find_phones(str(ad["title"]) + "\n" + str(ad["body"]), "0352"):
            notes[m.text] = m.check
    assert notes["18911267373"].region == "北京市"
    assert notes["18635299628"].region == "山西省晋中市"
    outside = sorted(n for n, c in notes.items() if not c.local)
    assert outside == ["15535203935", "18635299628", "18911267373"]
    assert notes["15135222972"].note == "微信同号"


def test_whole_column_text_in_reading_order() -> None:
    md = resource_path("samples", "bianmin-2023-02-24.md").read_text(encoding="utf-8")
    expected = list(_sample()["masthead"]["hotlines"])  # type: ignore[index]
    for ad in _sample_ads():
        if ad["title"] == "敬告":
            continue
        expected.extend(ad["phones"])  # type: ignore[arg-type]
    found = find_phones(md, "0352")
    assert [m.text for m in found] == expected
    assert all(m.check.valid for m in found)


# --------------------------------------------------------------------------- find_phones: offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("订酒热线:0352-2299999,18835255555", ["0352-2299999", "18835255555"]),
        ("电话 139 0352 8495 王先生", ["139 0352 8495"]),
        ("座机0352 539 3120", ["0352 539 3120"]),
        ("电话(0352)5393120", ["(0352)5393120"]),
        ("电话（0352）5393120", ["（0352）5393120"]),
        ("联系+86 139 0352 8495", ["+86 139 0352 8495"]),
        ("联系0086 13903528495", ["0086 13903528495"]),
        ("13903528495 15934215918", ["13903528495", "15934215918"]),
        ("5105678 2023122", ["5105678", "2023122"]),
        ("5105678、2023122", ["5105678", "2023122"]),
        ("0352-5393120/5393121", ["0352-5393120", "5393121"]),
        ("400-880-1234咨询", ["400-880-1234"]),
        ("电话：0352—5393120", ["0352—5393120"]),
        ("手机13903528495\n座机5105678", ["13903528495", "5105678"]),
        ("2023-02-24 13903528495", ["13903528495"]),
    ],
)
def test_find_phones_spans(text: str, expected: list[str]) -> None:
    found = find_phones(text, "0352")
    assert [m.text for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.check.input == m.text
        assert m.check.valid, (m.text, m.check.reason)


def test_find_phones_in_full_width_text_keeps_offsets() -> None:
    text = "联系电话：１３９０３５２８４９５，座机（０３５２）５３９３１２０　５１０５６７８"
    found = find_phones(text, "0352")
    assert [m.text for m in found] == [
        "１３９０３５２８４９５",
        "（０３５２）５３９３１２０",
        "５１０５６７８",
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.check.valid
    assert [m.check.display for m in found] == ["13903528495", "0352-5393120", "5105678"]
    assert found[0].check.e164 == "+8613903528495"


def test_offsets_after_mixed_width_text() -> None:
    text = "ＡＢＣ公司　成立于２０２３年，面积９１．６０平米，电话：５１０５６７８。"
    (m,) = find_phones(text, "0352")
    assert (m.start, m.end) == (text.index("５１０５６７８"), text.index("５１０５６７８") + 7)
    assert m.text == "５１０５６７８"


def test_match_as_dict() -> None:
    text = "电话：15135222972 微信同号"
    (m,) = find_phones(text, "0352")
    d = m.as_dict()
    assert set(d) == CHECK_FIELDS | {"start", "end"}
    assert (d["start"], d["end"]) == (3, 14)
    assert d["note"] == "微信同号"
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert isinstance(m, PhoneMatch)


# --------------------------------------------------------------------------- find_phones: annotations


def test_found_wechat_note() -> None:
    (m,) = find_phones("联系电话:15135222972 微信同号", "0352")
    assert m.text == "15135222972"
    assert m.check.note == "微信同号"
    (m,) = find_phones("电话13903528495（微信）", "0352")
    assert m.text == "13903528495"
    assert m.check.note == "微信"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("总机0352-5393120转8001，欢迎来电", "0352-5393120转8001"),
        ("总机0352-5393120 转 8001", "0352-5393120 转 8001"),
        ("总机0352-5393120-转-8001", "0352-5393120-转-8001"),
        ("总机0352-5393120分机8001", "0352-5393120分机8001"),
    ],
)
def test_found_extension_stays_with_its_number(text: str, span: str) -> None:
    (m,) = find_phones(text, "0352")
    assert m.text == span
    assert m.check.valid
    assert m.check.extension == "8001"
    assert m.check.display == "0352-5393120转8001"


# --------------------------------------------------------------------------- find_phones: not phones


@pytest.mark.parametrize(
    "text",
    [
        "许可证: SXZF 1251402130017(p)",
        "许可证编号：SC12514021300172",
        "食品经营许可证 JY11402130017",
        "身份证号：140202199001011234",
        "身份证号码 14020219900101123X",
        "140202199001011234",
        "统一社会信用代码：91140200MA0K7XXXXX",
        "信用代码91140200MA0K7XXXXX 遗失声明作废",
        "日期2023-02-24",
        "2023年2月24日",
        "2023.2.24出版",
        "2023/2/24",
        "价格3500000元",
        "售价：3500000",
        "总价￥3500000",
        "¥5105678",
        "3500000元起",
        "价格350万",
        "奕城名都6号楼91.60平米",
        "80.20平米两套",
        "14层",
        "幸福家园商辅B4座",
        "铂蓝郡商辅A122号",
        "面积1234567平米",
        "1234567㎡",
        "第2023122期",
        "2023122期",
        "共有2023122人",
        "5105678个",
        "23校、十中、十三中校区",
        "86平米,家具齐全",
        "QQ:123456789",
        "QQ 1390352849",
        "qq：2023122",
        "备案号 12345678",
        "No.12345678",
        "订单号 139035284951",
        "营业时间8:00-18:00",
        "邮编037000",
        "1990-2023年",
        "3.1415926",
        "增长13.903528%",
        "报名截止20230224",
        "我和朋友有个约会 古20为胜利干杯",
        "400咨询电话承揽",
        "恒安街7号",
        "ID: AB13903528495",
        "编号 5105678",
    ],
)
def test_not_phones(text: str) -> None:
    assert _texts(text) == []


def test_price_next_to_a_phone() -> None:
    text = "价格3500000元，电话5105678"
    assert _texts(text) == ["5105678"]


def test_id_number_next_to_a_phone() -> None:
    text = "身份证140202199001011234 电话13903528495"
    assert _texts(text) == ["13903528495"]


# --------------------------------------------------------------------------- find_phones: invalid


@pytest.mark.parametrize(
    ("text", "number", "words"),
    [
        ("联系电话:1390352849", "1390352849", ["11位", "10位"]),
        ("联系电话:139035284951", "139035284951", ["多了1位"]),
        ("电话12345678901", "12345678901", ["号段", "123"]),
        ("王先生 12345678901", "12345678901", ["号段"]),
        ("手机:139035284", "139035284", ["11位", "9位"]),
        ("电话:510567", "510567", ["7位", "6位"]),
        ("热线 035253931", "035253931", ["7位"]),
        ("座机0352-539312", "0352-539312", ["6位"]),
        ("座机0352 539 312", "0352 539 312", ["6位"]),
        ("电话 139 0352 849 王先生", "139 0352 849", ["10位"]),
        ("tel:51056789", "51056789", ["8位", "多了1位"]),
        ("Tel 0123-4567890", "0123-4567890", ["区号", "不存在"]),
        ("☎ 3525393120", "3525393120", ["0352-5393120"]),
        ("咨询1380352", "1380352", ["7位"]),
        ("联系13903528", "13903528", ["8位"]),
    ],
)
def test_wrong_phones_are_found_and_explained(text: str, number: str, words: list[str]) -> None:
    found = find_phones(text, "0352")
    assert [m.text for m in found] == [number]
    (m,) = found
    assert not m.check.valid
    for word in words:
        assert word in m.check.reason, m.check.reason
    assert text[m.start : m.end] == number


def test_a_wrong_phone_among_good_ones() -> None:
    text = "电话:1390352849,18835255555,5105678"
    found = find_phones(text, "0352")
    assert [(m.text, m.check.valid) for m in found] == [
        ("1390352849", False),
        ("18835255555", True),
        ("5105678", True),
    ]


# --------------------------------------------------------------------------- property test

NON_PHONE_LABELS = (
    "(许可证|证号|编号|执照|代码|备案|身份证|账号|帐号|卡号|单号|订单|文号|注册号|登记号"
    "|批号|货号|型号|工号|学号|邮编|邮政编码|车牌)"
)
MOBILE_PREFIXES = ["139", "135", "186", "189", "176", "158", "133", "150", "177", "198"]

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_FILLER = st.text(alphabet=st.one_of(_CJK, st.sampled_from("，。、：；！？ \n（）")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(MOBILE_PREFIXES),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    before=_FILLER,
    after=_FILLER,
    full_width=st.booleans(),
)
def test_any_mobile_in_chinese_filler_is_found_alone(
    prefix: str, rest: str, before: str, after: str, full_width: bool
) -> None:
    # A number right after a licence/ID label is deliberately not a phone: keep filler neutral.
    assume(not re.search(NON_PHONE_LABELS + r"[号码]*[\s:：]*$", before))
    # … and so is one on the line of an approval number (审查证明 …), or between 第 and 号.
    assume(not APPROVAL_BEFORE.search(before[-40:].rsplit("\n", 1)[-1]))
    assume(not (before.rstrip().endswith("第") and after.lstrip().startswith("号")))
    number = prefix + rest
    shown = (
        number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}) if full_width else number
    )
    text = before + shown + after
    found = find_phones(text, "0352")
    assert [m.text for m in found] == [shown]
    (m,) = found
    assert (m.start, m.end) == (len(before), len(before) + 11)
    assert m.check.valid, m.check.reason
    assert m.check.kind == "mobile"
    assert m.check.display == number
    assert m.check.e164 == "+86" + number


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_find_phones_never_crashes_and_spans_are_exact(text: str) -> None:
    for m in find_phones(text, "0352"):
        assert text[m.start : m.end] == m.text
        assert m.check.input == m.text
        assert 0 <= m.start < m.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_check_phone_never_crashes(text: str) -> None:
    c = check_phone(text, "0352")
    assert c.input == text
    assert c.valid == (c.reason == "")
    assert (c.e164 is not None) == c.valid or c.kind == "other"


def test_a_unit_on_the_next_line_does_not_hide_a_local_number() -> None:
    text = "总店 5123456\n人民路分店 5234567"
    assert [m.text for m in find_phones(text, "0352")] == ["5123456", "5234567"]
