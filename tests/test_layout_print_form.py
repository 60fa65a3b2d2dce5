"""The column prints each phone in the form the editor shows, never broken over two lines."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from pypdf import PdfReader

from adsdesk.cli import main
from adsdesk.store import ads as ads_store
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.store.database import close_db, init_db

DAY = dt.date(2023, 3, 6)


def test_a_phone_typed_with_spaces_prints_in_its_print_form_on_one_line(
    tmp_path: Path, capsys
) -> None:
    db = tmp_path / "desk.sqlite3"
    init_db(db)
    # the same number after lead-ins of every length, so in one of them it meets a line end
    for n in range(14):
        ads_store.save_ad(
            AdDraft(
                category="房屋出租",
                title=f"出租{n}",
                body="精" * n + "装修两室拎包入住联系电话 139 3521 6688 微信同号",
                phones=[PhoneEntry("+8613935216688", "13935216688")],
                dates=[DAY],
            )
        )
    close_db()
    pdf = tmp_path / "col.pdf"
    assert main(["export", "--db", str(db), "--date", DAY.isoformat(), "--pdf", str(pdf)]) == 0
    close_db()
    lines = [
        line
        for page in PdfReader(pdf).pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]
    text = "\n".join(lines)
    assert "139 3521" not in text and "3521 6688" not in text
    assert sum("13935216688" in line for line in lines) == 14, text
    # no line ends with the start of the number while the next starts with its rest
    for a, b in itertools.pairwise(lines):
        assert not (a.rstrip().endswith("139") and b.lstrip().startswith("3521")), (a, b)
