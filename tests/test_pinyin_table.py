"""The shipped pinyin table reads every name as pypinyin's own dictionaries do; the desk runs
without pypinyin (a test and build dependency only)."""

from __future__ import annotations

import random
import subprocess
import sys
from functools import cache
from pathlib import Path

from pypinyin.contrib.tone_convert import to_normal
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

from adsdesk.assets import resource_path
from adsdesk.domain.pinyin_build import build
from adsdesk.domain.pinyin_table import TABLE_FILE
from adsdesk.store.search_text import normalise, pinyin_forms

LONGEST = max(map(len, phrases_dict))


@cache
def _plain(reading: str) -> str:
    return str(to_normal(reading))


def reference(name: str) -> tuple[str, str]:
    """(initials, full pinyin) straight from pypinyin's dictionaries: phrases longest first,
    left to right; other characters their first reading; ASCII letters and digits kept."""
    text = normalise(name)
    said: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(LONGEST, len(text) - i), 1, -1):
            found = phrases_dict.get(text[i : i + size])
            if found is not None:
                said += [_plain(r[0]) for r in found]
                i += size
                break
        else:
            reading = pinyin_dict.get(ord(text[i]))
            if reading is not None:
                said.append(_plain(reading.split(",", 1)[0]))
            elif text[i].isascii() and text[i].isalnum():
                said.append(text[i])
            i += 1
    return "".join(s[:1] for s in said), "".join(said)


def test_shipped_table_is_current_with_installed_pypinyin(tmp_path: Path) -> None:
    build(tmp_path)
    shipped = resource_path("pinyin", TABLE_FILE).read_bytes()
    assert (tmp_path / TABLE_FILE).read_bytes() == shipped, (
        f"{TABLE_FILE} 已过期：请运行 python -m adsdesk.domain.pinyin_build"
    )


def test_every_phrase_and_character_reads_as_pypinyin_says() -> None:
    for phrase in phrases_dict:
        assert pinyin_forms(phrase) == reference(phrase), phrase
    for cp in pinyin_dict:
        assert pinyin_forms(chr(cp)) == reference(chr(cp)), chr(cp)


def test_names_made_of_overlapping_phrases_read_as_pypinyin_says() -> None:
    """Greedy phrase matching: a phrase found first hides the phrases starting inside it."""
    rng = random.Random(3)
    phrases = sorted(phrases_dict)
    chars = [chr(cp) for cp in sorted(pinyin_dict)]
    for _ in range(20_000):
        parts = []
        for _ in range(rng.randint(1, 4)):
            pick = rng.random()
            if pick < 0.5:
                phrase = rng.choice(phrases)
                parts.append(phrase[rng.randint(0, len(phrase) - 1) :])  # a tail: overlaps
            elif pick < 0.9:
                parts.append(rng.choice(chars))
            else:
                parts.append(rng.choice(["A", "b", "7", " ", "·", "Ｃ", "（", "有限公司"]))
        name = "".join(parts)
        assert pinyin_forms(name) == reference(name), name


def test_the_desk_reads_pinyin_without_importing_pypinyin() -> None:
    code = (
        "import sys; from adsdesk.store.search_text import pinyin_forms, warm_up; warm_up(); "
        "assert 'pypinyin' not in sys.modules, 'pypinyin imported'; "
        "print(pinyin_forms('建设银行长城支行')[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (
        out.stdout.strip() == reference("建设银行长城支行")[1] == "jiansheyinhangchangchengzhixing"
    )
