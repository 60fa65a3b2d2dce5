"""The advertisers a search names, ranked on the server in one statement (PostgreSQL).

The ranking is the one ``search._advertisers`` makes on SQLite: names starting with the query
(and owners of a number it holds) first, then names holding it, then the rest; within each,
the latest insertion date first, then the most ads, then the newest advertiser. On SQLite it
reads its candidates' rows, ranks them in Python, then counts the ads of the few near the cut
and reads the winners' phones: three statements and 300 rows for a common character. Over a
network each statement is a round trip on the search's longest chain, so here the documents
give each candidate's tier (their normalised name is read with the id), and one statement
does the rest and returns the winners alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

from adsdesk.store import backend
from adsdesk.store.search_pg import ADV_DOCS, first_rows, read_partitions, text_match
from adsdesk.store.search_text import name_tier

# c: each candidate's tier and latest insertion date; cut: the key of the limit-th best (none
# when fewer); near: those at or above it, the only ones whose ads are counted (an advertiser
# with thousands of ads costs a count); best: the winners, ordered by the whole key.
RANK = """
WITH c AS MATERIALIZED (
  SELECT c.id, c.tier, (SELECT max(s.last_date) FROM search_ad AS s
    WHERE s.advertiser_id = c.id) AS last
  FROM unnest(?::integer[], ?::integer[]) AS c(id, tier)
), cut AS (
  SELECT tier, coalesce(last, '-infinity') AS last FROM c
  ORDER BY tier, last DESC NULLS LAST OFFSET ? LIMIT 1
), near AS (
  SELECT c.* FROM c WHERE NOT EXISTS (SELECT 1 FROM cut) OR EXISTS (SELECT 1 FROM cut
    WHERE c.tier < cut.tier OR (c.tier = cut.tier AND coalesce(c.last, '-infinity') >= cut.last))
), best AS (
  SELECT n.id, n.tier, n.last, st.ads, coalesce(st.dated, st.undated) AS last_ad
  FROM near AS n CROSS JOIN LATERAL (SELECT
    (SELECT count(*) FROM search_ad AS s WHERE s.advertiser_id = n.id) AS ads,
    (SELECT max(s.ad_id) FROM search_ad AS s WHERE s.advertiser_id = n.id
      AND s.last_date = n.last) AS dated,
    (SELECT max(s.ad_id) FROM search_ad AS s WHERE s.advertiser_id = n.id
      AND s.last_date IS NULL) AS undated) AS st
  ORDER BY n.tier, n.last DESC NULLS LAST, st.ads DESC, n.id DESC LIMIT ?
)
SELECT b.id, a.name, a.address, b.last, b.ads, b.last_ad,
  ARRAY(SELECT p.display FROM advertiser_phone AS p WHERE p.advertiser_id = b.id ORDER BY p.id)
FROM best AS b JOIN advertiser AS a ON a.id = b.id
ORDER BY b.tier, b.last DESC NULLS LAST, b.ads DESC, b.id DESC
"""


class Ranked(NamedTuple):
    """One advertiser among the best: their row, totals over their ads and phones."""

    id: int
    name: str
    address: str
    last_date: dt.date | None
    ad_count: int
    last_ad_id: int | None
    phones: tuple[str, ...]


def ranked_advertisers(
    text: str, by_phone: Collection[int], candidates: int, limit: int
) -> list[Ranked]:
    """The best ``limit`` of the newest ``candidates`` advertisers holding the normalised,
    non-empty ``text`` and of the owners ``by_phone`` of a number the query holds."""
    _, where, params, _ = text_match(text, "adv")
    found = first_rows(
        ADV_DOCS,
        "adv_id",
        where,
        params,
        True,
        candidates,
        read_partitions(ADV_DOCS),
        0,
        ", d.name",
    )
    tiers = {i: name_tier(text, name, i in by_phone) for i, name in found}
    tiers.update(dict.fromkeys(by_phone, 0))
    if not tiers or limit <= 0:
        return []
    ids = sorted(tiers)
    arrays = (backend.int_array(ids), backend.int_array([tiers[i] for i in ids]))
    rows = backend.prepared_rows(RANK, (*arrays, limit - 1, limit))
    return [
        Ranked(i, name, address, last, int(ads), last_ad, tuple(phones or ()))
        for i, name, address, last, ads, last_ad, phones in rows
    ]
