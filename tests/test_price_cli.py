"""``adsdesk price`` and ``adsdesk ratecard``: JSON fields, the database's card, bad cards."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import run
from test_pricing import ISSUE_CARD

from adsdesk.assets import resource_path

FIELDS = {
    "card",
    "category",
    "unit",
    "chars",
    "lines",
    "units",
    "per_run_fen",
    "surcharges",
    "runs",
    "paid_runs",
    "discount_percent",
    "total_fen",
}


def test_price_json_from_a_card_file(capsys, monkeypatch, tmp_path: Path) -> None:
    card = tmp_path / "card.toml"
    card.write_text(ISSUE_CARD, encoding="utf-8")
    text = "房屋出售\n东信广场两室一厅南北通透精装修拎包入住价格面议13912345678\n"
    code, out, _ = run(
        capsys,
        "price",
        "-",
        "--card",
        str(card),
        "--category",
        "房屋出售",
        "--runs",
        "3",
        "--surcharge",
        "加急",
        "--json",
        stdin=text,
        monkeypatch=monkeypatch,
    )
    data = json.loads(out)
    assert code == 0 and FIELDS <= set(data)
    # title 1 line + body 29 chars (23 Chinese + 6 for 11 digits) → 3 lines = 4 lines × 50.00;
    # 3 runs with 刊一赠一 → 2 paid; +30 % → 200 × 2 × 1.3 = 520.00
    assert (data["lines"], data["per_run_fen"], data["paid_runs"]) == (4, 20000, 2)
    assert data["surcharges"] == [{"name": "加急", "percent": 30}]
    assert data["total_fen"] == 52000


def test_price_items_corrected_on_the_command_line(capsys, monkeypatch, tmp_path: Path) -> None:
    card = tmp_path / "card.toml"
    card.write_text(ISSUE_CARD, encoding="utf-8")
    code, out, _ = run(
        capsys,
        "price",
        "--card",
        str(card),
        "--category",
        "遗失声明",
        "--item",
        "身份证=2",
        "--json",
        stdin="张三遗失营业执照正本，声明作废。",
        monkeypatch=monkeypatch,
    )
    data = json.loads(out)
    assert code == 0
    assert (data["unit"], data["units"], data["total_fen"]) == ("item", 3, 30000 + 2 * 15000)


def test_bad_card_is_one_sentence_exit_2(capsys, monkeypatch, tmp_path: Path) -> None:
    for body, key in [
        ('[[rates]]\ncategory = "*"\nunit = "page"\nprice = "1"', "unit"),
        ('[[rates]]\ncategory = "*"\nunit = "line"\nprice = "-1.00"', "price"),
        ("[[rates]\n", "TOML"),
    ]:
        card = tmp_path / "bad.toml"
        card.write_text(f'name = "x"\neffective = 2024-01-01\n{body}\n', encoding="utf-8")
        code, out, err = run(
            capsys, "price", "--card", str(card), stdin="修纱窗", monkeypatch=monkeypatch
        )
        assert code == 2 and out == ""
        assert key in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ratecard_import_export_and_price_from_the_database(
    capsys, monkeypatch, tmp_path: Path, db_target
) -> None:
    db = str(db_target)
    code, _, err = run(capsys, "price", "--db", db, stdin="修纱窗", monkeypatch=monkeypatch)
    if not db.startswith("postgresql"):  # a file that is not there yet: not made empty
        assert code == 2 and "不存在" in err and not Path(db).exists()
        assert run(capsys, "db", "init", db)[0] == 0
        code, _, err = run(capsys, "price", "--db", db, stdin="修纱窗", monkeypatch=monkeypatch)
    assert code == 2 and "ratecard import" in err  # a desk with no card: import one
    default = resource_path("ratecards", "default.toml")
    assert run(capsys, "ratecard", "import", str(default), "--db", db)[0] == 0
    out_file = tmp_path / "out.toml"
    assert run(capsys, "ratecard", "export", str(out_file), "--db", db)[0] == 0
    assert out_file.read_text(encoding="utf-8") == default.read_text(encoding="utf-8")
    code, out, _ = run(
        capsys,
        "price",
        "--db",
        db,
        "--category",
        "家居服务",
        "--json",
        stdin="修纱窗",
        monkeypatch=monkeypatch,
    )
    # the default card: 2 lines minimum at 50.00
    assert code == 0 and json.loads(out)["total_fen"] == 10000
    # a newer card for 家居服务 only takes over from its effective date
    newer = tmp_path / "newer.toml"
    newer.write_text(
        'name = "家居 2025"\neffective = 2025-01-01\ncategory = "家居服务"\n'
        '[[rates]]\ncategory = "家居服务"\nunit = "flat"\nprice = "80"\n',
        encoding="utf-8",
    )
    assert run(capsys, "ratecard", "import", str(newer), "--db", db)[0] == 0
    for day, total in [("2024-12-31", 10000), ("2025-01-01", 8000)]:
        code, out, _ = run(
            capsys,
            "price",
            "--db",
            db,
            "--category",
            "家居服务",
            "--date",
            day,
            "--json",
            stdin="修纱窗",
            monkeypatch=monkeypatch,
        )
        assert json.loads(out)["total_fen"] == total
