"""``adsdesk reindex``: rebuild the search index from every ad and advertiser."""

from __future__ import annotations

import argparse
import time

from adsdesk.commands.common import open_db
from adsdesk.errors import EXIT_OK

NAME = "reindex"
HELP = "重建搜索索引（索引与数据不一致时使用）"
PARALLEL_FROM = 20_000  # ads; above this a helper process computes the index rows


def configure(parser: argparse.ArgumentParser) -> None:
    """No options besides --db."""


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.models import Ad, Advertiser
    from adsdesk.store.search_backend import rebuild

    open_db(args, existing=True)
    started = time.perf_counter()
    rebuild(workers=1 if Ad.select().count() > PARALLEL_FROM else 0)
    seconds = time.perf_counter() - started
    print(
        f"搜索索引已重建：{Ad.select().count()} 则广告、{Advertiser.select().count()} 个客户，"
        f"用时 {seconds:.1f} 秒。"
    )
    return EXIT_OK
