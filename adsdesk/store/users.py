"""Desk accounts: roles, scrypt password hashes, sign-in with lockout, supervisor approval."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import BooleanField, CharField, DateTimeField, IntegerField, TextField

from adsdesk.errors import DeskError
from adsdesk.store.actor import ADMIN, ROLE_NAMES, SUPERVISOR, Actor, computer_name, current_actor
from adsdesk.store.audit import record
from adsdesk.store.models import BaseModel, db

MAX_TRIES = 5
LOCK_MINUTES = 15
# scrypt: 16 MiB of memory per hash (n * r * 128 bytes) — memory-hard, ~50 ms here.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class DeskUser(BaseModel):
    """One person at the desk. ``roles`` is a comma-separated list of role keys."""

    name = CharField(unique=True)
    full_name = CharField(default="")
    roles = TextField(default="")
    password_hash = TextField()
    active = BooleanField(default=True)
    failed_tries = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "desk_user"


class SignInError(DeskError):
    """Sign-in or approval refused; the sentence says why (wrong password, locked, disabled)."""


class NotAllowed(DeskError):
    """The current user's roles do not allow this; the sentence names the role needed."""


@dataclass(frozen=True)
class Credentials:
    """A name and password typed at this moment (a supervisor's approval on a clerk's desk)."""

    name: str
    password: str


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    full_name: str
    roles: tuple[str, ...]
    active: bool
    locked_until: dt.datetime | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "full_name": self.full_name,
            "roles": list(self.roles),
            "role_names": [ROLE_NAMES.get(r, r) for r in self.roles],
            "active": self.active,
            "locked_until": self.locked_until.isoformat(sep=" ") if self.locked_until else None,
        }


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def hash_password(password: str) -> str:
    """A kept scrypt hash: ``scrypt$n$r$p$salt$hash`` (base64), never the password itself."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def parse_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Role keys from keys or Chinese names (受理员, 主管 …); a clear sentence for unknown ones."""
    by_name = {v: k for k, v in ROLE_NAMES.items()}
    out: list[str] = []
    for raw in roles:
        for part in raw.replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            key = part if part in ROLE_NAMES else by_name.get(part)
            if key is None:
                known = "、".join(f"{v}（{k}）" for k, v in ROLE_NAMES.items())
                raise DeskError(f"没有“{part}”这个角色。可用的角色：{known}。")
            if key not in out:
                out.append(key)
    return tuple(out)


def _roles_of(user: DeskUser) -> tuple[str, ...]:
    return tuple(r for r in user.roles.split(",") if r)


def _row(u: DeskUser) -> UserRow:
    locked = u.locked_until
    if locked is not None and not isinstance(locked, dt.datetime):
        locked = dt.datetime.fromisoformat(str(locked))
    return UserRow(u.id, u.name, u.full_name, _roles_of(u), bool(u.active), locked)


def require(role: str, what: str) -> Actor:
    """Refuse (NotAllowed) unless the current actor holds ``role``; returns the actor."""
    actor = current_actor()
    if not actor.has(role):
        raise NotAllowed(
            f"{actor.label} 没有“{ROLE_NAMES.get(role, role)}”的权限，不能{what}。"
            "请由有此权限的人登录后操作。"
        )
    return actor


def has_users() -> bool:
    return bool(DeskUser.select().exists())


def list_users() -> list[UserRow]:
    return [_row(u) for u in DeskUser.select().order_by(DeskUser.name)]


def get_user(name: str) -> UserRow | None:
    u = DeskUser.get_or_none(DeskUser.name == name.strip())
    return _row(u) if u else None


def _check_password_rules(password: str) -> None:
    if len(password) < 6:
        raise DeskError("密码至少要 6 个字符。")


def add_user(name: str, password: str, roles: Iterable[str], full_name: str = "") -> int:
    """Create an account (only an admin may, except the very first account: the admin)."""
    name = name.strip()
    keys = parse_roles(roles)
    if not name:
        raise DeskError("用户名不能为空。")
    if not keys:
        raise DeskError("至少要给一个角色，例如 --role 受理员。")
    _check_password_rules(password)
    with db.atomic():
        first = not has_users()
        if first and ADMIN not in keys:
            raise DeskError("第一个账户必须是管理员（--role 管理员）。")
        if not first:
            require(ADMIN, "添加账户")
        if DeskUser.select().where(DeskUser.name == name).exists():
            raise DeskError(f"用户名 {name} 已经有人用了。")
        user = DeskUser.create(
            name=name,
            full_name=full_name.strip(),
            roles=",".join(keys),
            password_hash=hash_password(password),
            created_at=_now(),
        )
        record(
            "user.add",
            "user",
            user.id,
            {"name": [None, name], "roles": [None, list(keys)], "full_name": [None, full_name]},
        )
    return int(user.id)


def set_active(name: str, active: bool) -> None:
    """Disable (or enable again) an account; its history stays."""
    with db.atomic():
        require(ADMIN, "停用或启用账户")
        user = DeskUser.get_or_none(DeskUser.name == name.strip())
        if user is None:
            raise DeskError(f"没有用户 {name}。")
        if bool(user.active) == active:
            return
        if not active and ADMIN in _roles_of(user) and _active_admins() <= 1:
            raise DeskError(f"{name} 是最后一个在用的管理员，不能停用。")
        DeskUser.update(active=active).where(DeskUser.id == user.id).execute()
        record(
            "user.enable" if active else "user.disable",
            "user",
            user.id,
            {"active": [not active, active]},
        )


def _active_admins() -> int:
    return sum(1 for u in DeskUser.select().where(DeskUser.active) if ADMIN in _roles_of(u))


def set_roles(name: str, roles: Iterable[str]) -> None:
    keys = parse_roles(roles)
    with db.atomic():
        require(ADMIN, "修改角色")
        user = DeskUser.get_or_none(DeskUser.name == name.strip())
        if user is None:
            raise DeskError(f"没有用户 {name}。")
        old = _roles_of(user)
        DeskUser.update(roles=",".join(keys)).where(DeskUser.id == user.id).execute()
        record("user.roles", "user", user.id, {"roles": [list(old), list(keys)]})


def set_password(name: str, password: str) -> None:
    """A new password (the admin's right, or the user's own)."""
    _check_password_rules(password)
    with db.atomic():
        if current_actor().user != name.strip():
            require(ADMIN, "修改别人的密码")
        user = DeskUser.get_or_none(DeskUser.name == name.strip())
        if user is None:
            raise DeskError(f"没有用户 {name}。")
        DeskUser.update(
            password_hash=hash_password(password), failed_tries=0, locked_until=None
        ).where(DeskUser.id == user.id).execute()
        record("user.password", "user", user.id, {"password": ["***", "***"]})


def _check(name: str, password: str, now: dt.datetime | None = None) -> DeskUser:
    """The user if the password is right; counts wrong tries and locks after MAX_TRIES."""
    now = now or _now()
    with db.atomic():
        user = DeskUser.get_or_none(DeskUser.name == name.strip())
        if user is None:
            raise SignInError("用户名或密码不对。")
        if not user.active:
            raise SignInError(f"账户 {user.name} 已停用，请找管理员。")
        locked = _row(user).locked_until
        if locked is not None and locked > now:
            raise SignInError(
                f"账户 {user.name} 因连续输错密码已锁定，请在 {locked:%H:%M} 之后再试，或请管理员重设密码。"
            )
        if password_matches(password, user.password_hash):
            if user.failed_tries or user.locked_until is not None:
                DeskUser.update(failed_tries=0, locked_until=None).where(
                    DeskUser.id == user.id
                ).execute()
            return user
        tries = int(user.failed_tries) + 1
        if tries >= MAX_TRIES:
            until = now + dt.timedelta(minutes=LOCK_MINUTES)
            DeskUser.update(failed_tries=0, locked_until=until).where(
                DeskUser.id == user.id
            ).execute()
            record("user.locked", "user", user.id, {"locked_until": [None, until]})
            message = (
                f"密码连续输错 {MAX_TRIES} 次，账户 {user.name} 已锁定 {LOCK_MINUTES} 分钟"
                f"（到 {until:%H:%M}）。"
            )
        else:
            DeskUser.update(failed_tries=tries).where(DeskUser.id == user.id).execute()
            message = f"用户名或密码不对（还可再试 {MAX_TRIES - tries} 次）。"
    # The count of wrong tries is committed above, then the refusal is raised.
    raise SignInError(message)


def sign_in(name: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check the password and return the actor to set (recorded as a sign-in)."""
    user = _check(name, password, now)
    actor = Actor(
        user=user.name,
        computer=computer_name(),
        roles=frozenset(_roles_of(user)),
        user_id=int(user.id),
    )
    with db.atomic():
        record("user.sign_in", "user", user.id, actor=actor)
    return actor


def approve(credentials: Credentials | None, what: str, role: str = SUPERVISOR) -> str:
    """The name of who approves ``what``: the current user if they hold ``role``, else the
    person whose name and password were typed for it at this moment (checked, with lockout).
    """
    actor = current_actor()
    if actor.user and actor.has(role):
        return actor.user
    label = ROLE_NAMES.get(role, role)
    if credentials is None or not credentials.name.strip():
        raise NotAllowed(f"{what}需要{label}批准：请{label}在本机输入自己的用户名和密码。")
    user = _check(credentials.name, credentials.password)
    if role not in _roles_of(user):
        raise NotAllowed(f"{user.name} 不是{label}，不能批准{what}。")
    return str(user.name)
