"""Orders, payments, price changes, cancellation, 挂账, cash-up and reports in a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pricing import ISSUE_CARD

from adsdesk.errors import DeskError
from adsdesk.store.actor import ADMIN, Actor, acting_as
from adsdesk.store.ads import AdDraft, load_ad, save_ad
from adsdesk.store.cashup import close_day, day_summary, reopen_day
from adsdesk.store.orders import (
    CASH,
    CREDIT,
    WECHAT,
    TillError,
    book_order,
    cancel_order,
    get_order,
    note_print,
    set_cancel_fee,
    set_credit_limit,
    take_payment,
)
from adsdesk.store.ratecards import save_card
from adsdesk.store.reports import report
from adsdesk.store.settings import ensure_default_categories
from adsdesk.store.users import Credentials, add_user

TODAY = dt.date(2024, 3, 1)
CLERK = Actor(user="李娜")


@pytest.fixture
def till(desk_db):
    ensure_default_categories()
    with acting_as(CLERK):
        save_card(ISSUE_CARD)
        yield desk_db


def _ad(body: str, dates: list[dt.date], category: str = "家居服务", name: str = "张师傅") -> int:
    return save_ad(
        AdDraft(category=category, title="", body=body, advertiser_name=name, dates=dates)
    )


def test_saved_booking_becomes_an_order_with_a_daily_serial(till):
    first = book_order(_ad("修纱窗" * 10, [TODAY]), today=TODAY)  # 30 chars → 3 lines × 50
    second = book_order(_ad("修纱窗", [TODAY]), today=TODAY)  # 1 line, minimum 2
    assert (first.serial, second.serial) == ("20240301-001", "20240301-002")
    assert (first.total_fen, second.total_fen) == (15000, 10000)
    assert first.clerk == "李娜" and first.customer == "张师傅"
    assert first.breakdown["lines"] == 3 and first.breakdown["dates"] == ["2024-03-01"]
    assert first.state_label == "未付"
    tomorrow = book_order(_ad("修家电", [TODAY]), today=TODAY + dt.timedelta(days=1))
    assert tomorrow.serial == "20240302-001"


def test_a_later_card_never_changes_an_order_taken(till):
    order = book_order(_ad("修纱窗" * 10, [TODAY]), today=TODAY)
    with acting_as(CLERK):
        save_card(
            ISSUE_CARD.replace('price = "50.00"', 'price = "80.00"').replace(
                "2024-01-01", "2024-02-01"
            )
        )
    assert get_order(order.id).total_fen == 15000
    assert get_order(order.id).breakdown["per_run_fen"] == 15000


def test_price_change_on_a_paid_ad_records_the_difference(till):
    ad_id = _ad("修纱窗" * 10, [TODAY])
    order = book_order(ad_id, today=TODAY)
    paid = take_payment(order.id, 15000, WECHAT, today=TODAY)
    assert paid.state_label == "已付清"
    draft = load_ad(ad_id)
    draft.body = "修纱窗" * 15  # 45 chars → 4 lines: 200.00
    save_ad(draft)
    again = book_order(ad_id, today=TODAY)
    assert again.id == order.id and again.total_fen == 20000
    assert again.balance_fen == 5000 and again.state_label == "待收 50.00"
    draft.body = "修纱窗"  # back to the 2-line minimum: 100.00, 50.00 to refund
    save_ad(draft)
    assert book_order(ad_id, today=TODAY).state_label == "待退 50.00"


def test_cancelling_refunds_unprinted_runs_less_the_fee(till):
    set_cancel_fee(500)
    dates = [TODAY + dt.timedelta(days=i) for i in range(4)]  # 4 runs, 2 of them free
    ad_id = _ad("修纱窗" * 10, dates)
    order = book_order(ad_id, today=TODAY)
    assert order.total_fen == 2 * 15000
    take_payment(order.id, order.total_fen, CASH, today=TODAY)
    # on day 2 (day 1 printed; day 2's issue not yet sent), 3 of 4 runs are unprinted:
    # 300.00 × 3/4 = 225.00 less the 5.00 fee
    result = cancel_order(order.id, CASH, today=TODAY + dt.timedelta(days=1))
    assert (result.unprinted_runs, result.value_fen, result.fee_fen) == (3, 22500, 500)
    assert result.refund_fen == 22000
    assert result.order.status == "cancelled" and result.order.paid_fen == 30000 - 22000
    assert load_ad(ad_id).dates == dates[:1]  # the unprinted runs are off the issues
    with pytest.raises(TillError, match="已取消"):
        take_payment(order.id, 100, CASH, today=TODAY)


def test_credit_only_for_contract_customers_within_the_limit(till):
    order = book_order(_ad("修纱窗" * 10, [TODAY], name="大同和平医院"), today=TODAY)
    with pytest.raises(TillError, match="不是签约客户"):
        take_payment(order.id, 15000, CREDIT, today=TODAY)
    set_credit_limit(order.advertiser_id, 20000)
    take_payment(order.id, 15000, CREDIT, today=TODAY)
    second = save_ad(
        AdDraft(
            category="家居服务",
            body="修家电" * 10,
            advertiser_id=order.advertiser_id,
            dates=[TODAY],
        )
    )
    other = book_order(second, today=TODAY)
    with pytest.raises(TillError, match="挂账超出额度"):
        take_payment(other.id, 15000, CREDIT, today=TODAY)


def test_cash_up_per_clerk_and_a_closed_day_refuses_payments(till):
    a = book_order(_ad("修纱窗" * 10, [TODAY]), today=TODAY)
    b = book_order(_ad("修家电", [TODAY]), today=TODAY)
    with acting_as(CLERK):
        take_payment(a.id, 15000, CASH, today=TODAY)
        take_payment(b.id, 10000, WECHAT, today=TODAY)
        summary = day_summary(TODAY)
        assert summary.by_method[CASH] == 15000 and summary.by_method[WECHAT] == 10000
        assert summary.takings_fen == 25000 and summary.expected_cash_fen == 15000
        closed = close_day(TODAY, counted_cash_fen=14900)
        assert closed.closed and closed.difference_fen == -100
        c = book_order(_ad("修空调", [TODAY]), today=TODAY)
        with pytest.raises(TillError, match="已日结"):
            take_payment(c.id, 10000, CASH, today=TODAY)
        with pytest.raises(DeskError, match="需要主管批准"):
            reopen_day(TODAY, "李娜", "补收一笔")
    with acting_as(Actor(user="管理员", roles=frozenset({ADMIN}))):
        add_user("admin", "admin-pass-2024", ["admin"])  # the first account is the admin
        add_user("wang", "zhuguan-2024", ["supervisor"], "王主管")
    with acting_as(CLERK):
        with pytest.raises(DeskError):
            reopen_day(TODAY, "李娜", "补收一笔", Credentials("wang", "wrong-password"))
        # the supervisor types their own name and password at the clerk's desk
        reopened = reopen_day(TODAY, "李娜", "补收一笔", Credentials("wang", "zhuguan-2024"))
        assert not reopened.closed and reopened.reopened_by == "wang"
    with acting_as(CLERK):
        assert take_payment(c.id, 10000, CASH, today=TODAY).state_label == "已付清"


def test_receipt_prints_are_counted_for_reprints(till):
    order = book_order(_ad("修纱窗", [TODAY]), today=TODAY)
    assert note_print(order.id) is False
    assert note_print(order.id) is True


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),  # day offset
            st.integers(min_value=1, max_value=60),  # body length
            st.sampled_from(["家居服务", "遗失声明", "公告", "招聘"]),
            st.integers(min_value=1, max_value=3),  # runs
        ),
        min_size=1,
        max_size=8,
    )
)
def test_report_totals_equal_the_sum_of_their_orders(tmp_path_factory, orders):
    from adsdesk.store.database import close_db, init_db

    init_db(tmp_path_factory.mktemp("r") / "r.sqlite3")
    try:
        ensure_default_categories()
        save_card(ISSUE_CARD)
        taken = []
        for offset, length, category, runs in orders:
            day = TODAY + dt.timedelta(days=offset)
            dates = [day + dt.timedelta(days=i) for i in range(runs)]
            o = book_order(_ad("修" * length, dates, category, f"客户{length}"), today=day)
            taken.append(o)
        start, end = TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=30)
        inside = [o for o in taken if start <= o.day <= end]
        for by in ("day", "month", "category", "clerk", "method", "advertiser"):
            r = report(start, end, by, top=2)
            assert r.total_fen == sum(o.total_fen for o in inside)
            assert r.orders == len(inside)
    finally:
        close_db()
