"""Duplicate bookings: same phone or near-identical text in the same issue."""

from __future__ import annotations

import json
import random

import pytest

from adsdesk.assets import resource_path
from adsdesk.domain.duplicates import (
    BookedAd,
    Duplicate,
    duplicates_in_issue,
    find_duplicates,
)

DAY = "2023-02-24"


def e164(printed: str) -> str:
    """China E.164 by hand (no phones module): 0352-5393120 -> +863525393120."""
    digits = "".join(ch for ch in printed if ch.isdigit())
    return "+86" + (digits[1:] if digits.startswith("0") else digits)


def sample_column(dates: tuple[str, ...] = (DAY,)) -> list[BookedAd]:
    data = json.loads(resource_path("samples", "bianmin-2023-02-24.json").read_text("utf-8"))
    return [
        BookedAd(
            ad_id=n + 1,
            title=ad["title"],
            body=ad["body"],
            phones=tuple(e164(p) for p in ad["phones"]),
            dates=dates,
        )
        for n, ad in enumerate(data["ads"])
    ]


def test_e164_by_hand() -> None:
    assert e164("0352-5393120") == "+863525393120"
    assert e164("18911267373") == "+8618911267373"


def hospitals(ads: list[BookedAd]) -> tuple[BookedAd, BookedAd]:
    untitled, titled = [ad for ad in ads if "和平医院" in ad.body]
    return untitled, titled


def test_sample_hospital_ads_are_duplicates() -> None:
    ads = sample_column()
    untitled, titled = hospitals(ads)
    assert untitled.title == "" and titled.title == "大同和平医院"

    (dup,) = find_duplicates(untitled, ads)
    assert dup.other_id == titled.ad_id
    assert dup.date == DAY
    assert dup.reason == "same_text"
    assert dup.similarity == 1.0
    assert dup.message == (
        f"与广告 #{titled.ad_id} 在 {DAY} 同一期重复：正文相同，电话 0352-5393120 也相同"
    )

    (back,) = find_duplicates(titled, ads)
    assert back.other_id == untitled.ad_id


def test_sample_issue_has_exactly_the_hospital_pair() -> None:
    ads = sample_column()
    untitled, titled = hospitals(ads)
    found = duplicates_in_issue(ads, DAY)
    assert [(i, j) for i, j, _ in found] == [(ads.index(untitled), ads.index(titled))]
    assert found[0][2].other_id == titled.ad_id


def test_unrelated_sample_ads_are_not_flagged() -> None:
    ads = sample_column()
    for ad in ads:
        if "和平医院" not in ad.body:
            assert find_duplicates(ad, ads) == [], ad.title


def test_different_dates_are_not_flagged() -> None:
    untitled, titled = hospitals(sample_column())
    other_day = BookedAd(titled.ad_id, titled.title, titled.body, titled.phones, ("2023-02-25",))
    assert find_duplicates(untitled, [other_day]) == []
    assert duplicates_in_issue([untitled, other_day], DAY) == []


def test_same_phone_different_text_is_flagged() -> None:
    a = BookedAd(1, "纱窗加工安装", "厂家直供 品质保证", ("+8613903528495",), (DAY,))
    b = BookedAd(2, "大同馨万家养老中心", "托养失能残疾人员", ("+8613903528495",), (DAY,))
    (dup,) = find_duplicates(a, [b])
    assert dup.reason == "same_phone"
    assert dup.other_id == 2
    assert dup.similarity < 0.9
    assert dup.message == f"与广告 #2 在 {DAY} 同一期重复：电话 13903528495 相同"


def test_landline_and_400_shown_as_printed() -> None:
    a = BookedAd(1, "甲", "一", ("+863525393120", "+864008801234", "+861062345678"), (DAY,))
    b = BookedAd(2, "乙", "二", a.phones, (DAY,))
    (dup,) = find_duplicates(a, [b])
    assert "0352-5393120" in dup.message
    assert "400-880-1234" in dup.message
    assert "010-62345678" in dup.message


def test_text_reason_beats_phone_and_one_duplicate_per_date() -> None:
    dates = (DAY, "2023-02-25", "2023-02-26")
    a = BookedAd(1, "特价售房", "奕城名都6号楼91.60平米，价格面议。", ("+8618803521868",), dates)
    b = BookedAd(
        2, "特价售房", "奕城名都6号楼91.60平米，价格面议。", ("+8618803521868",), dates[:2]
    )
    found = find_duplicates(a, [b])
    assert [(d.date, d.reason) for d in found] == [(DAY, "same_text"), ("2023-02-25", "same_text")]


def test_same_ad_is_skipped() -> None:
    ads = sample_column()
    untitled, _ = hospitals(ads)
    assert find_duplicates(untitled, [untitled]) == []
    copy = BookedAd(untitled.ad_id, "", untitled.body, untitled.phones, untitled.dates)
    assert find_duplicates(untitled, [copy]) == []
    unsaved = BookedAd(None, "", untitled.body, (), (DAY,))
    assert len(find_duplicates(unsaved, [BookedAd(None, "", untitled.body, (), (DAY,))])) == 1


def test_spacing_punctuation_and_full_width_are_ignored() -> None:
    a = BookedAd(1, "出售", "E家公寓精装房,50平、68平各一套,三中十四校学区。", (), (DAY,))
    b = BookedAd(2, "出售", "E家公寓 精装房，５０平 68平 各一套 三中十四校学区", (), (DAY,))
    (dup,) = find_duplicates(a, [b])
    assert (dup.reason, dup.similarity) == ("same_text", 1.0)


def test_near_identical_text_flagged_by_threshold() -> None:
    body = "大同和平医院体检中心开展职业健康、入职、从业人员体检。承接个人、单位团体、厂矿健康证。"
    a = BookedAd(1, "", body, (), (DAY,))
    b = BookedAd(2, "", body.replace("厂矿", "学校"), (), (DAY,))
    (dup,) = find_duplicates(a, [b])
    assert dup.reason == "same_text"
    assert 0.9 <= dup.similarity < 1.0
    assert "相似度" in dup.message
    assert find_duplicates(a, [b], threshold=0.99) == []


def test_untitled_copy_matches_on_body() -> None:
    body = "迎泽街,23校、十中、十三中校区,86平米,家具齐全,拎包入住,价格面议。"
    titled = BookedAd(1, "房屋出售急售优质好房源联系", body, (), (DAY,))
    untitled = BookedAd(2, "", body, (), (DAY,))
    (dup,) = find_duplicates(untitled, [titled])
    assert (dup.reason, dup.similarity) == ("same_text", 1.0)


def test_short_bodies_alone_do_not_match() -> None:
    a = BookedAd(1, "花城尚府100平米14层", "价格面议", (), (DAY,))
    b = BookedAd(2, "复地紫城多层楼房一套", "价格面议", (), (DAY,))
    assert find_duplicates(a, [b]) == []


def test_unsaved_ad_named_by_title() -> None:
    a = BookedAd(None, "大同和平医院", "体检中心开展职业健康体检", (), (DAY,))
    b = BookedAd(None, "大同和平医院", "体检中心开展职业健康体检", (), (DAY,))
    (dup,) = find_duplicates(a, [b])
    assert dup.other_id is None
    assert dup.message.startswith(f"与广告「大同和平医院」在 {DAY} 同一期重复")


@pytest.mark.parametrize("threshold", [0.0, -1.0, 1.5])
def test_bad_threshold_rejected(threshold: float) -> None:
    with pytest.raises(ValueError):
        find_duplicates(BookedAd(1, "", "", (), (DAY,)), [], threshold=threshold)


def test_issue_check_agrees_with_pairwise_check() -> None:
    """The sweep's pre-filters lose nothing: same pairs as checking every pair."""
    rng = random.Random(7)
    pieces = [ad.body for ad in sample_column()] + [ad.title for ad in sample_column()]
    words = [w for piece in pieces for w in piece.replace("\n", ",").split(",") if w]
    ads: list[BookedAd] = []
    for n in range(120):
        body = ",".join(rng.sample(words, rng.randint(1, 4)))
        phone = f"+86139{rng.randint(0, 40):08d}"
        dates = tuple(sorted(rng.sample([DAY, "2023-02-25"], rng.randint(1, 2))))
        ads.append(BookedAd(n, rng.choice(["", "出售", "招聘"]), body, (phone,), dates))
    ads.append(BookedAd(500, "标题", ads[3].body, (), (DAY,)))

    expected: list[tuple[int, int, Duplicate]] = []
    for i, ad in enumerate(ads):
        for j in range(i + 1, len(ads)):
            expected += [(i, j, d) for d in find_duplicates(ad, [ads[j]]) if d.date == DAY]
    found = duplicates_in_issue(ads, DAY)
    assert found == expected
    assert any(d.reason == "same_text" for _, _, d in found)
    assert any(d.reason == "same_phone" for _, _, d in found)


def test_lists_instead_of_tuples_still_work() -> None:
    body = "托养失能残疾人员，绿洲西城养老中心，魏都新城云锦里养老"
    a = BookedAd(1, "", body, ["+8613903528495"], [DAY])  # type: ignore[arg-type]
    b = BookedAd(2, "", body, ["+8613903528495"], [DAY])  # type: ignore[arg-type]
    assert [d.reason for d in find_duplicates(a, [b])] == ["same_text"]
