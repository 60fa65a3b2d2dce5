"""The synthetic benchmark desk on a database server: the cached SQLite corpus, copied over once.

``adsdesk bench --db URL`` measures the same corpus as on SQLite: the cached synthetic file of N
ads is built (or reused) and moved onto the server with ``db copy`` (its time is the build
time), and the database is marked so later runs reuse it. Only an empty desk database, or one
this module filled, is used: a real desk is never touched.
"""

from __future__ import annotations

import json
import time
from typing import Any

from adsdesk.bench.synth import synth_db_path
from adsdesk.errors import UserError

MARK = "bench_synth"  # meta_info key: which corpus the database holds, and its build figures


def _mark() -> dict[str, Any] | None:
    from adsdesk.store.backend import rows

    found = rows("SELECT value FROM meta_info WHERE key = ?", (MARK,))
    return json.loads(found[0][0]) if found else None


def _corpus(n_ads: int) -> str:
    return synth_db_path(n_ads).stem  # generator, schema and index versions and N


def ensure_synth_server(n_ads: int, url: str, build_sqlite: Any) -> dict[str, Any]:
    """Facts of the synthetic corpus of ``n_ads`` ads on the server database ``url`` (filled
    first when empty): ``build_s``, ``data_s`` (copy), ``index_s``, ``reused``.

    ``build_sqlite()`` builds or reuses the SQLite corpus and returns its SynthInfo.
    """
    from adsdesk.store.backend import rows
    from adsdesk.store.database import close_db, init_db, redact

    init_db(url)
    try:
        mark = _mark()
        if mark is not None and mark.get("corpus") == _corpus(n_ads):
            return {**mark, "reused": True}
        if mark is not None or rows("SELECT 1 FROM ad LIMIT 1"):
            raise UserError(
                f"{redact(url)} 里已有数据，不是这 {n_ads} 则广告的合成基准库；"
                "基准测试只用新建的空库（adsdesk db init），未做任何改动。"
            )
    finally:
        close_db()
    info = build_sqlite()
    return _fill(n_ads, url, info)


def _fill(n_ads: int, url: str, info: Any) -> dict[str, Any]:
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.dbcopy import copy_database
    from adsdesk.store.models import MetaInfo, db

    t0 = time.perf_counter()
    report = copy_database(str(info.path), url)
    copy_s = time.perf_counter() - t0
    init_db(url)
    try:
        db.execute_sql("ANALYZE")
        facts = {
            "corpus": _corpus(n_ads),
            "build_s": round(info.build_s + copy_s, 1),
            "data_s": round(report.load_s, 1),
            "index_s": round(report.index_s, 1),
            "copy_s": round(copy_s, 1),
        }
        MetaInfo.insert(key=MARK, value=json.dumps(facts)).on_conflict(
            conflict_target=[MetaInfo.key], preserve=[MetaInfo.value]
        ).execute()
    finally:
        close_db()
    return {**facts, "reused": False}
