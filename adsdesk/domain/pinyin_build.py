"""Build ``resources/pinyin/readings.txt`` — the desk's toneless pinyin table — from pypinyin.

Run ``python -m adsdesk.domain.pinyin_build`` after upgrading pypinyin (a test and build
dependency only); the tests compare the table with pypinyin, so a stale table fails CI.
"""

from __future__ import annotations

from pathlib import Path

from adsdesk.assets import resource_path
from adsdesk.domain.pinyin_table import TABLE_FILE


def build(out: Path) -> None:
    """Write the table into the folder ``out``."""
    import pypinyin
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    def plain(reading: str) -> str:
        text = str(to_normal(reading))
        if not text or any(c.isspace() for c in text):
            raise ValueError(f"pypinyin reading {reading!r} has no plain form")
        return text

    chars = {chr(cp): plain(r.split(",", 1)[0]) for cp, r in pinyin_dict.items()}
    lines = [f"# adsdesk pinyin table, from pypinyin {pypinyin.__version__}"]
    lines += [f"{ch}\t{reading}" for ch, reading in sorted(chars.items())]
    for phrase, found in sorted(phrases_dict.items()):
        if len(phrase) < 2 or "\t" in phrase or "\n" in phrase:
            raise ValueError(f"pypinyin phrase {phrase!r} cannot be stored")
        said = [plain(r[0]) for r in found]
        own = [chars.get(ch) for ch in phrase]
        lines.append(phrase + "\t" + ("" if said == own else " ".join(said)))
    out.mkdir(parents=True, exist_ok=True)
    (out / TABLE_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(resource_path("pinyin"))
