"""Line breaking with the shipped fonts: phones whole, 避头尾, words whole, lines within width."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adsdesk.domain.phones import find_phones
from adsdesk.layout import metrics
from adsdesk.layout.blocks import BODY_FACE, set_paragraph
from adsdesk.layout.linebreak import HANGING, NO_END, NO_START, atoms, break_lines

SIZE = 9.0
EM = SIZE


@pytest.fixture(autouse=True)
def _fonts(qapp) -> None:
    """Advances come from the shipped fonts, read through Qt."""


def lines_of(text: str, chars: float) -> list[str]:
    return [
        line.text
        for line in set_paragraph(text, chars * EM, BODY_FACE, SIZE, area_code="0352", justify=True)
    ]


def widest(text: str) -> float:
    return sum(metrics.advances(BODY_FACE, text)) * SIZE


def ink_right(line) -> float:
    """Where the line's last character ends; a hanging mark's blank half is not counted."""
    last = metrics.advances(BODY_FACE, line.text[-1])[0] * SIZE
    return line.xs[-1] + (last / 2 if line.text[-1] in HANGING else last)


PHONE_TEXT = (
    "大同和平医院体检中心开展职业健康、入职、从业人员体检。地址:大同市云中中路幸福家园商辅B4座 "
    "0352-5393120，订酒热线:0352-2299999,18835255555，另有本地电话5105678（微信同号）。"
)


@pytest.mark.parametrize("chars", [7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 20])
def test_a_phone_number_is_never_broken_across_lines(chars: int) -> None:
    lines = lines_of(PHONE_TEXT, chars)
    phones = [m.text for m in find_phones(PHONE_TEXT, "0352")]
    assert len(phones) == 4
    for phone in phones:
        assert sum(phone in line for line in lines) == 1, (phone, lines)


@pytest.mark.parametrize("chars", range(5, 16))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(chars: int) -> None:
    text = (
        "本人有复地紫城多层楼房一套，大红本，价格面议。《大同晚报》、《大同日报》所有广告业务；"
        "请广大市民谨防上当受骗！（地址：平城区永和路）「拎包入住」『即买即住』？"
    )
    lines = lines_of(text, chars)
    assert len(lines) > 2
    for line in lines:
        assert line[0] not in NO_START, lines
        assert line[-1] not in NO_END, lines
    assert "".join(lines) == text  # nothing lost, nothing added


@pytest.mark.parametrize("chars", [8, 9, 10, 13])
def test_latin_words_and_numbers_are_not_broken(chars: int) -> None:
    text = (
        "许可证: SXZF 1251402130017(p) 现有奕城名都6号楼91.60平米,E家公寓精装房 WiFi 24h 100% 到位"
    )
    lines = lines_of(text, chars)
    joined = " ".join(lines)
    for word in ("SXZF", "1251402130017", "91.60", "WiFi", "24h", "100%"):
        assert sum(word in line for line in lines) == 1, (word, lines)
    assert joined.replace(" ", "") == text.replace(" ", "")


def test_a_word_wider_than_the_column_is_the_one_thing_broken() -> None:
    url = "www.datongribao-bianminxinxi-guanggao.com.cn"
    lines = lines_of(f"详见{url}", 8)
    assert "".join(lines) == f"详见{url}"
    assert all(widest(line) <= 8 * EM + 1e-6 for line in lines)


def test_a_closing_mark_after_a_number_hangs_instead_of_breaking_it() -> None:
    number = "0352-5393120，"
    chars = widest(number[:-1]) / EM + 0.6  # room for the number and half the comma
    lines = lines_of(f"大同和平医院{number}承接体检", chars)
    assert number in lines


def test_full_lines_are_justified_to_the_column_and_the_last_is_flush_left() -> None:
    width = 13 * EM
    text = "迎泽街,23校、十中、十三中校区,86平米,家具齐全,拎包入住,价格面议。联系电话:13935216623"
    lines = set_paragraph(text, width, BODY_FACE, SIZE, area_code="0352", justify=True)
    assert len(lines) >= 3
    for line in lines:
        right = ink_right(line)
        assert right <= width + 1e-6
        if not line.last and width - line.width < 0.2 * SIZE * 3:
            assert right == pytest.approx(width, abs=0.01)
    assert lines[-1].xs == pytest.approx(
        [
            sum(metrics.advances(BODY_FACE, lines[-1].text[:i])) * SIZE
            for i in range(len(lines[-1].text))
        ]
    )


def test_glue_rules_on_their_own() -> None:
    text = "电话（微信）：139"
    runs = [text[a.start : a.end] for a in atoms(text)]
    assert runs == ["电", "话", "（微", "信）：", "139"]


# --- properties over random ad-like text ---------------------------------------------------
PIECES = st.sampled_from(
    list("大同市平城区房屋出售价格面议联系电话家具齐全养老中心") * 3
    + list("，。、；：？！）」』》") * 2
    + list("（「『《")
    + ["SXZF", "91.60", "B4", "2023", "WiFi", " ", "……", "——"]
    + ["13903528495", "0352-5393120", "5105678", "18911267373"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60), st.integers(min_value=6, max_value=16))
def test_breaking_rules_hold_for_any_text(pieces: list[str], chars: int) -> None:
    text = re.sub(" +", " ", "".join(pieces)).strip()
    if not text:
        return
    width = chars * EM
    adv = lambda t: [a * SIZE for a in metrics.advances(BODY_FACE, t)]  # noqa: E731
    keep = [(m.start, m.end) for m in find_phones(text, "0352")]
    lines = break_lines(text, width, adv, keep, justify=True, size=SIZE)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert line.text and line.text == line.text.strip()
        assert ink_right(line) <= width + 1e-6 or len(atoms(line.text)) == 1
    # a phone found in the text lies on one line
    for start, end in keep:
        phone = text[start:end]
        if widest(phone) <= width:
            assert any(phone in line.text for line in lines), (phone, [x.text for x in lines])
    # 避头尾, unless a run glued by the rules is itself wider than the line ("大，，，，，，，")
    if any(widest(text[a.start : a.end]) > width for a in atoms(text, keep)):
        return
    for i, line in enumerate(lines):
        if i > 0:
            assert line.text[0] not in NO_START
        if i < len(lines) - 1:
            assert line.text[-1] not in NO_END
