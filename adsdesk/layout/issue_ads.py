"""The ads of one issue as the layout sees them, the clerk's choices, and their reading order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IssueAd:
    """One ad booked on the issue, as the layout needs it."""

    id: int
    category: str
    title: str
    body: str
    phones: tuple[str, ...]  # display form, in the ad's order


@dataclass(frozen=True)
class AdChoice:
    """What the clerk decided for one ad on one issue: pinned, its place, a forced column."""

    pinned: bool = False
    column: int | None = None
    position: int | None = None


def group_of(ad: IssueAd, choices: dict[int, AdChoice]) -> tuple[bool, str]:
    """The group an ad is ordered in: the pinned ads, or its category."""
    choice = choices.get(ad.id)
    pinned = bool(choice and choice.pinned)
    return pinned, "" if pinned else ad.category


def ordered_ads(ads: Sequence[IssueAd], choices: dict[int, AdChoice]) -> list[IssueAd]:
    """Reading order: pinned ads first, then by category, each group by the clerk's order.

    ``ads`` come in category then booking order; an ad the clerk never moved keeps its booking
    place after those the clerk did order.
    """
    groups: dict[tuple[bool, str], list[tuple[int, IssueAd]]] = {}
    for index, ad in enumerate(ads):
        groups.setdefault(group_of(ad, choices), []).append((index, ad))

    def key(item: tuple[int, IssueAd]) -> tuple[int, int, int]:
        index, ad = item
        choice = choices.get(ad.id)
        position = choice.position if choice else None
        return (1, 0, index) if position is None else (0, position, index)

    out: list[IssueAd] = []
    pinned_first = sorted(groups, key=lambda g: not g[0])  # stable: categories keep their order
    for group in pinned_first:
        out.extend(ad for _i, ad in sorted(groups[group], key=key))
    return out


def moved_order(
    ads: Sequence[IssueAd], choices: dict[int, AdChoice], ad_id: int, delta: int
) -> list[int] | None:
    """The ids of the ad's group in their new order after moving it ``delta`` places
    (negative: up); None when it cannot move (not on the issue, already at an end)."""
    target = next((a for a in ads if a.id == ad_id), None)
    if target is None:
        return None
    group = group_of(target, choices)
    members = [a.id for a in ordered_ads(ads, choices) if group_of(a, choices) == group]
    index = members.index(ad_id)
    new_index = index + delta
    if delta == 0 or not 0 <= new_index < len(members):
        return None
    members.insert(new_index, members.pop(index))
    return members
