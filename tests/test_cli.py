"""The command line: phone and check as JSON, demo, backup/restore, one-sentence errors."""

from __future__ import annotations

import argparse
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from adsdesk.cli import main
from adsdesk.store.database import close_db


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = main(list(args))
    close_db()
    out, err = capsys.readouterr()
    return code, out, err


def test_phone_json_fields_and_verdicts(capsys) -> None:
    code, out, _ = run(
        capsys,
        "phone",
        "1390352849",
        "１３９０３５２８４９５",
        "+86 139 0352 8495",
        "5105678",
        "--json",
    )
    data = json.loads(out)
    assert code == 1  # one number is wrong
    for item in data:
        assert {
            "input",
            "valid",
            "reason",
            "e164",
            "display",
            "kind",
            "region",
            "carrier",
            "local",
        } <= set(item)
    bad, full, plus, local = data
    assert not bad["valid"] and "10位" in bad["reason"]
    assert full["valid"] and full["e164"] == plus["e164"] == "+8613903528495"
    assert full["kind"] == "mobile" and full["carrier"] == "中国移动"
    assert local["valid"] and local["kind"] == "landline" and local["local"] is True
    assert local["region"].endswith("大同市")


def test_check_json_exit_codes(capsys, monkeypatch, tmp_path: Path) -> None:
    ad = tmp_path / "ad.txt"
    ad.write_text("全市最好的纱窗，联系电话:18911267373", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(ad), "--json")
    data = json.loads(out)
    assert code == 0
    assert [p["display"] for p in data["phones"]] == ["18911267373"]
    assert data["phones"][0]["start"] == ad.read_text(encoding="utf-8").index("189")
    assert any(f["level"] == "warn" and "最好" in f["message"] for f in data["findings"])

    code, out, _ = run(
        capsys, "check", "-", "--json", stdin="国家级工艺 电话 1390352849", monkeypatch=monkeypatch
    )
    data = json.loads(out)
    assert code == 1
    rules = {f["rule"] for f in data["findings"]}
    assert "phone.invalid" in rules and "adlaw.superlative.banned" in rules
    for f in data["findings"]:
        assert set(f) >= {"rule", "level", "start", "end", "message"}


def test_check_gb18030_file_and_category(capsys, tmp_path: Path) -> None:
    ad = tmp_path / "ad.txt"
    ad.write_bytes("招聘保洁员，限女性优先，电话 13903528495".encode("gb18030"))
    code, out, _ = run(capsys, "check", str(ad), "--category", "招聘", "--json")
    assert code == 1
    assert any(f["rule"] == "recruit.discrimination" for f in json.loads(out)["findings"])


@pytest.mark.parametrize(
    "args",
    [
        ("check", "/no/such/file.txt"),
        ("phone",),
        ("frobnicate",),
        ("phone", "139", "--area-code", "abc"),
    ],
)
def test_bad_input_is_one_sentence_exit_2(capsys, args) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in err and err.strip().count("\n") == 0 and err.startswith("adsdesk: ")


def test_foreign_database_is_refused_untouched(capsys, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database at all")
    before = path.read_bytes()
    code, _, err = run(capsys, "demo", "--no-gui", "--db", str(path))
    assert code == 2 and "不是 adsdesk 数据库" in err
    assert path.read_bytes() == before


def test_demo_backup_restore(capsys, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    code, out, _ = run(capsys, "demo", "--no-gui", "--db", str(db))
    assert code == 0 and "13" in out
    code, out, _ = run(capsys, "demo", "--no-gui", "--db", str(db))  # idempotent
    assert code == 0
    assert sqlite3.connect(db).execute("select count(*) from ad").fetchone()[0] == 13
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "backup", str(copy), "--db", str(db))
    assert code == 0 and copy.exists()
    con = sqlite3.connect(db)
    con.execute("delete from insertion")
    con.execute("delete from ad")
    con.commit()
    con.close()
    code, out, err = run(capsys, "restore", str(copy), "--db", str(db))
    assert code == 0, err
    assert sqlite3.connect(db).execute("select count(*) from ad").fetchone()[0] == 13


def test_installed_programs_console_and_desk_launcher() -> None:
    """`adsdesk` is a console program (output visible on Windows); `adsdesk-desk` the window."""
    import importlib
    import subprocess
    import sys
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    scripts = project["project"]["scripts"]
    gui_scripts = project["project"]["gui-scripts"]
    assert scripts["adsdesk"] == "adsdesk.cli:main"
    assert "adsdesk" not in gui_scripts
    module, _, func = gui_scripts["adsdesk-desk"].partition(":")
    assert callable(getattr(importlib.import_module(module), func))
    # the console program prints; the launcher survives a missing console (no stderr)
    code = (
        "import sys; sys.stderr = None; sys.argv = ['adsdesk-desk', '--no-such-option'];"
        "from adsdesk.cli import desk; raise SystemExit(desk())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_phone_command_loads_neither_database_layer_nor_qt(tmp_path: Path) -> None:
    """`adsdesk phone` answers at the counter's pace: with no desk database it imports no
    database driver, no ORM and no Qt (what made it slow), yet checks exactly as before."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ADSDESK_DATA_DIR": str(tmp_path)}
    code = (
        "import sys, json\n"
        "from adsdesk.cli import main\n"
        "rc = main(['phone', '13935216688', '--json'])\n"
        "heavy = sorted(m for m in ('peewee', 'psycopg2', 'PySide6', 'openpyxl') "
        "if m in sys.modules)\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    *verdict, last = out.stdout.strip().splitlines()
    assert json.loads(last) == {"rc": 0, "heavy": []}
    assert json.loads("\n".join(verdict))[0]["carrier"] == "中国移动"


def test_help_and_a_mistyped_command_still_list_every_command(capsys) -> None:
    assert main(["phon", "1"]) == 2
    err = capsys.readouterr().err
    assert "没有 “phon” 这个命令" in err
    assert all(f"{name}、" in err for name in ("phone", "import", "export"))
    assert err.rstrip().endswith("verify。用 adsdesk --help 查看用法。")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("search",), "少写了 QUERY"),
        (("export", "--date"), "--date 后面要写一个值"),
        (("search", "大同", "--limit", "many"), "--limit 要写整数，“many” 不是"),
        (("report", "--by", "weekday"), "--by 不能是 “weekday”，可选：day、month、category"),
        (("export", "--date", "2023-02-24", "--frob"), "不认识的参数：--frob"),
        (("db", "frob"), "没有 “frob” 这个命令，可用的有：init、upgrade、copy、check"),
        (("user",), "少写了 ACTION"),
    ],
)
def test_a_mistyped_command_line_is_told_in_chinese(capsys, args, said) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith(f"adsdesk: 参数有误：{said}")
    assert not re.search(r"[a-z]{4,} [a-z]{3,}", err), err  # no English sentence left


def test_help_is_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["search", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：adsdesk search")
    assert "参数:" in out and "选项:" in out and "-h, --help           显示这段说明" in out
    assert "usage" not in out and "show this help" not in out and "options" not in out


def _parsers(parser, path=("adsdesk",)):
    """Every command's parser, with its command line."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def test_every_option_of_every_command_says_what_it_is_for() -> None:
    from adsdesk.cli import build_parser

    unexplained = [
        f"{' '.join(path)} {action.option_strings or action.metavar or action.dest}"
        for path, parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert unexplained == []


def test_help_lines_up_and_fits_the_terminal_with_chinese_in_it(capsys, monkeypatch) -> None:
    from adsdesk.cli_parser import display_width

    monkeypatch.setenv("COLUMNS", "62")  # argparse lays out for COLUMNS - 2 columns
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    # A Chinese metavar is two columns a character: its help starts where the others' do.
    start = {
        option: display_width(line[: line.index(help_text)])
        for option, help_text in (
            ("--map", "把其他表头"),
            ("--json", "以 JSON"),
            ("--dry-run", "只检查"),
        )
        for line in lines
        if line.lstrip().startswith(option)
    }
    assert start["--map"] == start["--json"] == start["--dry-run"] == 21
    # Wrapped by columns, not characters, between Chinese characters (there are no spaces);
    # a closing mark never opens a line: it may hang past the edge instead.
    assert all(display_width(line) <= 60 or line.endswith(("、", "，", "）")) for line in lines)
    assert max(map(display_width, lines)) <= 62
    assert "                     分类、客户、刊登日期、特批理由，或 忽略" in lines
    assert not any(line.lstrip().startswith(("，", "、", "）")) for line in lines)


@pytest.mark.parametrize("width", range(14, 41))
def test_a_word_glued_to_chinese_by_a_slash_never_opens_a_line(width: int) -> None:
    from adsdesk.cli_parser import display_width, wrap

    text = "角色（可多次给出或用逗号分隔）：受理员/clerk 主管/supervisor 排版/layout 财务/cashier"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert not any(line.startswith(("/", "，")) for line in lines), lines
    # (a closing mark may hang past the edge, as in print)
    assert all(display_width(line) <= width for line in lines if not line.endswith(("，", "：")))


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--pdf", "a", "--png", "b"], "--png 和 --pdf 不能一起用"),
        ([], "--pdf --png 要写其中一个"),
        (["--pdf", "a", "--scale", "big"], "--scale 要写数字，“big” 不是"),
        (["--pdf", "a", "--size", "210"], "--size 后面要写 2 个值"),
        (["--pdf", "a", "--li", "1"], "--li 不明确，可能是 --limit, --list"),
    ],
)
def test_every_kind_of_argparse_message_is_translated(args, said) -> None:
    from adsdesk.cli_parser import Parser
    from adsdesk.errors import UserError

    parser = Parser(prog="adsdesk export")
    either = parser.add_mutually_exclusive_group(required=True)
    either.add_argument("--pdf")
    either.add_argument("--png")
    parser.add_argument("--scale", type=float)
    parser.add_argument("--size", nargs=2)
    parser.add_argument("--limit")
    parser.add_argument("--list")
    with pytest.raises(UserError) as refused:
        parser.parse_args(args)
    assert str(refused.value) == f"参数有误：{said}。用 adsdesk --help 查看用法。"


@pytest.mark.parametrize(
    "args",
    [
        ("search", "大同"),
        ("audit",),
        ("report", "--from", "2023-02-01", "--to", "2023-02-28"),
        ("cashup",),
        ("export", "--date", "2023-02-24", "--pdf", "out.pdf"),
        ("runs", "ending"),
        ("ratecard", "list"),
        ("user", "list"),
        ("reindex",),
    ],
)
def test_a_mistyped_database_path_is_refused_not_made_empty(capsys, tmp_path: Path, args) -> None:
    missing = tmp_path / "adsdesk-typo.sqlite3"
    code, out, err = run(capsys, *args, "--db", str(missing))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"adsdesk: 数据库文件 {missing} 不存在：请检查 --db 的路径（新建受理台用 adsdesk db init）。"
    )
    assert not missing.exists()  # no empty desk answering "0 ads"


def test_the_database_named_before_the_command_is_the_one_used(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    """``adsdesk --db FILE COMMAND`` works on FILE, as the usage line shows, not on the desk
    in the user data folder (the command's own --db, left out, used to override it)."""
    db = tmp_path / "desk.sqlite3"
    assert run(capsys, "--db", str(db), "demo", "--no-gui")[0] == 0
    code, out, err = run(capsys, "--db", str(db), "search", "和平医院", "--json")
    assert code == 0, err
    assert json.loads(out)["advertisers"][0]["name"] == "大同和平医院"
    code, out, err = run(
        capsys,
        "--db",
        str(db),
        "user",
        "add",
        "--role",
        "clerk",
        "zhaoming",
        stdin="secret1\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert "zhaoming" in run(capsys, "user", "list", "--db", str(db))[1]
    default = tmp_path / "data"  # (the user data folder, see conftest)
    assert not any(default.glob("*.sqlite3"))  # nothing went to a desk there
    missing = tmp_path / "typo.sqlite3"
    code, out, err = run(capsys, "--db", str(missing), "search", "和平")
    assert code == 2 and "不存在" in err and not missing.exists()
