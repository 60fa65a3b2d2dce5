"""The 清样 proof the customer signs names them, every run date and (once priced) the price."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pypdf import PdfReader

from adsdesk.store.ads import AdDraft, save_ad

DAY = dt.date(2023, 2, 24)


def _text(path: Path) -> str:
    return re.sub(r"\s+", "", PdfReader(path).pages[0].extract_text())


def _proof(qtbot, window, ad_id: int, out: Path) -> str:
    view = window.layout_view
    with qtbot.waitSignal(view.laid_out, timeout=15000):
        view.refresh(DAY)
    view.select_ad(ad_id)
    assert view.export_proof(out)
    return _text(out)


def test_proof_names_customer_run_dates_and_price(qtbot, demo_desk, tmp_path: Path) -> None:
    from adsdesk.store.orders import order_for_ad

    order = order_for_ad(4)
    text = _proof(qtbot, demo_desk, 4, tmp_path / "p4.pdf")
    assert "客户：大同馨万家养老中心" in text
    assert "刊登日期：2023-02-24" in text
    assert order is not None and f"价格：¥{order.total_fen // 100}." in text
    assert "大同馨万家养老中心" in text and "客户签字确认" in text


def test_proof_lists_every_run_date_and_no_price_before_one_exists(
    qtbot, demo_desk, tmp_path: Path
) -> None:
    days = [DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=3)]
    ad_id = save_ad(
        AdDraft(
            category="家居服务",
            title="管道疏通",
            body="专业疏通下水道 13935210001",
            advertiser_name="王师傅管道",
            dates=days,
        )
    )
    text = _proof(qtbot, demo_desk, ad_id, tmp_path / "p.pdf")
    assert "客户：王师傅管道" in text
    assert "刊登日期：2023-02-24、2023-02-25、2023-02-27（共3期）" in text
    assert "价格" not in text
