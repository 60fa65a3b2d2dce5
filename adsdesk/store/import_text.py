"""An imported ad's audit text, written out: pure, so the import's check workers can build it.

The audit record of a new ad holds every field from nothing to its value, as
``json.dumps(changes, ensure_ascii=False)`` writes it (``exchange._created``). Only the
advertiser's id is not known before the ad is saved: the text comes in two halves, the id's
JSON string goes between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring as _enc

# (the text before the advertiser's JSON string, the text after it)
CreatedText = tuple[str, str]


def created_text(
    category: str,
    title: str,
    body: str,
    displays: Iterable[str],
    days: Iterable[str],
    override_reason: str,
) -> CreatedText:
    """The halves of a new ad's audit text; ``days`` as stored (ISO), in order."""
    head = f'{{"category": [null, {_enc(category.strip())}], "advertiser": [null, '
    tail = (
        f'], "title": [null, {_enc(title)}], "body": [null, {_enc(body)}], '
        f'"phones": [null, [{", ".join(map(_enc, displays))}]], '
        f'"dates": [null, [{", ".join(map(_enc, days))}]], '
        f'"override_reason": [null, {_enc(override_reason)}]}}'
    )
    return head, tail


def advertiser_json(advertiser_id: int | None) -> str:
    """The advertiser's JSON string between the halves: "#12", or "" for none."""
    return _enc("" if advertiser_id is None else f"#{advertiser_id}")
