"""Duplicate bookings: ads in the same issue sharing a phone number or (nearly) the same text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

__all__ = ["BookedAd", "Duplicate", "Reason", "duplicates_in_issue", "find_duplicates"]

Reason = Literal["same_phone", "same_text"]

# Bodies shorter than this (letters and digits) are not compared on their own: two titled
# ads whose whole body is "价格面议" are not copies of each other.
_MIN_BODY = 12


@dataclass(frozen=True)
class BookedAd:
    """An ad as booked: its text, its phones (E.164) and the issue dates it runs (ISO)."""

    ad_id: int | None
    title: str
    body: str
    phones: tuple[str, ...]
    dates: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    """Another ad in the same issue that looks like a copy of this one."""

    other_id: int | None
    date: str
    reason: Reason
    similarity: float  # text similarity 0..1 (title+body or body alone, the higher)
    message: str


@dataclass(frozen=True)
class _Prepared:
    ad: BookedAd
    full: str  # normalised title + body
    body: str  # normalised body
    full_bag: frozenset[tuple[str, int]]  # the characters as a multiset, see _bag
    body_bag: frozenset[tuple[str, int]]
    phones: frozenset[str]
    dates: frozenset[str]


_NOT_WORD = re.compile(r"[\W_]+")


def _normalise(text: str) -> str:
    """Letters and digits only, full-width folded and case-folded: spacing and punctuation go."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _bag(text: str) -> frozenset[tuple[str, int]]:
    """The characters as a multiset: "aab" -> {(a, 0), (a, 1), (b, 0)}.

    ``len(bag_a & bag_b)`` is then the multiset intersection, computed in C: the same upper
    bound on the SequenceMatcher ratio as ``quick_ratio()``, at a fraction of its cost.
    """
    return frozenset((ch, k) for ch, n in Counter(text).items() for k in range(n))


def _prepare(ad: BookedAd) -> _Prepared:
    try:
        return _prepare_cached(ad)
    except TypeError:  # a list where a tuple belongs: unhashable, prepare without the cache
        return _prepare_uncached(ad)


@lru_cache(maxsize=4096)  # the editor re-checks the same day's ads on every keystroke
def _prepare_cached(ad: BookedAd) -> _Prepared:
    return _prepare_uncached(ad)


def _prepare_uncached(ad: BookedAd) -> _Prepared:
    full = _normalise(ad.title + ad.body)
    body = _normalise(ad.body)
    return _Prepared(
        ad, full, body, _bag(full), _bag(body), frozenset(ad.phones), frozenset(ad.dates)
    )


def _may_reach(a: str, b: str, threshold: float) -> bool:
    """False when the lengths alone keep the ratio below threshold (ratio <= 2*min/total)."""
    return bool(a and b) and 2 * min(len(a), len(b)) / (len(a) + len(b)) >= threshold


def _ratio(
    a: str,
    b: str,
    bag_a: frozenset[tuple[str, int]],
    bag_b: frozenset[tuple[str, int]],
    threshold: float,
) -> float:
    """SequenceMatcher ratio of a and b, or 0.0 as soon as a cheap bound shows it is below."""
    if not _may_reach(a, b, threshold):
        return 0.0
    if 2 * len(bag_a & bag_b) / (len(a) + len(b)) < threshold:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _similarity(a: _Prepared, b: _Prepared, threshold: float) -> float:
    best = _ratio(a.full, b.full, a.full_bag, b.full_bag, threshold)
    if best < 1.0 and min(len(a.body), len(b.body)) >= _MIN_BODY:
        best = max(best, _ratio(a.body, b.body, a.body_bag, b.body_bag, threshold))
    return best


def _display_phone(e164: str) -> str:
    """E.164 as printed in the paper: 0352-5393120, 18911267373, 400-880-1234."""
    if not e164.startswith("+86"):
        return e164
    national = e164[3:]
    if len(national) == 11 and national.startswith("1"):
        return national
    if len(national) == 10 and national.startswith(("400", "800")):
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    area = 2 if national.startswith(("10", "2")) else 3
    return f"0{national[:area]}-{national[area:]}"


def _label(ad: BookedAd) -> str:
    if ad.ad_id is not None:
        return f"广告 #{ad.ad_id} "
    name = ad.title.strip() or ad.body.strip()
    if len(name) > 12:
        name = name[:12] + "…"
    return f"广告「{name}」"


def _compare(
    mine: _Prepared, theirs: _Prepared, threshold: float
) -> tuple[Reason, float, str] | None:
    """Reason, similarity and the message tail, or None when the two are not duplicates."""
    shared = sorted(mine.phones & theirs.phones)
    # Text is only compared in full when it can decide; phones alone already flag the pair.
    similarity = _similarity(mine, theirs, threshold if not shared else 0.0)
    phones = "、".join(_display_phone(p) for p in shared)
    if similarity >= threshold:
        what = "正文相同" if similarity >= 1.0 else f"正文几乎相同（相似度 {similarity:.0%}）"
        if shared:
            what += f"，电话 {phones} 也相同"
        return "same_text", similarity, what
    if shared:
        return "same_phone", similarity, f"电话 {phones} 相同"
    return None


def _duplicate(theirs: BookedAd, date: str, found: tuple[Reason, float, str]) -> Duplicate:
    reason, similarity, what = found
    message = f"与{_label(theirs)}在 {date} 同一期重复：{what}"
    return Duplicate(theirs.ad_id, date, reason, round(similarity, 4), message)


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"相似度阈值须在 0 与 1 之间，收到 {threshold}")


def _same_ad(a: BookedAd, b: BookedAd) -> bool:
    return a is b or (a.ad_id is not None and a.ad_id == b.ad_id)


def find_duplicates(
    ad: BookedAd, others: Iterable[BookedAd], threshold: float = 0.9
) -> list[Duplicate]:
    """Ads among ``others`` that run on one of ``ad``'s dates with its phone or its text.

    One Duplicate per (other ad, shared date), with the stronger reason: near-identical text
    (similarity >= threshold) over a shared phone.
    """
    _check_threshold(threshold)
    mine = _prepare(ad)
    found: list[Duplicate] = []
    for other in others:
        if _same_ad(ad, other) or mine.dates.isdisjoint(other.dates):
            continue
        theirs = _prepare(other)
        result = _compare(mine, theirs, threshold)
        if result is not None:
            found += [_duplicate(other, d, result) for d in sorted(mine.dates & theirs.dates)]
    found.sort(key=lambda d: d.date)
    return found


_Bag = frozenset[tuple[str, int]]


def _similar_candidates(
    texts: dict[int, tuple[str, _Bag]], threshold: float
) -> set[tuple[int, int]]:
    """Pairs whose lengths and character multisets still allow a ratio >= threshold.

    Texts are swept shortest first; for one text, the longer partners are tried in order
    until the length bound (ratio <= 2 * shorter / total) rules out all the rest.
    """
    order = sorted(texts, key=lambda i: len(texts[i][0]))
    found: set[tuple[int, int]] = set()
    for pos, a in enumerate(order):
        text_a, bag_a = texts[a]
        for b in order[pos + 1 :]:
            text_b, bag_b = texts[b]
            total = len(text_a) + len(text_b)
            if 2 * len(text_a) < threshold * total:
                break
            if 2 * len(bag_a & bag_b) >= threshold * total:
                found.add((min(a, b), max(a, b)))
    return found


_VIEWS: tuple[tuple[Callable[[_Prepared], tuple[str, _Bag]], int], ...] = (
    (lambda p: (p.full, p.full_bag), 1),
    (lambda p: (p.body, p.body_bag), _MIN_BODY),
)


def duplicates_in_issue(
    ads: Sequence[BookedAd], date: str, threshold: float = 0.9
) -> list[tuple[int, int, Duplicate]]:
    """Every duplicate pair among the ads running on ``date``: (i, j, Duplicate of ads[j]), i < j.

    Phones are paired through an index; texts through a length-sorted sweep with the cheap
    bounds, so only promising pairs reach SequenceMatcher.
    """
    _check_threshold(threshold)
    day = {i: _prepare(ad) for i, ad in enumerate(ads) if date in ad.dates}
    candidates: set[tuple[int, int]] = set()

    by_phone: dict[str, list[int]] = defaultdict(list)
    for i, prepared in day.items():
        for phone in prepared.phones:
            by_phone[phone].append(i)
    for indices in by_phone.values():
        candidates.update((a, b) for a in indices for b in indices if a < b)

    for view, shortest in _VIEWS:
        texts = {i: view(p) for i, p in day.items() if len(view(p)[0]) >= shortest}
        candidates |= _similar_candidates(texts, threshold)

    pairs: list[tuple[int, int, Duplicate]] = []
    for i, j in sorted(candidates):
        if _same_ad(ads[i], ads[j]):
            continue
        result = _compare(day[i], day[j], threshold)
        if result is not None:
            pairs.append((i, j, _duplicate(ads[j], date, result)))
    return pairs
