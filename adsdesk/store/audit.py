"""The audit: an append-only, hash-chained record of who changed what, when, from where."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
from adsdesk.store.backend import insert_many
from adsdesk.store.models import BaseModel, db

GENESIS = "0" * 64


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

    class Meta:
        table_name = "audit_record"


class AuditHead(BaseModel):
    """The chain's last link (one row): taking it serialises writers and shows a cut tail."""

    id = IntegerField(primary_key=True)
    seq = IntegerField(default=0)
    hash = CharField(max_length=64, default=GENESIS)

    class Meta:
        table_name = "audit_head"


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


def record_many(items: Sequence[Change], actor: Actor | None = None) -> list[int]:
    """Append several records in order under one lock of the chain's head."""
    if not items:
        return []
    who = actor or current_actor()
    at = dt.datetime.now().replace(microsecond=0)
    with db.atomic():
        # Bumping the head first takes its row lock (PostgreSQL) / the write lock (SQLite),
        # so two desks never link their records to the same predecessor.
        bumped = AuditHead.update(seq=AuditHead.seq + len(items)).where(AuditHead.id == 1).execute()
        if not bumped:
            AuditHead.create(id=1, seq=len(items), hash=GENESIS)
        head = AuditHead.get_by_id(1)
        seq = int(head.seq) - len(items)
        prev = str(head.hash)
        rows: list[dict[str, Any]] = []
        for item in items:
            seq += 1
            changes = json.dumps(_plain(dict(item.changes or {})), ensure_ascii=False)
            digest = chain_hash(
                seq,
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
                {
                    "seq": seq,
                    "at": at,
                    "user": who.user,
                    "computer": who.computer,
                    "via": who.via,
                    "action": item.action,
                    "entity": item.entity,
                    "entity_id": item.entity_id,
                    "ad_id": item.ad_id,
                    "changes": changes,
                    "reason": item.reason,
                    "approver": item.approver,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        insert_many(AuditRecord, list(rows[0]), [tuple(r.values()) for r in rows])
        AuditHead.update(hash=prev).where(AuditHead.id == 1).execute()
    return [int(r["seq"]) for r in rows]


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
    """Walk the chain from the first record; report the first one edited, removed or forged."""
    prev, expected, count = GENESIS, 1, 0
    last_id = 0
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
            if r.seq != expected:
                missing = expected if r.seq > expected else r.seq
                return ChainCheck(
                    False,
                    count,
                    missing,
                    f"第 {missing} 条记录缺失或顺序被改动（见到第 {r.seq} 条）",
                )
            if r.prev_hash != prev:
                return ChainCheck(False, count, r.seq, f"第 {r.seq} 条记录与前一条衔接不上")
            digest = chain_hash(
                r.seq,
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
            prev, expected = r.hash, expected + 1
    head = AuditHead.get_or_none(AuditHead.id == 1)
    last = expected - 1
    if head is not None and (head.seq != last or head.hash != prev):
        if head.seq > last:
            return ChainCheck(
                False, count, last + 1, f"第 {last + 1} 条及以后的记录被删除（应有 {head.seq} 条）"
            )
        return ChainCheck(False, count, last, "记录链的末端与登记的不符")
    return ChainCheck(True, count)
