"""The paper the desk works for: one profile, read from the settings and passed down to every part."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperProfile:
    """The paper's name, the section's name, its area code (local numbers are checked against
    it) and the desk's hotlines printed in the masthead. Only the settings know the values."""

    paper_name: str
    section_name: str
    area_code: str
    hotlines: tuple[str, ...]


def area_code_problem(code: str) -> str:
    """Why ``code`` cannot be the paper's area code, or ``""`` when it can."""
    if code.isascii() and code.isdigit() and code.startswith("0") and 3 <= len(code) <= 4:
        return ""
    return f"区号 {code} 不对：应为 0 开头的 3 到 4 位数字。"
