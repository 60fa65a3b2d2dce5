"""The audit: every write recorded with its actor, append-only, a hash chain that shows tampering."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from peewee import DatabaseError

from adsdesk.store.actor import Actor, acting_as, current_actor
from adsdesk.store.ads import AdDraft, PhoneEntry, delete_ad, save_ad
from adsdesk.store.audit import AuditRecord, entries, verify_chain
from adsdesk.store.settings import load_settings, save_settings

DAY = dt.date(2023, 2, 24)


def _ad(**kw: object) -> AdDraft:
    values: dict[str, object] = {
        "category": "家居服务",
        "title": "专业疏通",
        "body": "疏通下水道 电话 13903528491",
        "phones": [PhoneEntry("+8613903528491", "13903528491")],
        "advertiser_name": "王师傅",
        "dates": [DAY],
    }
    values.update(kw)
    return AdDraft(**values)  # type: ignore[arg-type]


def _tamper(path: Path | str, *sql: str) -> None:
    """Change the data behind the desk's back, as someone with an SQLite tool (or the
    server's superuser, with psql) could."""
    if "://" in str(path):
        import psycopg2

        pg = psycopg2.connect(str(path))
        cur = pg.cursor()
        cur.execute("ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only")
        for s in sql:
            cur.execute(s.replace(" user ", ' "user" '))
        pg.commit()
        pg.close()
        return
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER IF EXISTS audit_record_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_record_no_delete")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def test_every_ad_change_is_recorded_with_who_where_and_each_field(desk_db: Path) -> None:
    clerk = Actor(user="lihua", computer="desk-3", roles=frozenset({"clerk"}))
    with acting_as(clerk):
        ad_id = save_ad(_ad())
        draft = _ad(
            id=ad_id, body="疏通下水道、马桶 电话 13903528491", dates=[DAY, DAY.replace(day=25)]
        )
        save_ad(draft)
        save_ad(draft)  # nothing changed: nothing recorded
    history = entries(ad_id=ad_id)
    assert [e.action for e in history] == ["ad.create", "ad.update"]
    assert {(e.user, e.computer) for e in history} == {("lihua", "desk-3")}
    assert history[0].changes["title"] == [None, "专业疏通"]
    assert history[0].changes["phones"] == [None, ["13903528491"]]
    assert history[1].changes == {
        "body": ["疏通下水道 电话 13903528491", "疏通下水道、马桶 电话 13903528491"],
        "dates": [["2023-02-24"], ["2023-02-24", "2023-02-25"]],
    }
    delete_ad(ad_id)
    gone = entries(ad_id=ad_id)[-1]
    assert gone.action == "ad.delete" and gone.changes["body"][1] is None
    assert verify_chain().ok


def test_without_sign_in_the_record_names_the_computer(desk_db: Path) -> None:
    with acting_as(Actor(computer="front-pc")):
        ad_id = save_ad(_ad())
    (e,) = entries(ad_id=ad_id)
    assert e.user == "" and e.who == "front-pc"
    assert current_actor().computer != "" and entries(user="front-pc") == [e]


def test_settings_changes_are_recorded(desk_db: Path) -> None:
    save_settings(replace(load_settings(), area_code="0351"))
    (e,) = entries(entity="settings")
    assert e.changes == {"area_code": ["0352", "0351"]}


def test_the_database_itself_refuses_to_edit_or_delete_a_record(desk_db: Path) -> None:
    save_ad(_ad())
    with pytest.raises(DatabaseError):
        AuditRecord.update(user="someone").execute()
    with pytest.raises(DatabaseError):
        AuditRecord.delete().execute()
    assert verify_chain().ok


def test_the_chain_detects_an_edited_record(desk_db: Path) -> None:
    ids = [save_ad(_ad(title=f"第{i}则")) for i in range(4)]
    assert verify_chain().ok and verify_chain().records == 4
    _tamper(desk_db, "UPDATE audit_record SET user = 'nobody' WHERE seq = 2")
    check = verify_chain()
    assert not check.ok and check.broken_seq == 2 and "改动" in check.problem
    assert ids


def test_the_chain_detects_a_deleted_record_in_the_middle_and_at_the_end(desk_db: Path) -> None:
    for i in range(4):
        save_ad(_ad(title=f"第{i}则"))
    _tamper(desk_db, "DELETE FROM audit_record WHERE seq = 4")
    check = verify_chain()
    assert not check.ok and check.broken_seq == 4 and "删除" in check.problem
    _tamper(desk_db, "DELETE FROM audit_record WHERE seq = 2")
    check = verify_chain()
    assert not check.ok and check.broken_seq == 2


def test_a_forged_record_with_a_recomputed_hash_still_breaks_the_link(desk_db: Path) -> None:
    for i in range(3):
        save_ad(_ad(title=f"第{i}则"))
    from adsdesk.store.audit import chain_hash

    r = AuditRecord.get(AuditRecord.seq == 2)
    forged = chain_hash(
        r.seq, r.at, "nobody", r.computer, r.via, r.action, r.entity, r.entity_id, r.ad_id,
        r.changes, r.reason, r.approver, r.prev_hash,
    )  # fmt: skip
    _tamper(desk_db, f"UPDATE audit_record SET user = 'nobody', hash = '{forged}' WHERE seq = 2")
    check = verify_chain()
    assert not check.ok and check.broken_seq == 3


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adsdesk", "audit", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_audit_command_filters_prints_json_and_verifies(desk_db: Path) -> None:
    with acting_as(Actor(user="lihua", computer="desk-3")):
        first = save_ad(_ad())
    second = save_ad(_ad(title="另一则"))
    out = _cli(desk_db, "--ad", str(first), "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)["records"]
    assert [(r["ad_id"], r["user"], r["action"]) for r in records] == [
        (first, "lihua", "ad.create")
    ]
    assert set(records[0]) >= {"seq", "at", "user", "computer", "action", "changes", "approver"}
    today = dt.date.today().isoformat()
    out = _cli(desk_db, "--user", "lihua", "--from", today, "--to", today, "--json")
    assert [r["ad_id"] for r in json.loads(out.stdout)["records"]] == [first]
    assert second
    ok = _cli(desk_db, "--verify")
    assert ok.returncode == 0 and "完好" in ok.stdout
    _tamper(desk_db, "UPDATE audit_record SET changes = '{}' WHERE seq = 1")
    bad = _cli(desk_db, "--verify", "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["broken_seq"] == 1
    wrong = _cli(desk_db, "--from", "yesterday")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr and "日期" in wrong.stderr


def test_the_command_line_records_the_computer_and_login(desk_db: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ads.csv"
    csv.write_text("标题,正文,分类,日期\n搬家,专业搬家 13903528491,家居服务,2023-02-24\n", "utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "adsdesk", "import", str(csv), "--db", str(desk_db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    (e,) = entries(entity="ad")
    assert e.action == "ad.import" and e.via == "cli" and e.computer
    assert e.changes["title"] == [None, "搬家"]
    assert verify_chain().ok


def test_writers_at_once_each_extend_a_chain_of_their_own_and_all_of_it_verifies(
    desk_db: Path | str,
) -> None:
    """On a server a second writer does not wait for the first one's chain: it takes another
    (on an SQLite file writers go one at a time, so there is only chain 1). Every chain still
    shows an edited record and a cut-off tail."""
    import threading

    from adsdesk.store.audit import AuditChain, record
    from adsdesk.store.models import db

    on_server = "://" in str(desk_db)
    save_ad(_ad(title="之前"))
    # Each thread has a connection of its own to the bound database (peewee keeps one a thread).
    held, second_done = threading.Event(), threading.Event()
    seqs: dict[str, int] = {}
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with db.atomic():
                seqs["first"] = record("test.first", "ad", 1, {"n": [0, 1]})
                held.set()
                # On a server the second writer finishes meanwhile; on a file it cannot.
                second_done.wait(10 if on_server else 1)
            db.close()
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            held.set()

    def second() -> None:
        try:
            held.wait(10)
            seqs["second"] = record("test.second", "ad", 2, {"n": [0, 2]})
            second_done.set()
            db.close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures, failures
    by_seq = {r.seq: r for r in AuditRecord.select()}
    chains = {by_seq[seqs["first"]].chain, by_seq[seqs["second"]].chain}
    assert chains == ({1, 2} if on_server else {1})
    assert AuditChain.select().count() == len(chains)
    check = verify_chain()
    assert check.ok and check.records == 3, check
    # the next writer, alone again, goes on with chain 1
    save_ad(_ad(title="之后"))
    assert AuditRecord.select().order_by(AuditRecord.seq.desc()).first().chain == 1
    assert verify_chain().ok
    late = seqs["second"]
    _tamper(desk_db, f"UPDATE audit_record SET changes = '{{}}' WHERE seq = {late}")
    check = verify_chain()
    assert not check.ok and check.broken_seq == late and "改动" in check.problem
    _tamper(desk_db, f"DELETE FROM audit_record WHERE seq = {late}")
    check = verify_chain()
    assert not check.ok
    if on_server:  # the whole of chain 2
        assert "记录链 2" in check.problem and "删除" in check.problem
    else:  # the middle of chain 1
        assert check.broken_seq == late and "缺失" in check.problem


@pytest.mark.sqlite_only
def test_a_desk_from_before_several_chains_keeps_its_chain_and_still_shows_tampering(
    db_path: Path,
) -> None:
    """A file written by the single-chain desk (schema 12) upgrades: its records become chain 1,
    verify as before, new records go on from them, and an edit to an old one still shows."""
    from peewee import SqliteDatabase

    from adsdesk.store.audit import GENESIS, chain_hash
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.migrations import MIGRATIONS
    from adsdesk.store.models import db

    old = SqliteDatabase(str(db_path))
    db.initialize(old)
    for step in MIGRATIONS[:12]:
        with old.atomic():
            step(old)
    old.execute_sql(
        "INSERT INTO meta_info (key, value) VALUES ('app', 'adsdesk'), ('schema_version', '12')"
    )
    prev, at = GENESIS, dt.datetime(2024, 1, 5, 9, 30)
    for seq in (1, 2, 3):
        changes = json.dumps({"title": [None, f"第{seq}则"]}, ensure_ascii=False)
        digest = chain_hash(seq, at, "lihua", "desk-3", "desk", "ad.create", "ad", seq, seq,
                            changes, "", "", prev)  # fmt: skip
        old.execute_sql(
            "INSERT INTO audit_record (seq, at, user, computer, via, action, entity, entity_id,"
            " ad_id, changes, reason, approver, prev_hash, hash) VALUES"
            " (?, ?, 'lihua', 'desk-3', 'desk', 'ad.create', 'ad', ?, ?, ?, '', '', ?, ?)",
            (seq, at.isoformat(" "), seq, seq, changes, prev, digest),
        )
        prev = digest
    old.execute_sql("UPDATE audit_head SET seq = 3, hash = ? WHERE id = 1", (prev,))
    old.close()

    init_db(db_path)
    check = verify_chain()
    assert check.ok and check.records == 3, check
    save_ad(_ad())
    newest = AuditRecord.select().order_by(AuditRecord.seq.desc()).first()
    assert (newest.seq, newest.chain, newest.link) == (4, 1, 4)
    assert verify_chain().ok and verify_chain().records == 4
    close_db()
    _tamper(db_path, "UPDATE audit_record SET user = 'nobody' WHERE seq = 2")
    init_db(db_path)
    check = verify_chain()
    assert not check.ok and check.broken_seq == 2


def test_what_a_save_records_as_the_new_state_is_what_is_stored(desk_db: Path | str) -> None:
    """The save works out the ad's new state from the draft instead of reading it back: every
    recorded change must agree with a fresh read of the stored ad."""
    from adsdesk.domain.repeats import RunPattern
    from adsdesk.store.ads import ad_snapshot, load_ad

    def saved_and_recorded(draft: AdDraft) -> None:
        before = ad_snapshot(draft.id) if draft.id is not None else None
        ad_id = save_ad(draft)
        draft.id = ad_id
        stored = ad_snapshot(ad_id)
        recorded = entries(ad_id=ad_id)[-1].changes
        assert json.loads(json.dumps(recorded)) == json.loads(json.dumps(diff(before, stored)))

    from adsdesk.store.audit import diff

    draft = _ad(
        category=" 新分类 ",
        advertiser_name=" 张先生 ",
        repeat=RunPattern((1, 3), DAY, DAY + dt.timedelta(days=14)),
        dates=[DAY, DAY + dt.timedelta(days=5)],
    )
    saved_and_recorded(draft)
    draft = load_ad(draft.id)  # type: ignore[arg-type]
    draft.phones = [
        PhoneEntry("+863525105678", "5105678"),
        PhoneEntry("+8613903528491", "13903528491"),
    ]
    draft.dates = [DAY + dt.timedelta(days=5), DAY + dt.timedelta(days=7)]
    draft.repeat = RunPattern((0, 1, 2, 3, 4), DAY)
    draft.body = "疏通下水道、马桶"
    saved_and_recorded(draft)
    other = save_ad(_ad(title="另一则", advertiser_name="李女士"))
    draft = load_ad(draft.id)  # type: ignore[arg-type]
    draft.advertiser_id = load_ad(other).advertiser_id
    draft.category = ""
    draft.repeat = None
    draft.phones = list(reversed(draft.phones))
    saved_and_recorded(draft)
    assert verify_chain().ok


def test_records_with_their_changes_already_written_as_json_are_the_usual_records(
    desk_db: Path | str,
) -> None:
    """An import hands over its changes as JSON text (record_prepared): same records, same
    hashes as record_many writes, odd characters and all, and the chain still verifies."""
    from adsdesk.store.audit import Change, record_many, record_prepared
    from adsdesk.store.models import db

    odd = 'a "quote", a \\ backslash,\nnew line\ttab \x01 control, 全角，emoji 📞 and \u2028'
    samples = [
        {"title": [None, odd], "phones": [None, ["0352-5393120", odd]], "dates": [None, []]},
        {"advertiser": [None, "#12"], "override_reason": [None, ""]},
        {},
    ]
    ids = [(7, 7), (None, 8), (9, None)]
    with db.atomic():
        usual = record_many(
            [Change("ad.import", "ad", e, c, a) for (e, a), c in zip(ids, samples, strict=True)]
        )
        prepared = record_prepared(
            "ad.import",
            "ad",
            [
                (e, a, json.dumps(c, ensure_ascii=False))
                for (e, a), c in zip(ids, samples, strict=True)
            ],
        )
    assert len(prepared) == 3 and min(prepared) > max(usual)
    rows = {r.seq: r for r in AuditRecord.select().where(AuditRecord.seq.in_(usual + prepared))}
    for before, after in zip(usual, prepared, strict=True):
        a, b = rows[before], rows[after]
        assert (b.action, b.entity, b.entity_id, b.ad_id) == (
            a.action,
            a.entity,
            a.entity_id,
            a.ad_id,
        )
        assert b.changes == a.changes and json.loads(b.changes) == json.loads(a.changes)
    assert verify_chain().ok  # every hash recomputed the usual way matches
