"""签发 on the 版面 tab: the exact PDF kept, the issue locked, a supervisor reopens with a reason."""

from __future__ import annotations

from conftest import approval_dialog, make_supervisor, type_text
from PySide6.QtCore import Qt

from adsdesk.demo import SAMPLE_DATE
from adsdesk.store import issues
from adsdesk.store.audit import entries


def test_send_keeps_the_pdf_locks_the_issue_and_a_supervisor_reopens(qtbot, demo_desk) -> None:
    window = demo_desk
    view = window.layout_view
    control = window.issue_send
    view.refresh(SAMPLE_DATE)
    qtbot.waitUntil(lambda: view.layout_result() is not None and control.act_send.isEnabled())
    assert "未签发" in control.state.text()
    assert control.send()
    qtbot.waitUntil(lambda: control.info is not None)
    assert "已签发" in control.state.text() and not control.act_send.isEnabled()
    pdf = issues.sent_pdf(SAMPLE_DATE)
    assert pdf is not None and pdf.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "便民信息" in text.replace(" ", "")

    # pinning an ad of a sent issue is refused, and says why
    placed = view.layout_result().placed[0].ad_id  # type: ignore[union-attr]
    view.select_ad(placed)
    view.toggle_pin()
    qtbot.waitUntil(lambda: "已签发" in view.status.text())

    make_supervisor("wang", "boss-pass")
    control.ask_reopen()
    dialog = approval_dialog(qtbot, view)
    type_text(qtbot, dialog.name, "wang")
    type_text(qtbot, dialog.password, "boss-pass")
    type_text(qtbot, dialog.reason, "客户改电话")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.info is None and control.act_send.isEnabled())
    reopen = [e for e in entries(entity="issue") if e.action == "issue.reopen"]
    assert [(e.approver, e.reason) for e in reopen] == [("wang", "客户改电话")]
    assert issues.sent_pdf(SAMPLE_DATE) == pdf  # what went out is still kept
