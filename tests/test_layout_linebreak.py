"""Line breaking with the shipped fonts: phones whole, 避头尾, words whole, lines within width."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adsdesk.domain.phone_find import find_phones
from adsdesk.layout import metrics
from adsdesk.layout.blocks import BODY_FACE, set_paragraph
from adsdesk.layout.linebreak import (
    HALF_AT_START,
    HANGING,
    NO_END,
    NO_START,
    atoms,
    break_lines,
)
from adsdesk.layout.render import draw_lines
from adsdesk.layout.result import TextLine

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


def tightest(text: str) -> float:
    """Width of ``text`` alone on a line: opening mark at half width, closing mark hung."""
    adv = [a * SIZE for a in metrics.advances(BODY_FACE, text)]
    squeeze = adv[0] / 2 if text[0] in HALF_AT_START else 0.0
    hang = adv[-1] / 2 if text[-1] in HANGING else 0.0
    return sum(adv) - squeeze - hang


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


def spans_of(text: str, lines) -> list[tuple[int, int]]:
    """Where each line stands in the paragraph: lines follow each other, only blanks between."""
    spans = []
    pos = 0
    for line in lines:
        while text[pos] == " ":
            pos += 1
        assert text.startswith(line.text, pos), (text, [x.text for x in lines])
        spans.append((pos, pos + len(line.text)))
        pos += len(line.text)
    assert not text[pos:].strip()  # nothing lost, nothing added
    return spans


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60), st.integers(min_value=6, max_value=16))
def test_breaking_rules_hold_for_any_text(pieces: list[str], chars: int) -> None:
    """The rules, in the order they give way to each other.

    1. A phone that fits on a line by itself lies on one line, whatever the punctuation.
    2. An opening mark may start a line at half width, and only when its run needs that.
    3. 避头尾 holds, except at the edge of a phone whose glued run ("（18911267373）") fits
       on no line even with the half-width mark: the break goes before the phone (the mark
       ends the line before), and after it only if the phone and its closing marks do not
       fit either. (And, as before, not where a run is wider than the line with no such
       phone, or where the marks about the phone are, "大，，，，，，，".)
    """
    text = re.sub(" +", " ", "".join(pieces)).strip()
    if not text:
        return
    width = chars * EM
    adv = lambda t: [a * SIZE for a in metrics.advances(BODY_FACE, t)]  # noqa: E731
    keep = [(m.start, m.end) for m in find_phones(text, "0352")]
    lines = break_lines(text, width, adv, keep, justify=True, size=SIZE)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    spans = spans_of(text, lines)
    for line in lines:
        assert line.text and line.text == line.text.strip()
        assert ink_right(line) <= width + 1e-6 or len(atoms(line.text)) == 1
        first = adv(line.text[0])[0]
        if line.xs[0] != 0:  # a half-width opening mark, set so only because it had to be
            assert line.text[0] in HALF_AT_START and line.xs[0] == pytest.approx(-first / 2)
            assert ink_right(line) + first / 2 > width + 1e-6
    # (1) a phone found in the text that fits on a line by itself lies on one line
    fitting = [(s, e) for s, e in keep if widest(text[s:e]) <= width + 1e-6]
    for start, end in fitting:
        assert any(a <= start and end <= b for a, b in spans), (
            text[start:end],
            [x.text for x in lines],
        )
    # (3) 避头尾, given way only at the edges of such a phone in a run too wide for any line
    runs = [r for r in atoms(text, keep) if tightest(text[r.start : r.end]) > width + 1e-6]
    may_end_open: set[int] = set()  # a line may end with an opening mark before these
    may_start_close: set[int] = set()  # and the next begin with a closing mark after these
    for run in runs:
        inside = [(s, e) for s, e in fitting if run.start <= s and e <= run.end]
        if not inside:
            return  # a run wider than the line with no phone to save: broken anyhow
        (start, end), *_ = inside
        marks = (text[run.start : start].strip(), text[end : run.end].strip())
        if any(m and tightest(m) > width + 1e-6 for m in marks):
            return  # the marks on either side are by themselves wider than the line
        may_end_open.add(start)
        if tightest(text[start : run.end]) > width + 1e-6:
            may_start_close.add(end)
    for (_, end), (start, _), line, after in zip(spans, spans[1:], lines, lines[1:], strict=False):
        if line.text[-1] in NO_END:
            assert start in may_end_open, (text, [x.text for x in lines])
        if after.text[0] in NO_START:
            assert end in may_start_close, (text, [x.text for x in lines])


@pytest.mark.parametrize(
    ("text", "chars", "expected"),
    [
        # 标点挤压 first: the bracket at half width lets the run fit
        ("（18911267373）", 7, ["（18911267373）"]),
        ("电话（18911267373）", 7, ["电话", "（18911267373）"]),
        # else break before the phone: the bracket ends the line before (避尾 gives way)
        ("联系电话（18911267373）", 6.5, ["联系电话（", "18911267373）"]),
        ("（18911267373）", 6.5, ["（", "18911267373）"]),
        # and after it too when the phone and its closing mark are still too wide (避头)
        ("（18911267373）", 6, ["（", "18911267373", "）"]),
        # a bracket that does not fit on the full line takes that line's last character down
        ("价格面议价格面（18911267373）", 6.5, ["价格面议价格", "面（", "18911267373）"]),
        # a half-width bracket has no blank half to lose: straight to the break
        ("(13903528495)", 6.5, ["(", "13903528495)"]),
        ("电话(13903528495)", 6.5, ["电话(", "13903528495)"]),
        ("(13903528495)", 6.3, ["(", "13903528495", ")"]),
        ("(13903528495)", 7, ["(13903528495)"]),
    ],
)
def test_a_bracketed_phone_in_a_narrow_column(text: str, chars: float, expected: list[str]) -> None:
    lines = set_paragraph(text, chars * EM, BODY_FACE, SIZE, area_code="0352", justify=True)
    assert [line.text for line in lines] == expected
    for line in lines:
        assert ink_right(line) <= chars * EM + 1e-6
        squeezed = line.text[0] == "（" and ink_right(line) > chars * EM - EM / 2 + 1e-6
        assert line.xs[0] == pytest.approx(-EM / 2 if squeezed else 0.0)


def test_a_half_width_bracket_paints_inside_the_line(qapp) -> None:
    """The renderer paints at the engine's positions: the bracket's ink starts at the line."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    width = 7 * EM
    (line,) = set_paragraph(
        "（18911267373）", width, BODY_FACE, SIZE, area_code="0352", justify=True
    )
    assert line.xs[0] == pytest.approx(-EM / 2)
    scale, left = 4, 10.0  # px per pt (288 dpi, about the PNG export); line starts at 10 pt
    text_line = TextLine(
        role="body",
        face=BODY_FACE,
        size=SIZE,
        text=line.text,
        xs=tuple(left + x for x in line.xs),
        baseline=12.0,
        top=0.0,
        height=15.0,
    )
    image = QImage(round((width + 2 * left) * scale), 15 * scale, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    draw_lines(painter, [text_line])
    painter.end()
    inked = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y).value() < 128 for y in range(image.height()))
    ]
    ink_left, ink_end = inked[0] / scale, (inked[-1] + 1) / scale
    assert left <= ink_left < left + EM / 4  # the blank half is gone, the ink is all there
    assert ink_end <= left + width
