"""All checks of one ad's text in one call: phones, wording, refuse list, duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from adsdesk.domain.duplicates import BookedAd, find_duplicates
from adsdesk.domain.phone_find import SPACED_NOTE, PhoneMatch, find_phones
from adsdesk.domain.wording import Finding, check_wording


@dataclass(frozen=True)
class AdCheck:
    """What the checks found in one text: every phone with its verdict, and the findings."""

    phones: list[PhoneMatch]
    findings: list[Finding]

    @property
    def blocked(self) -> bool:
        return not may_print(self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "phones": [m.as_dict() for m in self.phones],
            "findings": [f.as_dict() for f in self.findings],
            "blocked": self.blocked,
        }


def print_refusals(findings: Iterable[Finding], override_reason: str = "") -> list[str]:
    """Why an ad may not be printed: its blocking findings' messages — none once a supervisor's
    override gives a reason. The one rule the editor, the paste dialog and the import follow."""
    if override_reason.strip():
        return []
    return [f.message for f in findings if f.level == "block"]


def may_print(findings: Iterable[Finding], override_reason: str = "") -> bool:
    """May an ad with these findings be printed (see :func:`print_refusals`)?"""
    return not print_refusals(findings, override_reason)


def ad_text(title: str, body: str) -> str:
    """The text an ad is checked as: its title line, then its body."""
    return f"{title}\n{body}" if title else body


def check_text(
    text: str,
    category: str | None,
    area_code: str,
    refused: Mapping[str, str] | None = None,
) -> AdCheck:
    """Check an ad's text: every phone (invalid ones block), wording, the refuse list."""
    phones = find_phones(text, area_code)
    findings = list(check_wording(text, category))
    refused = refused or {}
    for m in phones:
        c = m.check
        if not c.valid:
            findings.append(
                Finding(
                    rule="phone.invalid",
                    level="block",
                    start=m.start,
                    end=m.end,
                    message=f"电话 {m.text} 有误：{c.reason}。请与客户核对后改正。",
                    term=m.text,
                )
            )
        elif SPACED_NOTE in c.note:
            findings.append(
                Finding(
                    rule="phone.spaced",
                    level="warn",
                    start=m.start,
                    end=m.end,
                    message=f"电话 {m.text}：{SPACED_NOTE}（应为 {c.display}）。",
                    term=m.text,
                )
            )
        if c.valid and c.e164 and c.e164 in refused:
            why = refused[c.e164]
            findings.append(
                Finding(
                    rule="phone.refused",
                    level="block",
                    start=m.start,
                    end=m.end,
                    message=f"号码 {c.display} 在本报拒登名单上{('：' + why) if why else ''}，不得刊登。",
                    term=m.text,
                )
            )
    findings.sort(key=lambda f: (f.start, f.end))
    return AdCheck(phones=phones, findings=findings)


def duplicate_findings(ad: BookedAd, others: Iterable[BookedAd]) -> list[Finding]:
    """Warnings for ads booked on the same issue date with the same phone or near-same text."""
    return [
        Finding(
            rule="duplicate.same_issue",
            level="warn",
            start=0,
            end=0,
            message=d.message,
            term="",
        )
        for d in find_duplicates(ad, others)
    ]
