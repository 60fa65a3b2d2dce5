"""Build ``resources/cn_numbers/`` — China's place and carrier tables — from phonenumbers' data.

Run ``python -m adsdesk.domain.cn_numbers_build`` after upgrading phonenumbers; the tests
compare the table with phonenumbers' geocoder and carrier, so a stale table fails CI.
"""

from __future__ import annotations

import json
from pathlib import Path

from adsdesk.assets import resource_path
from adsdesk.domain.cn_numbers import KEY_WIDTH, NAMES_FILE, RECORD, TABLE_FILE


def _zh(langs: dict[str, str]) -> str | None:
    from phonenumbers.prefix import _find_lang

    name = _find_lang(langs, "zh", None, None)
    return None if name is None else str(name)


def build(out: Path) -> None:
    """Write the prefix table and its list of names into ``out``."""
    from phonenumbers.carrierdata import CARRIER_DATA
    from phonenumbers.geodata import GEOCODE_DATA
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: list[str] = []
    index: dict[str, int] = {}
    records: list[bytes] = []
    for kind, data in (("g", GEOCODE_DATA), ("c", CARRIER_DATA)):
        for prefix, langs in data.items():
            name = _zh(langs) if prefix.startswith("86") else None
            if name is None:
                continue
            if name not in index:
                index[name] = len(names)
                names.append(name)
            key = (kind + prefix[2:]).ljust(KEY_WIDTH, ".")
            records.append(key.encode("ascii") + b"%04d" % index[name])
    records.sort()
    assert all(len(r) == RECORD for r in records)
    out.mkdir(parents=True, exist_ok=True)
    (out / TABLE_FILE).write_bytes(b"".join(records))
    country = str(LOCALE_DATA["CN"]["zh"])
    doc = {"country": country, "names": names}
    (out / NAMES_FILE).write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", "utf-8")


if __name__ == "__main__":
    build(resource_path("cn_numbers"))
