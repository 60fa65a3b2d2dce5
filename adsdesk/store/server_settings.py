"""What a PostgreSQL server's own settings mean for a desk: advice for ``db check``, facts for
the benchmark.

Two settings decide how fast a big desk searches on a server, and neither is the desk's to set:
``shared_buffers`` (PostgreSQL's own page cache: 128 MB out of the box, where its manual
suggests a quarter of the memory of a dedicated server) and ``autovacuum`` (on out of the box;
off, tables are never vacuumed or analysed, so index-only reads visit the table and the
planner guesses). On the synthetic million, a count of 1,000 hits read ~900 pages from the
operating system with 128 MB (3-8 ms), and from PostgreSQL's cache with 4 GB (1-2 ms).
"""

from __future__ import annotations

from typing import Any

from peewee import Database

_MB = 1 << 20
DEDICATED_SHARE = 4  # the manual's starting point: a quarter of the server's memory


def facts(database: Database) -> dict[str, Any]:
    """The server's version and the settings above, and the database's size."""

    def one(sql: str) -> Any:
        return database.execute_sql(sql).fetchone()[0]

    return {
        "server_version": one("SHOW server_version"),
        "shared_buffers_mb": round(
            int(one("SELECT setting FROM pg_settings WHERE name = 'shared_buffers'"))
            * int(one("SELECT setting FROM pg_settings WHERE name = 'block_size'"))
            / _MB
        ),
        "autovacuum": one("SHOW autovacuum") == "on",
        "database_mb": round(int(one("SELECT pg_database_size(current_database())")) / _MB),
    }


def advice(found: dict[str, Any]) -> list[str]:
    """Sentences for the administrator: what to change in the server's settings, and why."""
    out: list[str] = []
    if not found["autovacuum"]:
        out.append(
            "服务器关闭了 autovacuum：表不会自动清理和统计，检索和列表会越来越慢。"
            "请在 postgresql.conf 里设 autovacuum = on（PostgreSQL 的默认），"
            "或每晚运行 vacuumdb --analyze。"
        )
    if found["shared_buffers_mb"] * 2 < found["database_mb"]:
        out.append(
            f"服务器的 shared_buffers 只有 {found['shared_buffers_mb']} MB，"
            f"本库有 {found['database_mb']} MB：检索要的索引页常在内存之外。"
            "专用数据库服务器建议设为内存的四分之一"
            "（ALTER SYSTEM SET shared_buffers = '4GB'; 之后重启服务器），见 README。"
        )
    return out
