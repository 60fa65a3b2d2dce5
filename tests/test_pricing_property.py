"""Property tests: totals are never negative, never fall as the text grows, and add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pricing import ISSUE_CARD

from adsdesk.domain.pricing import quote
from adsdesk.domain.ratecard import parse_card

CARD = parse_card(ISSUE_CARD)
CATEGORIES = ["遗失声明", "公告", "招聘", "房屋出售"]
texts = st.text(
    alphabet=st.sampled_from(
        list("出售房屋电话一二三abcXYZ0123456789，。、 \n（）-营业执照公章身份证")
    ),
    max_size=120,
)
surcharge_sets = st.lists(st.sampled_from(["加急", "套红", "指定位置"]), unique=True, max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    category=st.sampled_from(CATEGORIES),
    title=texts,
    body=texts,
    more=texts,
    runs=st.integers(min_value=0, max_value=40),
    extra=surcharge_sets,
)
def test_totals_are_never_negative_never_fall_and_add_up(category, title, body, more, runs, extra):
    q = quote(CARD, category, title, body, runs=runs, surcharges=extra)
    assert q.total_fen >= 0 and q.surcharge_fen >= 0 and q.discount_fen >= 0
    # the parts add up to the total, exactly, in fen
    assert q.gross_fen + q.surcharge_fen - q.discount_fen == q.total_fen
    assert q.gross_fen == q.per_run_fen * q.paid_runs
    # more text never costs less: appended to the body, or to the title
    assert (
        quote(CARD, category, title, body + more, runs=runs, surcharges=extra).total_fen
        >= q.total_fen
    )
    assert (
        quote(CARD, category, title + more, body, runs=runs, surcharges=extra).total_fen
        >= q.total_fen
    )
    # a surcharge never makes it cheaper
    every = ["加急", "套红", "指定位置"]
    assert quote(CARD, category, title, body, runs=runs, surcharges=every).total_fen >= q.total_fen
