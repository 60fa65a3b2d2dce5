"""Moving a desk between databases (an SQLite file and a server, either way) and checking one.

``copy_database`` copies every table of the desk, in foreign-key order and in one transaction
on the target, then rebuilds the target's search index and verifies the copy: the same number
of rows in every table and the same checksum over every ad (text, category, advertiser,
phones, dates). ``check_database`` reports schema version, counts and whether the search
index agrees with the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from adsdesk.store.audit import clear_setup_records
from adsdesk.store.backend import is_postgres
from adsdesk.store.database import StoreError, redact

Progress = Callable[[str, int, int], None]  # table, rows copied, rows in it
_BATCH = 20_000
PARALLEL_FROM = 50_000  # a desk this big is copied with helper processes (checksum, index)
# Derived tables the target builds itself (search index), and the schema's own record.
_SKIP_PREFIXES = ("search_", "sqlite_")
_SKIP = {"meta_info"}
APPEND_ONLY = {"audit_record"}  # a trigger refuses to change or delete its rows
INDEX_STEP = "搜索索引"  # progress steps after the tables (rows 0 of 1, then 1 of 1)
CHECK_STEP = "核对"


@dataclass
class CopyReport:
    source: str
    target: str
    tables: dict[str, int] = field(default_factory=dict)  # rows copied per table
    ads_checksum: str = ""
    seconds: float = 0.0
    load_s: float = 0.0  # rows copied (and, on a server, the tables' indexes built again)
    index_s: float = 0.0  # the search index built on the target
    verify_s: float = 0.0  # counts and checksums compared


def _tables(database: Database) -> list[str]:
    """The desk's tables in an order where every referenced table comes first."""
    names = [
        t
        for t in database.get_tables()
        if t not in _SKIP and not t.startswith(_SKIP_PREFIXES) and not t.endswith("_fts")
    ]
    deps = {t: {fk.dest_table for fk in database.get_foreign_keys(t)} for t in names}
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(t: str) -> None:
        if t in seen:
            return
        seen.add(t)
        for d in sorted(deps.get(t, ())):
            if d in deps and d != t:
                visit(d)
        ordered.append(t)

    for t in sorted(names):
        visit(t)
    return ordered


def _columns(database: Database, table: str) -> list[tuple[str, str]]:
    return [(c.name, c.data_type.lower()) for c in database.get_columns(table)]


def _adapt(value: Any) -> Any:
    """A value from the source as the SQLite target stores it."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _rows(database: Database, table: str, cols: list[str]) -> Iterator[list[tuple[Any, ...]]]:
    quoted = ", ".join(f'"{c}"' for c in cols)
    cursor = database.execute_sql(f'SELECT {quoted} FROM "{table}"')
    while batch := cursor.fetchmany(_BATCH):
        yield batch


def _insert(database: Database, table: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
    quoted = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    database.cursor().executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def _count(database: Database, table: str) -> int:
    return int(database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def ads_checksum(database: Database) -> str:
    """One SHA-256 over every ad in id order: text, category, advertiser, phones, dates."""
    digest = hashlib.sha256()
    phones: dict[int, list[str]] = {}
    for ad_id, e164 in database.execute_sql(
        "SELECT ad_id, e164 FROM ad_phone ORDER BY ad_id, position, e164"
    ):
        phones.setdefault(ad_id, []).append(e164)
    dates: dict[int, list[str]] = {}
    for ad_id, day in database.execute_sql(
        "SELECT ad_id, CAST(date AS TEXT) FROM insertion ORDER BY ad_id, date"
    ):
        dates.setdefault(ad_id, []).append(str(day)[:10])
    cursor = database.execute_sql(
        "SELECT id, title, body, category_id, advertiser_id FROM ad ORDER BY id"
    )
    while batch := cursor.fetchmany(_BATCH):
        for ad_id, title, body, cat, adv in batch:
            line = "\x1f".join(
                [
                    str(ad_id),
                    title or "",
                    body or "",
                    str(cat),
                    str(adv),
                    ",".join(phones.get(ad_id, [])),
                    ",".join(dates.get(ad_id, [])),
                ]
            )
            digest.update(line.encode() + b"\x1e")
    return digest.hexdigest()


def _open(target: str) -> Database:
    from adsdesk.store.database import init_db

    return init_db(target)


def copy_database(source: str, target: str, progress: Progress | None = None) -> CopyReport:
    """Copy the desk at ``source`` into the new, empty desk database ``target``.

    Raises StoreError (nothing is kept on the target) when the target already holds ads or
    the verification finds a difference.
    """
    import time

    from adsdesk.store.database import close_db

    started = time.perf_counter()
    report = CopyReport(redact(source), redact(target))
    src = _open(source)
    tables = _tables(src)
    plan = {t: (_columns(src, t), _count(src, t)) for t in tables}
    close_db()
    dst = _open(target)
    if _count(dst, "ad"):
        raise StoreError(
            f"{redact(target)} 里已经有广告；db copy 只复制到新建的空库，未做任何改动。"
        )
    big = plan.get("ad", ([], 0))[1] >= PARALLEL_FROM
    with ExitStack() as stack:
        # A big desk: the source's checksum is taken by a helper process meanwhile.
        source_sum = _checksum_beside(stack, source) if big else None
        _copy_into(src, dst, tables, plan, report, progress, source_sum, workers=int(big))
    if is_postgres(dst):
        # Vacuumed now, not when autovacuum gets round to it (or never, where it is off): the
        # visibility map lets the lists and searches read indexes without visiting the rows.
        dst.execute_sql("VACUUM (ANALYZE)")
    report.seconds = round(time.perf_counter() - started, 1)
    src.close()
    return report


def _copy_into(
    src: Database,
    dst: Database,
    tables: list[str],
    plan: dict[str, tuple[list[tuple[str, str]], int]],
    report: CopyReport,
    progress: Progress | None,
    source_sum: Future[str] | None,
    workers: int,
) -> None:
    import time

    started = time.perf_counter()
    to_postgres = is_postgres(dst)
    with dst.atomic():
        present = set(dst.get_tables())
        for t in tables:
            if t not in present:
                raise StoreError(f"目标库缺少表 {t}（版本不一致？），未做任何改动。")
        if not clear_setup_records(dst):  # (a new desk's record of its default categories goes)
            raise StoreError(
                "目标库已有操作记录（不只是建库时写下的默认分类）；db copy 只复制到新建的空库，"
                "未做任何改动。"
            )
        # Rows the schema steps made (defaults) give way. On a server the tables are emptied
        # with TRUNCATE, so that COPY may write their rows frozen (visible to all, no vacuum
        # needed); the audit's append-only records are never truncated (they would refuse).
        emptied = [t for t in tables if t not in APPEND_ONLY] if to_postgres else []
        if emptied:
            dst.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in emptied))
        for t in reversed(_tables(dst)):
            if t in plan and t not in emptied and _count(dst, t):
                dst.execute_sql(f'DELETE FROM "{t}"')
        with _loading(dst, tables):
            for t in tables:
                report.tables[t] = _copy_table(src, dst, t, plan[t], progress, t in emptied)
        if to_postgres:
            _reset_sequences(dst, tables)
        report.load_s = time.perf_counter() - started
        from adsdesk.store.search_backend import rebuild

        if progress is not None:
            progress(INDEX_STEP, 0, 1)
        rebuild(workers=workers)
        report.index_s = time.perf_counter() - started - report.load_s
        if progress is not None:
            progress(INDEX_STEP, 1, 1)
            progress(CHECK_STEP, 0, 1)
        for t in tables:
            if _count(dst, t) != plan[t][1]:
                raise StoreError(f"核对失败：表 {t} 的行数不一致，已撤销复制。")
        report.ads_checksum = ads_checksum(dst)
        expected = ads_checksum(src) if source_sum is None else source_sum.result()
        if report.ads_checksum != expected:
            raise StoreError("核对失败：广告内容的校验和不一致，已撤销复制。")
        report.verify_s = time.perf_counter() - started - report.load_s - report.index_s
        if progress is not None:
            progress(CHECK_STEP, 1, 1)


def _checksum_beside(stack: ExitStack, source: str) -> Future[str]:
    """The source's :func:`ads_checksum`, taken in a helper process while the copy runs."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from adsdesk.lifeline import pool_args

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), **pool_args())
    stack.enter_context(pool)
    return pool.submit(source_checksum, source)


def source_checksum(source: str) -> str:
    """:func:`ads_checksum` of the desk at ``source`` (run in a helper process)."""
    from adsdesk.store.database import close_db, init_db

    try:
        return ads_checksum(init_db(source))
    finally:
        close_db()


@contextmanager
def _loading(database: Database, tables: list[str]) -> Iterator[None]:
    """On a server: the search triggers off and the tables' secondary indexes and foreign keys
    set aside while the rows stream in (the search index is built afterwards anyway), and
    statistics taken once they are in."""
    if not is_postgres(database):
        yield
        return
    from adsdesk.store import search_pg
    from adsdesk.store.bulk_pg import indexes_set_aside

    search_pg.drop_triggers()
    with indexes_set_aside(database, tables):
        yield
    search_pg.create_triggers()
    for t in tables:  # the planner's statistics now (the server may not collect them itself)
        database.execute_sql(f'ANALYZE "{t}"')


def _copy_table(
    src: Database,
    dst: Database,
    table: str,
    planned: tuple[list[tuple[str, str]], int],
    progress: Progress | None,
    freeze: bool = False,
) -> int:
    cols, total = planned
    target_kinds = dict(_columns(dst, table))
    names = [c for c, _k in cols if c in target_kinds]
    to_postgres = is_postgres(dst)
    kinds = [target_kinds[c] for c in names]
    done = 0
    for batch in _rows(src, table, names):  # the source is read through its own object
        if to_postgres:
            from adsdesk.store.bulk_pg import copy_rows

            bools = [i for i, k in enumerate(kinds) if k.startswith("bool")]
            rows = [_booleans(r, bools) for r in batch] if bools else batch
            copy_rows(dst, table, names, rows, freeze)
        else:
            _insert(dst, table, names, [tuple(map(_adapt, r)) for r in batch])
        done += len(batch)
        if progress is not None:
            progress(table, done, total)
    return done


def _booleans(row: tuple[Any, ...], positions: list[int]) -> tuple[Any, ...]:
    """SQLite keeps booleans as 0/1; PostgreSQL's boolean columns take true/false."""
    out = list(row)
    for i in positions:
        if out[i] is not None:
            out[i] = bool(out[i])
    return tuple(out)


def _reset_sequences(database: Database, tables: list[str]) -> None:
    """After rows came in with their ids, new rows must go on from the highest one."""
    for t in tables:
        cols = {c for c, _k in _columns(database, t)}
        if "id" not in cols:
            continue
        seq = database.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (t,)).fetchone()[0]
        if seq:
            database.execute_sql(
                f'SELECT setval(%s, COALESCE((SELECT max(id) FROM "{t}"), 0) + 1, false)', (seq,)
            )


def check_database(database: Database) -> dict[str, Any]:
    """Schema version, counts, and whether the search index agrees with the data."""
    from adsdesk.store.database import SCHEMA_VERSION
    from adsdesk.store.search_backend import pending

    version = int(
        database.execute_sql("SELECT value FROM meta_info WHERE key = 'schema_version'").fetchone()[
            0
        ]
    )
    counts = {
        t: _count(database, t) for t in ("ad", "advertiser", "insertion", "ad_phone", "category")
    }
    problems: list[str] = []
    if version != SCHEMA_VERSION:
        problems.append(
            f"结构版本 {version}，本程序为 {SCHEMA_VERSION}：请运行 adsdesk db upgrade。"
        )
    indexed = _count(database, "search_ad")
    if indexed != counts["ad"]:
        problems.append(
            f"搜索索引有 {indexed} 则广告，数据里有 {counts['ad']} 则：请运行 adsdesk reindex。"
        )
    if is_postgres(database):
        docs = _count(database, "search_ad_doc")
        waiting = pending()
        if docs + waiting < counts["ad"]:
            problems.append(
                f"搜索索引缺 {counts['ad'] - docs - waiting} 则广告的文字：请运行 adsdesk reindex。"
            )
    missing = _unfound_sample(database)
    if missing:
        problems.append(
            f"抽查的广告中有 {len(missing)} 则按其文字搜不到（#{missing[0]} 等）：请运行 adsdesk reindex。"
        )
    notes: list[str] = []
    if is_postgres(database):
        from adsdesk.store.server_settings import advice, facts

        notes = advice(facts(database))
    return {
        "backend": "postgresql" if is_postgres(database) else "sqlite",
        "advice": notes,  # the server's settings, for its administrator (not a problem here)
        "schema_version": version,
        "expected_version": SCHEMA_VERSION,
        "counts": counts,
        "index_ads": indexed,
        "ok": not problems,
        "problems": problems,
    }


def _unfound_sample(database: Database, n: int = 30) -> list[int]:
    """Ads (a spread sample) that a search for a piece of their own text does not find."""
    from adsdesk.store.search import search_ad_ids

    total = _count(database, "ad")
    if not total:
        return []
    step = max(1, total // n)
    rows = database.execute_sql(
        f"SELECT id, title, body FROM ad WHERE mod(id, {step}) = 0 ORDER BY id LIMIT {n}"
    ).fetchall()
    missing = []
    for ad_id, title, body in rows:
        text = (body or title or "").strip()
        piece = next(
            (text[i : i + 2] for i in range(len(text) - 1) if " " not in text[i : i + 2]), ""
        )
        if piece and ad_id not in search_ad_ids(piece):
            missing.append(ad_id)
    return missing
