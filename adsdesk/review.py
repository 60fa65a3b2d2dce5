"""Review one issue date: every booked ad's check findings plus duplicates across the day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from adsdesk.domain.checks import ad_text, check_text
from adsdesk.domain.duplicates import duplicates_in_issue
from adsdesk.domain.wording import Finding
from adsdesk.store import ads as ads_store
from adsdesk.store.ads import AdRow


def review_rows(
    rows: Sequence[AdRow], area_code: str, refused: Mapping[str, str] | None = None
) -> dict[int, list[Finding]]:
    """Ad id -> check findings (wording, phones, refuse list) for rows outside one issue."""
    out: dict[int, list[Finding]] = {}
    for row in rows:
        result = check_text(ad_text(row.title, row.body), row.category or None, area_code, refused)
        if result.findings:
            out[row.id] = list(result.findings)
    return out


def review_issue(
    day: dt.date, area_code: str, refused: Mapping[str, str] | None = None
) -> dict[int, list[Finding]]:
    """Ad id -> findings (wording, phones, refuse list, same-day duplicates) for that issue."""
    rows = {r.id: r for r in ads_store.list_ads(date=day)}
    booked = ads_store.booked_on([day])
    out: dict[int, list[Finding]] = defaultdict(list)
    for ad_id, row in rows.items():
        result = check_text(ad_text(row.title, row.body), row.category or None, area_code, refused)
        out[ad_id].extend(result.findings)
    for i, j, dup in duplicates_in_issue(booked, day.isoformat()):
        first, second = booked[i].ad_id, booked[j].ad_id
        if first is None or second is None:
            continue
        why = "电话相同" if dup.reason == "same_phone" else "内容几乎相同"
        for me, other in ((first, second), (second, first)):
            out[me].append(
                Finding(
                    rule="duplicate.same_issue",
                    level="warn",
                    start=0,
                    end=0,
                    message=f"与广告 #{other} 同期重复（{why}），请核对是否重复刊登。",
                    term="",
                )
            )
    return dict(out)
