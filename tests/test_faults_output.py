"""Output files on a full disk: whole or not at all, and the clerk is told the truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from faults import fill, run_adsdesk, tiny_disk
from pypdf import PdfReader

from adsdesk.cli import main

pytestmark = pytest.mark.sqlite_only  # about output files: run once, on the SQLite file

DATE = "2023-02-24"


def test_pdf_on_a_full_disk_leaves_nothing_and_says_disk_full(demo_db: Path, tmp_path, capsys):
    with tiny_disk(tmp_path / "disk") as disk:
        fill(disk, leave_kb=24)
        out = disk / "column.pdf"
        code = main(["export", "--db", str(demo_db), "--date", DATE, "--pdf", str(out)])
        said = capsys.readouterr()
        assert code != 0
        assert "已写出" not in said.out
        assert "磁盘已满" in said.err and str(disk) in said.err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no empty or partial file


def test_full_disk_never_replaces_a_good_older_file(demo_db: Path, tmp_path, capsys):
    with tiny_disk(tmp_path / "disk") as disk:
        out = disk / "column.pdf"
        assert main(["export", "--db", str(demo_db), "--date", DATE, "--pdf", str(out)]) == 0
        assert sorted(p.name for p in disk.iterdir()) == ["column.pdf"]  # no temporary left
        good = out.read_bytes()
        fill(disk, leave_kb=16)
        code = main(["export", "--db", str(demo_db), "--date", DATE, "--png", str(out)])
        assert code != 0
        assert "磁盘已满" in capsys.readouterr().err
        assert out.read_bytes() == good  # the earlier, whole file is still there
        assert "便民信息" in PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize("name", ["ads.xlsx", "ads.csv"])
def test_table_export_on_a_full_disk(demo_db: Path, tmp_path: Path, name: str, capsys):
    with tiny_disk(tmp_path / "disk") as disk:
        fill(disk, leave_kb=4)
        code = main(["export", "--db", str(demo_db), "--ads", str(disk / name)])
        said = capsys.readouterr()
        assert code != 0 and "已导出" not in said.out
        assert "磁盘已满" in said.err, said.err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # all three CSVs or none


def test_size_limit_mid_write_leaves_no_partial_file(demo_db: Path, tmp_path: Path):
    """A PDF cut short by a 64 KB file-size limit (no root needed) is refused, not left."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "column.pdf"
    args = ["export", "--db", str(demo_db), "--date", DATE, "--pdf", str(out)]
    done = run_adsdesk(*args, limit_bytes=64 * 1024)
    assert done.returncode != 0, done.stdout
    assert "已写出" not in done.stdout
    assert "没有写成" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert list(out_dir.iterdir()) == []


def test_a_pdf_missing_bytes_is_never_renamed_into_place(demo_db: Path, tmp_path: Path, capsys):
    """The check reads the written PDF back: a file with a stretch missing (a short write)
    is refused even though it starts and ends like a PDF."""
    from adsdesk.io.atomic import OutputError, write_atomic

    whole = tmp_path / "whole.pdf"
    assert main(["export", "--db", str(demo_db), "--date", DATE, "--pdf", str(whole)]) == 0
    data = whole.read_bytes()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "column.pdf"
    with pytest.raises(OutputError, match="没有写成"):
        write_atomic(out, lambda tmp: tmp.write_bytes(data[:4000] + data[9000:]))
    assert list(folder.iterdir()) == []
    write_atomic(out, lambda tmp: tmp.write_bytes(data))
    assert out.read_bytes() == data
