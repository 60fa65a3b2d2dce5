"""``adsdesk import``: text split into ads, tables checked row by row, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

from test_io_tables import write_csv, write_xlsx

from adsdesk.assets import resource_path
from adsdesk.cli import main
from adsdesk.store.ads import list_ads
from adsdesk.store.database import close_db, init_db

HEADER = ["标题", "正文", "电话", "分类", "客户", "刊登日期"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    close_db()
    out, err = capsys.readouterr()
    return code, out, err


def _ads(db: Path) -> list:
    init_db(db)
    try:
        return sorted(list_ads(), key=lambda a: a.id)
    finally:
        close_db()


def test_sample_column_as_text(capsys, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    md = tmp_path / "column.md"
    shutil.copy(resource_path("samples", "bianmin-2023-02-24.md"), md)
    expected = json.loads(
        resource_path("samples", "bianmin-2023-02-24.json").read_text(encoding="utf-8")
    )["ads"]

    code, out, _ = run(capsys, "import", str(md), "--db", str(db), "--dry-run", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["imported"], data["rejected"]) == (0, [])
    assert data["masthead"] == {"title": "便民信息", "hotlines": ["5105678", "2023122"]}
    assert [d["phones"] for d in data["drafts"]] == [a["phones"] for a in expected]
    for draft in data["drafts"]:
        assert set(draft) >= {"title", "body", "phones", "category", "problems"}
    assert _ads(db) == []  # a dry run saves nothing

    code, out, _ = run(capsys, "import", str(md), "--db", str(db), "--date", "2023-02-24",
                       "--date", "2023-02-25", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["imported"] == 13
    ads = _ads(db)
    assert len(ads) == 13
    assert {a.dates for a in ads} == {(dt.date(2023, 2, 24), dt.date(2023, 2, 25))}
    assert ads[3].phones == tuple(expected[3]["phones"])


def _bad_csv(tmp_path: Path) -> Path:
    rows = [
        HEADER,
        ["纱窗", "厂家直供，电话18911267373", "", "家居服务", "纱窗厂", "2023-02-24"],
        ["出售", "电话 1390352849", "", "", "", "2023-02-24"],
        ["和平医院", "体检中心 0352-5393120", "", "医疗体检", "", "2023-02-24"],
        ["养老", "国家级护理 13903528495", "", "养老服务", "", "2023-02-24"],
    ]
    return write_csv(tmp_path / "ads.csv", rows, "gb18030")


def test_bad_rows_import_nothing_unless_skip_bad(capsys, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    path = _bad_csv(tmp_path)
    code, out, _ = run(capsys, "import", str(path), "--db", str(db), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["imported"] == 0
    assert [r["row"] for r in data["rejected"]] == [3, 5]
    assert "1390352849" in data["rejected"][0]["reason"]
    assert "国家级" in data["rejected"][1]["reason"]
    assert len(data["drafts"]) == 4
    # the hospital's missing approval number is a warning: shown, never a reason to refuse
    hospital = data["drafts"][2]
    assert [p["level"] for p in hospital["problems"]] == ["warn"]
    assert _ads(db) == []

    code, out, _ = run(capsys, "import", str(path), "--db", str(db))
    assert code == 1 and "第 3 行" in out and "--skip-bad" in out

    code, out, _ = run(capsys, "import", str(path), "--db", str(db), "--skip-bad", "--json")
    assert code == 0 and json.loads(out)["imported"] == 2
    assert [a.title for a in _ads(db)] == ["纱窗", "和平医院"]


def test_unknown_headers_and_the_map_option(capsys, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    path = write_xlsx(
        tmp_path / "odd.xlsx", [["文案", "联系方式"], ["开锁换锁 5021234", "5021234"]]
    )
    code, _, err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 2 and "--map" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "import", str(path), "--db", str(db), "--map", "文案=正文",
                       "--map", "联系方式=电话", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["imported"] == 1
    assert data["drafts"][0]["phones"] == ["5021234"]


def test_broken_files_give_one_sentence(capsys, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    full = write_xlsx(tmp_path / "full.xlsx", [HEADER, ["出售", "电话13903528495"]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full.read_bytes()[:700])
    noise = tmp_path / "noise.csv"
    noise.write_bytes(random.Random(3).randbytes(2048))
    for path in (cut, noise, tmp_path / "missing.csv", tmp_path / "ads.pdf"):
        if path.suffix == ".pdf":
            path.write_bytes(b"%PDF-1.4")
        code, out, err = run(capsys, "import", str(path), "--db", str(db))
        assert code == 2, path
        assert out == ""
        assert err.startswith("adsdesk: ") and err.count("\n") == 1, err
        assert "Traceback" not in err
    code, _, err = run(capsys, "import", str(noise), "--date", "2023-2-30", "--db", str(db))
    assert code == 2 and "2023-2-30" in err
