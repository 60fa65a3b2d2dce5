"""The audit: an append-only, hash-chained record of who changed what, when, from where.

Every record carries the hash of the record before it in its chain, so an edited, removed or
forged record breaks the chain where it sits (``verify_chain``); the chain's head row
(``audit_chain``) holds the count and last hash, so a cut-off tail shows too.

Several chains, not one (schema step 13). With a single head row every write on the desk
took that row's lock from its audit record to its commit, so on a server every save queued
behind every other save (measured with 8 clerks: the head's UPDATE alone waited 21 ms at
the median, 106 ms at p95, a third of the whole save). Now a writer takes *any* chain head no
other open transaction holds (PostgreSQL ``FOR UPDATE SKIP LOCKED``: it never waits), and
opens a new chain only when every head is taken, so there are about as many chains as
writers were ever at work at once. Each chain is exactly as verifiable as the single one
was: a record names its chain and its place (``link``) in it, the hash covers the place and
the previous link's hash, and the verification walks every chain to its head.

The alternative, appending records without a hash and having one background "chainer" link
them later, was not taken: it leaves a window in which records are unprotected, needs a
process that is always running (a one-PC desk has none), and must tell a record not yet
committed from one rolled back. On SQLite, which has one writer at a time anyway, there is
always just chain 1, as before.

``seq`` numbers records across chains in the order they were written (the record's own id);
on a server a save that was rolled back leaves its number unused, so the numbers may have gaps
there: completeness is proven by the chains, not by the numbering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from peewee import (
    AutoField,
    CharField,
    Database,
    DateTimeField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
)

from adsdesk.store.actor import Actor, current_actor
from adsdesk.store.backend import insert_many, is_postgres
from adsdesk.store.models import BaseModel, db

GENESIS = "0" * 64  # what chain 1's first record links to (the single chain's, before step 13)


def genesis(chain: int) -> str:
    """What the first record of ``chain`` links to: binds every chain's records to its number."""
    if chain == 1:
        return GENESIS
    return hashlib.sha256(f"adsdesk audit chain {chain}".encode()).hexdigest()


class AuditRecord(BaseModel):
    """One change. Never updated or deleted (the database refuses it too)."""

    id = AutoField()
    seq = IntegerField(unique=True)
    at = DateTimeField(index=True)
    user = CharField(default="", index=True)  # "" when nobody was signed in
    computer = CharField(default="")
    via = CharField(default="desk")
    action = CharField(index=True)  # "ad.create", "ad.update", "settings.update" …
    entity = CharField(default="")  # "ad", "settings", "user", "order" …
    entity_id = IntegerField(null=True)
    ad_id = IntegerField(null=True, index=True)  # the ad concerned, for the ad's history
    changes = TextField(default="{}")  # JSON {field: [old, new]}
    reason = TextField(default="")
    approver = CharField(default="")  # the supervisor whose password approved it
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)
    chain = IntegerField(default=1)  # the chain this record extends (schema step 13)
    link = IntegerField(null=True)  # its place in that chain; None: older, chain 1 at ``seq``

    class Meta:
        table_name = "audit_record"


class AuditChain(BaseModel):
    """One chain's last link (see ``record_many``): how many records it holds and the last hash."""

    id = AutoField()
    seq = IntegerField(default=0)  # records in this chain
    hash = CharField(max_length=64, default="")  # the last one's hash ("" while empty)

    class Meta:
        table_name = "audit_chain"


_GUARDS: dict[str, list[str]] = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_record_no_update BEFORE UPDATE ON audit_record "
        "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_record_no_delete BEFORE DELETE ON audit_record "
        "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    ],
    "postgres": [
        "CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_record",
        "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
        "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()",
    ],
}


# What setting up a desk records by itself (``db init`` and a first start seed the categories).
SETUP_ACTIONS: frozenset[str] = frozenset({"settings.categories"})


def clear_setup_records(database: Database) -> bool:
    """Remove a new desk's own records (only ``SETUP_ACTIONS``, inside the caller's
    transaction: the append-only guard is lifted for the delete and put back), so that a desk
    copied in brings its whole chain. False, and nothing removed, when any other record is there.
    """
    found = database.execute_sql("SELECT DISTINCT action FROM audit_record").fetchall()
    if any(action not in SETUP_ACTIONS for (action,) in found):
        return False
    if not found:
        return True
    if isinstance(database, PostgresqlDatabase):
        database.execute_sql("ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only")
        database.execute_sql("DELETE FROM audit_record")
        database.execute_sql("ALTER TABLE audit_record ENABLE TRIGGER audit_record_append_only")
    else:
        database.execute_sql("DROP TRIGGER audit_record_no_delete")
        database.execute_sql("DELETE FROM audit_record")
        for sql in _GUARDS["sqlite"]:  # (IF NOT EXISTS: the dropped one comes back)
            database.execute_sql(sql)
    database.execute_sql("DELETE FROM audit_chain")
    return True


def install(database: Database) -> None:
    """Schema step: the audit tables, the chain's head, and the append-only guard.

    The tables are built from frozen copies of the models as they stand at this step, so a
    later step adding a column finds the table as this one left it.
    """

    class Frozen(Model):
        class Meta:
            database = None

    class Record(Frozen):
        id = AutoField()
        seq = IntegerField(unique=True)
        at = DateTimeField(index=True)
        user = CharField(default="", index=True)
        computer = CharField(default="")
        via = CharField(default="desk")
        action = CharField(index=True)
        entity = CharField(default="")
        entity_id = IntegerField(null=True)
        ad_id = IntegerField(null=True, index=True)
        changes = TextField(default="{}")
        reason = TextField(default="")
        approver = CharField(default="")
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)

        class Meta:
            table_name = "audit_record"

    class Head(Frozen):
        id = IntegerField(primary_key=True)
        seq = IntegerField(default=0)
        hash = CharField(max_length=64, default=GENESIS)

        class Meta:
            table_name = "audit_head"

    with database.bind_ctx([Record, Head]):
        database.create_tables([Record, Head])
        if not Head.select().where(Head.id == 1).exists():
            Head.create(id=1, seq=0, hash=GENESIS)
    backend = "postgres" if isinstance(database, PostgresqlDatabase) else "sqlite"
    for sql in _GUARDS[backend]:
        database.execute_sql(sql)


def install_chains(database: Database) -> None:
    """Schema step 13: several chains (see the module's docstring). The records so far form
    chain 1, whose head takes over from the single ``audit_head`` row; that table goes."""
    from adsdesk.store.schema_frozen import v13_tables

    have = {c.name for c in database.get_columns("audit_record")}
    if "chain" not in have:  # a default in the table itself: no row is rewritten
        database.execute_sql("ALTER TABLE audit_record ADD COLUMN chain INTEGER NOT NULL DEFAULT 1")
    if "link" not in have:
        database.execute_sql("ALTER TABLE audit_record ADD COLUMN link INTEGER")
    (chain_table,) = v13_tables(database)
    database.create_tables([chain_table])
    if not chain_table.select().exists():
        head = (0, GENESIS)
        if database.table_exists("audit_head"):
            found = database.execute_sql("SELECT seq, hash FROM audit_head WHERE id = 1")
            head = found.fetchone() or head
        chain_table.insert(id=1, seq=head[0], hash=head[1]).execute()
        if isinstance(database, PostgresqlDatabase):
            database.execute_sql(
                "SELECT setval(pg_get_serial_sequence('audit_chain', 'id'), "
                "(SELECT max(id) FROM audit_chain))"
            )
    database.execute_sql("DROP TABLE IF EXISTS audit_head")


_SCALARS = frozenset({str, int, float, bool})


def _plain(value: Any) -> Any:
    """JSON-ready form of a recorded value (dates as ISO text, tuples as lists)."""
    if value is None or type(value) in _SCALARS:  # most values: no isinstance chain
        return value
    if type(value) is list:
        return [_plain(v) for v in value]
    if type(value) is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs (None for absent)."""
    old, new = old or {}, new or {}
    out: dict[str, list[Any]] = {}
    for key in list(old) + [k for k in new if k not in old]:
        before, after = _plain(old.get(key)), _plain(new.get(key))
        if before != after:
            out[key] = [before, after]
    return out


@lru_cache(maxsize=16)  # a batch of records shares one time
def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S")


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def chain_hash(
    seq: int,
    at: dt.datetime,
    user: str,
    computer: str,
    via: str,
    action: str,
    entity: str,
    entity_id: int | None,
    ad_id: int | None,
    changes: str,
    reason: str,
    approver: str,
    prev_hash: str,
) -> str:
    """SHA-256 over a record's content and the hash of the one before it."""
    payload = json.dumps(
        [
            seq,
            _stamp(at),
            user,
            computer,
            via,
            action,
            entity,
            entity_id,
            ad_id,
            changes,
            reason,
            approver,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One change to record; ``record_many`` writes several under one lock of the head."""

    action: str
    entity: str = ""
    entity_id: int | None = None
    changes: Mapping[str, Any] | None = None
    ad_id: int | None = None
    reason: str = ""
    approver: str = ""


def record(
    action: str,
    entity: str = "",
    entity_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    *,
    ad_id: int | None = None,
    reason: str = "",
    approver: str = "",
    actor: Actor | None = None,
) -> int:
    """Append one record (call it inside the write's own transaction); returns its number.

    ``changes`` is {field: [old, new]} (see ``diff``) or any JSON-ready mapping. The user
    and computer come from the current actor; ``approver`` names the supervisor whose
    password approved the change, if one was needed.
    """
    return record_many(
        [Change(action, entity, entity_id, changes, ad_id, reason, approver)], actor=actor
    )[0]


_BATCH: ContextVar[list[tuple[Change, Actor]] | None] = ContextVar("audit_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Records made inside go to their chain together when the block ends (one append for
    a whole save: the ad, its order, the payment). Use it inside the write's transaction; on
    an exception nothing is recorded (the transaction rolls back anyway)."""
    if _BATCH.get() is not None:  # already batching: the outer block appends
        yield
        return
    pending: list[tuple[Change, Actor]] = []
    token = _BATCH.set(pending)
    try:
        yield
    finally:
        _BATCH.reset(token)
    start = 0
    for end in range(1, len(pending) + 1):  # consecutive records by one actor go together
        if end == len(pending) or pending[end][1] != pending[start][1]:
            record_many([c for c, _a in pending[start:end]], pending[start][1])
            start = end


def record_many(items: Sequence[Change], actor: Actor | None = None) -> list[int]:
    """Append several records in order, to one chain no other open transaction holds.

    Call inside the write's own transaction: the records and the chain's new head commit
    with it, or not at all. Returns the records' numbers (``seq``; 0 inside ``batch()``).
    """
    if not items:
        return []
    who = actor or current_actor()
    pending = _BATCH.get()
    if pending is not None:  # inside ``batch()``: appended when it ends
        pending.extend((item, who) for item in items)
        return [0] * len(items)
    at = dt.datetime.now().replace(microsecond=0)
    # No savepoint inside the caller's transaction (two more round trips on a server); one of
    # its own when there is none, so the head is held until the records are in.
    with nullcontext() if db.in_transaction() else db.atomic():
        chain, links, prev, seqs = _take_chain(len(items))
        stored_at: Any = at if is_postgres() else at.isoformat(" ")
        rows: list[tuple[Any, ...]] = []
        for item, seq in zip(items, seqs, strict=True):
            links += 1
            changes = json.dumps(_plain(dict(item.changes or {})), ensure_ascii=False)
            digest = chain_hash(
                links,
                at,
                who.user,
                who.computer,
                who.via,
                item.action,
                item.entity,
                item.entity_id,
                item.ad_id,
                changes,
                item.reason,
                item.approver,
                prev,
            )
            rows.append(
                (
                    *(seq, seq, chain, links, stored_at, who.user, who.computer, who.via),
                    *(item.action, item.entity, item.entity_id, item.ad_id, changes),
                    *(item.reason, item.approver, prev, digest),
                )
            )
            prev = digest
        if len(rows) <= 50:  # a save's few records: one statement with the head's move
            _append(rows, chain, links, prev)
        else:  # an import's thousands: one prepared insert, then the head
            insert_many(AuditRecord, _FIELDS, rows)
            db.execute_sql(
                f"UPDATE audit_chain SET seq = {db.param}, hash = {db.param} WHERE id = {db.param}",
                (links, prev, chain),
            )
    return list(seqs)


def record_prepared(
    action: str,
    entity: str,
    items: Sequence[tuple[int | None, int | None, str]],
    actor: Actor | None = None,
) -> list[int]:
    """:func:`record_many` for many records of one action whose changes are JSON text already:
    ``items`` are (entity id, ad id, changes as ``json.dumps(changes, ensure_ascii=False)``).

    The same records and hashes as ``record_many`` writes for those changes, without their
    conversion and serialisation record by record (an import records 100,000 at once).
    """
    if not items:
        return []
    who = actor or current_actor()
    if _BATCH.get() is not None:  # inside ``batch()``: the ordinary way, appended at its end
        return record_many([Change(action, entity, e, json.loads(c), a) for e, a, c in items], who)
    at = dt.datetime.now().replace(microsecond=0)
    with nullcontext() if db.in_transaction() else db.atomic():
        chain, links, prev, seqs = _take_chain(len(items))
        stored_at: Any = at if is_postgres() else at.isoformat(" ")
        # chain_hash's JSON array written out: its fixed members once, the others per record
        # with json's own string encoder (so the text, and the hash, are exactly the same).
        fixed = _json_tail([_stamp(at), who.user, who.computer, who.via, action, entity])
        after = _json_tail(["", ""])  # reason, approver
        sha256, enc = hashlib.sha256, encode_basestring
        rows: list[tuple[Any, ...]] = []
        for (entity_id, ad_id, changes), seq in zip(items, seqs, strict=True):
            links += 1
            payload = (
                f"[{links}{fixed}{_json_int(entity_id)},{_json_int(ad_id)},"
                f"{enc(changes)}{after}{enc(prev)}]"
            )
            digest = sha256(payload.encode("utf-8")).hexdigest()
            rows.append(
                (
                    *(seq, seq, chain, links, stored_at, who.user, who.computer, who.via),
                    *(action, entity, entity_id, ad_id, changes, "", "", prev, digest),
                )
            )
            prev = digest
        insert_many(AuditRecord, _FIELDS, rows)
        db.execute_sql(
            f"UPDATE audit_chain SET seq = {db.param}, hash = {db.param} WHERE id = {db.param}",
            (links, prev, chain),
        )
    return list(seqs)


def _json_tail(values: Sequence[Any]) -> str:
    """``,v1,v2,…,`` as in json.dumps(…, ensure_ascii=False, separators=(",", ":"))."""
    return "," + json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))[1:-1] + ","


def _json_int(value: int | None) -> str:
    if value is None:
        return "null"
    return int.__repr__(value) if type(value) is int else json.dumps(value)


_FIELDS = (
    *("id", "seq", "chain", "link", "at", "user", "computer", "via", "action", "entity"),
    *("entity_id", "ad_id", "changes", "reason", "approver", "prev_hash", "hash"),
)
_COLUMNS = ", ".join(f'"{f}"' for f in _FIELDS)


def _take_chain(n: int) -> tuple[int, int, str, list[int]]:
    """(chain, its links so far, its last hash, numbers for ``n`` new records), the chain's
    head now held by this transaction.

    PostgreSQL: the first head no other transaction holds (``SKIP LOCKED`` never waits), a new
    chain when all are held; the numbers come from the records' id sequence (no lock). SQLite:
    the one writer takes chain 1 and the numbers after the highest.
    """
    if is_postgres():
        row = db.execute_sql(
            "WITH c AS (SELECT id, seq, hash FROM audit_chain ORDER BY id LIMIT 1 "
            "FOR UPDATE SKIP LOCKED) SELECT c.id, c.seq, c.hash, ARRAY(SELECT nextval("
            "pg_get_serial_sequence('audit_record', 'id')) FROM generate_series(1, %s)) FROM c",
            (n,),
        ).fetchone()
        if row is None:  # every chain is in use by another open transaction: start one
            chain = db.execute_sql(
                "INSERT INTO audit_chain (seq, hash) VALUES (0, '') RETURNING id"
            ).fetchone()[0]
            seqs = db.execute_sql(
                "SELECT nextval(pg_get_serial_sequence('audit_record', 'id')) "
                "FROM generate_series(1, %s)",
                (n,),
            ).fetchall()
            row = (chain, 0, "", [s for (s,) in seqs])
        chain, links, last, seqs = row
        return int(chain), int(links), str(last) or genesis(int(chain)), [int(s) for s in seqs]
    row = db.execute_sql(
        # Two subqueries: SQLite answers a lone max() from the index, two in one go by a scan.
        "SELECT id, seq, hash, max(coalesce((SELECT max(id) FROM audit_record), 0), "
        "coalesce((SELECT max(seq) FROM audit_record), 0)) FROM audit_chain ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        chain = int(db.execute_sql("INSERT INTO audit_chain (seq, hash) VALUES (0, '')").lastrowid)
        top = db.execute_sql(
            "SELECT max(coalesce((SELECT max(id) FROM audit_record), 0), "
            "coalesce((SELECT max(seq) FROM audit_record), 0))"
        ).fetchone()[0]
        row = (chain, 0, "", top)
    chain, links, last, top = row
    first = int(top or 0) + 1
    return int(chain), int(links), str(last) or genesis(int(chain)), list(range(first, first + n))


def _append(rows: list[tuple[Any, ...]], chain: int, links: int, last: str) -> None:
    """Insert the records and move their chain's head on (one round trip on PostgreSQL)."""
    marks = "(" + ", ".join([db.param] * len(rows[0])) + ")"
    values = ", ".join([marks] * len(rows))
    params = [v for r in rows for v in r]
    insert = f"INSERT INTO audit_record ({_COLUMNS}) VALUES {values}"
    head = f"UPDATE audit_chain SET seq = {db.param}, hash = {db.param} WHERE id = {db.param}"
    if is_postgres():
        db.execute_sql(f"WITH r AS ({insert}) {head}", [*params, links, last, chain])
        return
    db.execute_sql(insert, params)
    db.execute_sql(head, (links, last, chain))


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    user: str
    computer: str
    via: str
    action: str
    entity: str
    entity_id: int | None
    ad_id: int | None
    changes: dict[str, Any]
    reason: str
    approver: str

    @property
    def who(self) -> str:
        return self.user or self.computer

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": _stamp(self.at),
            "user": self.user,
            "computer": self.computer,
            "via": self.via,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "ad_id": self.ad_id,
            "changes": self.changes,
            "reason": self.reason,
            "approver": self.approver,
        }


def entries(
    *,
    ad_id: int | None = None,
    user: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Records matching every filter given, oldest first (``user`` also matches a computer)."""
    query = AuditRecord.select().order_by(AuditRecord.seq)
    if ad_id is not None:
        query = query.where(AuditRecord.ad_id == ad_id)
    if user:
        query = query.where((AuditRecord.user == user) | (AuditRecord.computer == user))
    if date_from is not None:
        query = query.where(AuditRecord.at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        query = query.where(AuditRecord.at < end)
    if entity:
        query = query.where(AuditRecord.entity == entity)
    if entity_id is not None:
        query = query.where(AuditRecord.entity_id == entity_id)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(r) for r in query]


def entries_of(things: Mapping[str, Sequence[int]]) -> list[AuditEntry]:
    """Records about any of the given things ({entity: [ids]}), oldest first."""
    test = None
    for entity, ids in things.items():
        if not ids:
            continue
        clause = (AuditRecord.entity == entity) & AuditRecord.entity_id.in_(list(ids))
        test = clause if test is None else (test | clause)
    if test is None:
        return []
    return [_entry(r) for r in AuditRecord.select().where(test).order_by(AuditRecord.seq)]


def _entry(r: AuditRecord) -> AuditEntry:
    try:
        changes = json.loads(r.changes)
    except ValueError:
        changes = {"?": r.changes}
    return AuditEntry(
        seq=r.seq,
        at=_as_datetime(r.at),
        user=r.user,
        computer=r.computer,
        via=r.via,
        action=r.action,
        entity=r.entity,
        entity_id=r.entity_id,
        ad_id=r.ad_id,
        changes=changes if isinstance(changes, dict) else {"?": changes},
        reason=r.reason,
        approver=r.approver,
    )


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    records: int
    broken_seq: int | None = None  # the first record that does not hold
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "broken_seq": self.broken_seq,
            "problem": self.problem,
        }


def verify_chain(batch: int = 2000) -> ChainCheck:
    """Walk every chain from its first record; report the first record edited, removed or
    forged (by its number), and any chain whose head does not match its last record."""
    heads = {
        int(c): (int(n), str(h))
        for c, n, h in db.execute_sql("SELECT id, seq, hash FROM audit_chain")
    }
    # chain -> (links walked, last hash, last record's number)
    walked: dict[int, tuple[int, str, int]] = {}
    count, last_id = 0, 0
    while True:
        rows = list(
            AuditRecord.select()
            .where(AuditRecord.id > last_id)
            .order_by(AuditRecord.id)
            .limit(batch)
        )
        if not rows:
            break
        for r in rows:
            last_id = r.id
            count += 1
            chain = int(r.chain)
            link = int(r.link) if r.link is not None else int(r.seq)
            links, prev, prev_seq = walked.get(chain, (0, genesis(chain), 0))
            if chain not in heads:
                return ChainCheck(
                    False, count, r.seq, f"第 {r.seq} 条记录所在的记录链 {chain} 没有登记"
                )
            if link != links + 1:
                # Which number went missing is certain on one chain (a desk on a file); on a
                # server, numbers of rolled-back saves are unused, so it is the first possible.
                missing = prev_seq + 1 if prev_seq else max(1, r.seq - (link - links - 1))
                if link <= links:
                    missing = r.seq
                return ChainCheck(
                    False,
                    count,
                    missing,
                    f"第 {missing} 条记录缺失或顺序被改动（见到第 {r.seq} 条）",
                )
            if r.prev_hash != prev:
                return ChainCheck(False, count, r.seq, f"第 {r.seq} 条记录与前一条衔接不上")
            digest = chain_hash(
                link,
                _as_datetime(r.at),
                r.user,
                r.computer,
                r.via,
                r.action,
                r.entity,
                r.entity_id,
                r.ad_id,
                r.changes,
                r.reason,
                r.approver,
                r.prev_hash,
            )
            if digest != r.hash:
                return ChainCheck(False, count, r.seq, f"第 {r.seq} 条记录的内容被改动过")
            walked[chain] = (link, r.hash, int(r.seq))
    for chain, (should, last_hash) in sorted(heads.items()):
        links, prev, prev_seq = walked.get(chain, (0, genesis(chain), 0))
        if should > links:
            if len(heads) == 1:
                problem = f"第 {prev_seq + 1} 条及以后的记录被删除（应有 {should} 条）"
            elif links:
                problem = f"记录链 {chain} 中第 {prev_seq} 条之后的 {should - links} 条记录被删除"
            else:
                problem = f"记录链 {chain} 的 {should} 条记录全部被删除"
            return ChainCheck(
                False, count, prev_seq + 1 if links or len(heads) == 1 else None, problem
            )
        if should != links or (last_hash or genesis(chain)) != prev:
            return ChainCheck(False, count, prev_seq, "记录链的末端与登记的不符")
    return ChainCheck(True, count)
