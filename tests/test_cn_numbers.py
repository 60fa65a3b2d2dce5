"""China's shipped place/carrier table says what phonenumbers says, and the CLI shows what the editor shows."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from conftest import type_text
from phonenumbers import carrier, geocoder
from phonenumbers.geodata import GEOCODE_DATA

from adsdesk.assets import resource_path
from adsdesk.domain.cn_numbers_build import build
from adsdesk.domain.phone_data import (
    area_codes,
    carrier_of,
    carrier_of_valid,
    place_of,
    place_of_valid,
)


def test_shipped_table_is_current_with_installed_phonenumbers(tmp_path: Path) -> None:
    build(tmp_path)
    for name in ("prefixes.dat", "names.json"):
        shipped = resource_path("cn_numbers", name).read_bytes()
        assert (tmp_path / name).read_bytes() == shipped, (
            f"{name} 已过期：请运行 python -m adsdesk.domain.cn_numbers_build"
        )


def _sample_numbers() -> list[str]:
    """Mobiles under a sample of geocoded prefixes, every area code's landlines, odd numbers."""
    rng = random.Random(10)
    keys = sorted(k for k in GEOCODE_DATA if k.startswith("861"))
    out = [
        "+86" + k[2:] + "".join(rng.choice("0123456789") for _ in range(13 - len(k)))
        for k in rng.sample(keys, 1500)
    ]
    for code in area_codes():
        for fill in ("2041234", "55512345", "8765432"):
            out.append("+86" + code[1:] + fill)
    out += ["+864008001234", "+868008101234", "+8614512345678", "+8619212345678", "+86110"]
    out += ["+8617012345678", "+8616212345678", "+86106912345678"]
    return out


def test_places_and_carriers_agree_with_phonenumbers() -> None:
    checked = 0
    for text in _sample_numbers():
        num = phonenumbers.parse(text, None)
        assert place_of(num) == geocoder.description_for_number(num, "zh"), text
        assert carrier_of(num) == carrier.name_for_number(num, "zh"), text
        if phonenumbers.is_valid_number(num):
            assert place_of_valid(num) == geocoder.description_for_valid_number(num, "zh")
            assert carrier_of_valid(num) == carrier.name_for_valid_number(num, "zh")
            checked += 1
    assert checked > 1500  # most of the sample are real numbers, not only the empty answers


@pytest.mark.parametrize(
    ("number", "place", "carrier_name"),
    [("13935216688", "山西省大同市", "中国移动"), ("18911267373", "北京市", "中国电信")],
)
def test_cli_shows_what_the_editor_shows(qtbot, demo_desk, number, place, carrier_name) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.getcwd(), env.get("PYTHONPATH")) if p)
    cli = subprocess.run(
        [sys.executable, "-m", "adsdesk", "phone", number, "--area-code", "0352", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    (answer,) = json.loads(cli.stdout)
    assert (answer["region"], answer["carrier"]) == (place, carrier_name)

    editor = demo_desk.editor
    editor.clear_for_new()
    type_text(qtbot, editor.body, "电话" + number)
    qtbot.waitUntil(lambda: editor.verdicts.states() == ["valid"])
    (shown,) = editor.verdicts.texts()
    assert answer["display"] in shown and place in shown and carrier_name in shown
