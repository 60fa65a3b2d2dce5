"""Accounts and rights enforced in the store: roles, lockout, supervisor approval, 签发, cut-off."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from adsdesk.errors import DeskError
from adsdesk.store import users
from adsdesk.store.actor import ADMIN, CLERK, LAYOUT, SUPERVISOR, Actor, acting_as
from adsdesk.store.ads import (
    AdDraft,
    PhoneEntry,
    cancel_ad,
    cancellation,
    delete_ad,
    list_ads,
    load_ad,
    save_ad,
)
from adsdesk.store.audit import entries, verify_chain
from adsdesk.store.issues import IssueLocked, cutoff_for, reopen_issue, send_issue, sent_pdf
from adsdesk.store.layout_prefs import set_pinned
from adsdesk.store.models import Insertion
from adsdesk.store.settings import load_settings, save_settings
from adsdesk.store.users import Credentials, NotAllowed, SignInError

ISSUE = dt.date(2030, 3, 15)
BEFORE_CUTOFF = dt.datetime(2030, 3, 14, 15, 0)  # cut-off: 16:00 the day before
AFTER_CUTOFF = dt.datetime(2030, 3, 14, 16, 30)
PDF = b"%PDF-1.4\n% the column as sent\n%%EOF\n"


def _ad(**kw: object) -> AdDraft:
    values: dict[str, object] = {
        "category": "家居服务",
        "title": "专业疏通",
        "body": "疏通下水道 电话 13903528491",
        "phones": [PhoneEntry("+8613903528491", "13903528491")],
        "dates": [ISSUE],
    }
    values.update(kw)
    return AdDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def staff(desk_db: Path) -> dict[str, Actor]:
    """An admin (first account), a clerk, a supervisor 王主管 and a layout editor."""
    users.add_user("admin", "admin-pass", ["管理员"])
    with acting_as(users.sign_in("admin", "admin-pass")):
        users.add_user("lihua", "clerk-pass", ["受理员"], "李华")
        users.add_user("wang", "boss-pass", ["主管", "受理员"], "王主管")
        users.add_user("zhao", "layout-pass", ["排版"])
        users.add_user("qian", "cash-pass", ["财务"])
    return {
        n: users.sign_in(n, p)
        for n, p in [
            ("lihua", "clerk-pass"),
            ("wang", "boss-pass"),
            ("zhao", "layout-pass"),
            ("qian", "cash-pass"),
            ("admin", "admin-pass"),
        ]
    }


def test_passwords_are_kept_as_scrypt_hashes_never_in_clear(staff: dict[str, Actor]) -> None:
    stored = users.DeskUser.get(users.DeskUser.name == "lihua").password_hash
    assert stored.startswith("scrypt$16384$8$1$") and "clerk-pass" not in stored
    assert users.password_matches("clerk-pass", stored)
    assert not users.password_matches("clerk-pasS", stored)


def test_first_account_must_be_the_admin_and_then_only_an_admin_adds(desk_db: Path) -> None:
    with pytest.raises(DeskError, match="管理员"):
        users.add_user("lihua", "clerk-pass", ["受理员"])
    users.add_user("admin", "admin-pass", ["admin"])
    with acting_as(Actor(user="lihua", roles=frozenset({CLERK}))), pytest.raises(NotAllowed):
        users.add_user("x", "secret-1", ["受理员"])
    with pytest.raises(DeskError, match="没有“老板”这个角色"):
        users.parse_roles(["老板"])


def test_each_role_is_enforced_in_the_store(staff: dict[str, Actor]) -> None:
    with acting_as(staff["qian"]), pytest.raises(NotAllowed, match="受理员"):
        save_ad(_ad(), now=BEFORE_CUTOFF)  # a cashier does not book ads
    with acting_as(staff["lihua"]):
        ad_id = save_ad(_ad(), now=BEFORE_CUTOFF)
        with pytest.raises(NotAllowed, match="排版"):
            set_pinned(ISSUE, ad_id, True)  # a clerk does not lay out
        with pytest.raises(NotAllowed, match="管理员"):
            save_settings(load_settings())  # nor change settings
        with pytest.raises(NotAllowed, match="排版"):
            send_issue(ISSUE, PDF)
    with acting_as(staff["zhao"]):
        set_pinned(ISSUE, ad_id, True)
        with pytest.raises(NotAllowed, match="受理员"):
            delete_ad(ad_id)
    with acting_as(staff["admin"]):
        settings = load_settings()
        settings.cutoff_time = "15:00"
        save_settings(settings)
    assert entries(entity="settings")[-1].user == "admin"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(staff: dict[str, Actor]) -> None:
    now = dt.datetime(2030, 3, 1, 9, 0)
    for left in (4, 3, 2, 1):
        with pytest.raises(SignInError, match=f"还可再试 {left} 次"):
            users.sign_in("lihua", "wrong", now)
    with pytest.raises(SignInError, match="锁定 15 分钟"):
        users.sign_in("lihua", "wrong", now)
    with pytest.raises(SignInError, match="09:15"):
        users.sign_in("lihua", "clerk-pass", now + dt.timedelta(minutes=14))  # right, but locked
    assert users.sign_in("lihua", "clerk-pass", now + dt.timedelta(minutes=15)).user == "lihua"
    assert any(e.action == "user.locked" for e in entries(entity="user"))


def test_a_disabled_account_cannot_sign_in(staff: dict[str, Actor]) -> None:
    with acting_as(staff["admin"]):
        users.set_active("lihua", False)
        with pytest.raises(DeskError, match="最后一个"):
            users.set_active("admin", False)
    with pytest.raises(SignInError, match="已停用"):
        users.sign_in("lihua", "clerk-pass")


BLOCKED = "全市最佳疏通 电话 13903528491"


def test_blocked_wording_needs_a_supervisors_password_and_records_the_supervisor(
    staff: dict[str, Actor],
) -> None:
    with acting_as(staff["lihua"]):
        draft = _ad(body=BLOCKED, override_reason="客户坚持，已核实")
        with pytest.raises(NotAllowed, match="主管批准"):
            save_ad(draft, now=BEFORE_CUTOFF)
        with pytest.raises(NotAllowed, match="不是主管"):
            save_ad(draft, Credentials("zhao", "layout-pass"), now=BEFORE_CUTOFF)
        with pytest.raises(SignInError):
            save_ad(draft, Credentials("wang", "wrong"), now=BEFORE_CUTOFF)
        with pytest.raises(DeskError, match="理由"):
            save_ad(_ad(body=BLOCKED), Credentials("wang", "boss-pass"), now=BEFORE_CUTOFF)
        ad_id = save_ad(draft, Credentials("wang", "boss-pass"), now=BEFORE_CUTOFF)
        # Changing only the dates of an approved ad needs nobody again.
        save_ad(
            _ad(
                id=ad_id,
                body=BLOCKED,
                override_reason="客户坚持，已核实",
                dates=[ISSUE, ISSUE + dt.timedelta(days=1)],
            ),
            now=BEFORE_CUTOFF,
        )
    created = entries(ad_id=ad_id)[0]
    assert (created.user, created.approver, created.reason) == ("lihua", "wang", "客户坚持，已核实")
    assert entries(ad_id=ad_id)[1].approver == ""


def test_a_booking_past_the_cut_off_needs_a_supervisor_and_is_marked_rush(
    staff: dict[str, Actor],
) -> None:
    assert cutoff_for(ISSUE) == dt.datetime(2030, 3, 14, 16, 0)
    with acting_as(staff["lihua"]):
        with pytest.raises(NotAllowed, match="截稿后加急刊登 2030-03-15"):
            save_ad(_ad(), now=AFTER_CUTOFF)
        ad_id = save_ad(_ad(), Credentials("wang", "boss-pass"), now=AFTER_CUTOFF)
    ins = Insertion.get(Insertion.ad == ad_id)
    assert ins.rush and ins.approved_by == "wang"
    assert entries(ad_id=ad_id)[0].changes["rush"] == [None, ["2030-03-15"]]
    with acting_as(staff["wang"]):  # a signed-in supervisor approves by signing in
        other = save_ad(_ad(title="另一则"), now=AFTER_CUTOFF)
    assert Insertion.get(Insertion.ad == other).approved_by == "wang"


def test_a_sent_issue_refuses_changes_keeps_its_pdf_and_only_a_supervisor_reopens(
    staff: dict[str, Actor],
) -> None:
    with acting_as(staff["lihua"]):
        ad_id = save_ad(_ad(), now=BEFORE_CUTOFF)
    with acting_as(staff["zhao"]):
        digest = send_issue(ISSUE, PDF)
        with pytest.raises(IssueLocked, match="已签发"):
            set_pinned(ISSUE, ad_id, True)
    assert sent_pdf(ISSUE) == PDF and len(digest) == 64
    with acting_as(staff["lihua"]):
        with pytest.raises(IssueLocked):
            save_ad(_ad(id=ad_id, body="改了内容 13903528491"), now=BEFORE_CUTOFF)
        with pytest.raises(IssueLocked):
            save_ad(_ad(title="新的一则"), now=BEFORE_CUTOFF)
        with pytest.raises(IssueLocked):
            delete_ad(ad_id)
        with pytest.raises(NotAllowed, match="主管"):
            reopen_issue(ISSUE, "客户改电话")
        with pytest.raises(NotAllowed, match="不是主管"):
            reopen_issue(ISSUE, "客户改电话", Credentials("lihua", "clerk-pass"))
        assert reopen_issue(ISSUE, "客户改电话", Credentials("wang", "boss-pass")) == "wang"
        save_ad(_ad(id=ad_id, body="改了内容 13903528491"), now=BEFORE_CUTOFF)
    reopen = next(e for e in entries(entity="issue") if e.action == "issue.reopen")
    assert (reopen.user, reopen.approver, reopen.reason) == ("lihua", "wang", "客户改电话")
    assert sent_pdf(ISSUE) == PDF  # the PDF that went out is still kept
    assert verify_chain().ok


def test_a_booked_ad_is_cancelled_with_a_reason_and_kept(staff: dict[str, Actor]) -> None:
    now = dt.datetime(2030, 3, 10, 10, 0)
    past = dt.date(2030, 3, 9)
    with acting_as(staff["wang"]):
        ad_id = save_ad(_ad(dates=[past, ISSUE, ISSUE + dt.timedelta(days=1)]), now=now)
    with acting_as(staff["lihua"]):
        with pytest.raises(DeskError, match="理由"):
            cancel_ad(ad_id, "  ", now=now)
        withdrawn = cancel_ad(ad_id, "客户电话取消", now=now)
        with pytest.raises(DeskError, match="已撤销"):
            save_ad(_ad(id=ad_id, title="改"), now=now)
    assert withdrawn == [ISSUE, ISSUE + dt.timedelta(days=1)]
    assert load_ad(ad_id).dates == [past]  # what already ran stays
    c = cancellation(ad_id)
    assert c is not None and (c.by, c.reason) == ("lihua", "客户电话取消")
    assert next(r for r in list_ads() if r.id == ad_id).cancelled
    assert entries(ad_id=ad_id)[-1].action == "ad.cancel"


def _cli(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adsdesk", "user", *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_user_command_adds_lists_and_disables(desk_db: Path) -> None:
    out = _cli(desk_db, "add", "lihua", "--role", "受理员", stdin="secret-1\n")
    assert out.returncode == 2 and "第一个账户必须是管理员" in out.stderr
    out = _cli(desk_db, "add", "admin", "--role", "管理员", stdin="admin-pass\n")
    assert out.returncode == 0, out.stderr
    out = _cli(
        desk_db,
        "add",
        "wang",
        "--role",
        "主管,受理员",
        "--full-name",
        "王主管",
        stdin="boss-pass\n",
    )
    assert out.returncode == 0 and "主管、受理员" in out.stdout
    assert _cli(desk_db, "add", "x", "--role", "老板", stdin="p\n").returncode == 2
    assert _cli(desk_db, "disable", "wang").returncode == 0
    listed = json.loads(_cli(desk_db, "list", "--json").stdout)["users"]
    assert [(u["name"], u["roles"], u["active"]) for u in listed] == [
        ("admin", ["admin"], True),
        ("wang", ["supervisor", "clerk"], False),
    ]
    if "://" not in str(desk_db):  # the file itself never holds the password
        assert "boss-pass" not in Path(desk_db).read_bytes().decode("latin-1")
    assert users.sign_in("admin", "admin-pass").has(ADMIN)
    with pytest.raises(SignInError):
        users.sign_in("wang", "boss-pass")
    assert {e.action for e in entries(entity="user")} >= {"user.add", "user.disable"}
    assert SUPERVISOR and LAYOUT


def test_a_paid_ad_is_not_deleted_but_an_unpaid_draft_is(demo_db: Path) -> None:
    paid = list_ads()[0].id  # the demo books the sample ads as paid orders
    with pytest.raises(DeskError, match=r"已收款.*撤销"):
        delete_ad(paid)
    draft = save_ad(_ad(dates=[]))
    delete_ad(draft)
    assert draft not in {r.id for r in list_ads()}
