"""``adsdesk search`` / ``adsdesk reindex`` on the command line, and the search benchmark."""

from __future__ import annotations

import json
from pathlib import Path

from adsdesk.cli import main
from adsdesk.store.database import close_db


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    close_db()
    out, err = capsys.readouterr()
    return code, out, err


def demo(capsys, db: Path) -> None:
    assert run(capsys, "demo", "--no-gui", "--db", str(db))[0] == 0


def test_search_json_shape(capsys, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    code, out, _ = run(capsys, "search", "0352-5393120", "--db", str(db), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"query", "total", "ads", "advertisers"}
    assert data["query"] == "0352-5393120" and data["total"] == 2
    for ad in data["ads"]:
        assert set(ad) == {"id", "title", "snippet", "category", "dates"}
        assert ad["category"] == "医疗体检" and ad["dates"] == ["2023-02-24"]
        assert "【0352-5393120】" in ad["snippet"]
    [adv] = data["advertisers"]
    assert adv["name"] == "大同和平医院" and adv["ad_count"] == 2
    assert adv["phones"] == ["0352-5393120"] and adv["last_date"] == "2023-02-24"
    assert adv["matched"] == "phone"


def test_search_filters_and_limit(capsys, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    base = ("--db", str(db), "--json")
    data = json.loads(run(capsys, "search", "出售", "--category", "房屋出售", *base)[1])
    assert data["total"] == 3  # 房屋出售, 出售, 出售 — not 特价售房 / 售房
    data = json.loads(run(capsys, "search", "平米", "--limit", "1", *base)[1])
    assert data["total"] == 3 and len(data["ads"]) == 1
    data = json.loads(run(capsys, "search", "平米", "--from", "2023-03-01", *base)[1])
    assert data["total"] == 0 and data["ads"] == []
    data = json.loads(
        run(capsys, "search", "平米", "--from", "2023-02-24", "--to", "2023-02-24", *base)[1]
    )
    assert data["total"] == 3
    assert json.loads(run(capsys, "search", "dthp", *base)[1])["advertisers"][0]["name"] == (
        "大同和平医院"
    )


def test_search_text_output(capsys, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    code, out, _ = run(capsys, "search", "纱窗", "--db", str(db))
    assert code == 0
    assert "找到 1 则广告" in out and "纱窗加工安装" in out


def test_search_bad_input_is_one_sentence(capsys, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    for args, words in (
        (("--from", "2023-13-01"), "不对，应写成 2023-02-24"),
        (("--category", "不存在"), "没有“不存在”这个分类"),
        (("--limit", "0"), "--limit"),
        (("--from", "2023-03-01", "--to", "2023-02-01"), "晚于"),
    ):
        code, out, err = run(capsys, "search", "和平", "--db", str(db), *args)
        assert code == 2 and out == ""
        assert words in err and "Traceback" not in err and err.count("\n") == 1


def test_reindex_command(capsys, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO search_ad_gram (search_ad_gram) VALUES ('delete-all')")
    con.commit()
    con.close()
    assert json.loads(run(capsys, "search", "体检", "--db", str(db), "--json")[1])["total"] == 0
    code, out, _ = run(capsys, "reindex", "--db", str(db))
    assert code == 0 and "13 则广告" in out
    assert json.loads(run(capsys, "search", "体检", "--db", str(db), "--json")[1])["total"] == 2


def test_synthetic_corpus_and_benchmark_figures() -> None:
    from adsdesk.bench.search import KINDS, bench_search
    from adsdesk.bench.synth import ensure_synth_db
    from adsdesk.domain.phone_check import check_phone
    from adsdesk.store.database import init_db
    from adsdesk.store.models import AdPhone, Category
    from adsdesk.store.search import search_ad_ids

    figures = bench_search(400, per_kind=5, scan_per_kind=2)
    assert figures["ads"] == 400 and not figures["build_reused"]
    assert set(figures["search_ms"]) == set(KINDS) == set(figures["scan_ms"])
    assert set(figures["search_cpu_ms"]) == set(KINDS) == set(figures["scan_cpu_ms"])
    for kind in KINDS:
        assert {"p50", "p95", "n"} <= set(figures["search_ms"][kind])
        assert figures["speedup_cpu_scan_p50_over_search_p95"][kind] >= 0
    # beside the capped LIKE, the scan listing every hit (all kinds but pinyin)
    assert set(figures["full_scan_ms"]) == set(KINDS) - {"pinyin"}
    assert all(v > 0 for v in figures["speedup_full_scan_p50_over_search_p95"].values())
    assert len(figures["load_avg_1min"]) == 2
    assert figures["scan_mismatches"] == []
    assert figures["rss_mb"] > 0

    info = ensure_synth_db(400)
    assert info.reused
    init_db(info.path)
    try:
        assert Category.select().count() >= 10
        for phone in AdPhone.select().limit(60):
            check = check_phone(phone.display, "0352")
            assert check.valid and check.e164 == phone.e164, phone.display
        assert search_ad_ids("平米")
    finally:
        close_db()


def test_search_by_advertiser_pinyin_lists_their_ads(capsys, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    demo(capsys, db)
    out = json.loads(run(capsys, "search", "dthp", "--db", str(db), "--json")[1])
    assert [a["name"] for a in out["advertisers"]] == ["大同和平医院"]
    assert out["total"] == 2 and len(out["ads"]) == 2
    assert {a["category"] for a in out["ads"]} == {"医疗体检"}
    # the filters still hold for them
    out = json.loads(
        run(capsys, "search", "dthp", "--on", "2023-03-01", "--db", str(db), "--json")[1]
    )
    assert out["total"] == 0


def test_benchmark_on_a_given_database_copies_the_corpus_once(db_target) -> None:
    import pytest

    from adsdesk.bench.search import KINDS, bench_search
    from adsdesk.errors import UserError

    first = bench_search(300, per_kind=3, scan_per_kind=1, db=str(db_target))
    assert first["backend"] == ("sqlite" if isinstance(db_target, Path) else "postgresql")
    assert not first["build_reused"] and first["scan_mismatches"] == []
    assert set(first["search_ms"]) == set(KINDS)
    if first["backend"] == "postgresql":  # the settings the server's figures depend on
        assert {"shared_buffers_mb", "autovacuum", "database_mb"} <= set(first["server"])
    again = bench_search(300, per_kind=3, scan_per_kind=1, db=str(db_target))
    assert again["build_reused"] and again["scan_mismatches"] == []
    with pytest.raises(UserError, match="合成基准库"):  # never over a desk holding other data
        bench_search(400, per_kind=3, scan_per_kind=1, db=str(db_target))


def test_benchmark_on_a_database_measures_only_what_runs_there(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "bench", "--db", str(tmp_path / "b.sqlite3"), "--only", "layout")
    assert code != 0 and "--db" in err and "layout" in err
