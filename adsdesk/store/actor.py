"""Who is at the desk: the signed-in user (or only the computer), recorded with every write."""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# Role keys as stored; the desk shows the Chinese names.
CLERK, SUPERVISOR, LAYOUT, CASHIER, ADMIN = "clerk", "supervisor", "layout", "cashier", "admin"
ROLE_NAMES: dict[str, str] = {
    CLERK: "受理员",
    SUPERVISOR: "主管",
    LAYOUT: "排版",
    CASHIER: "财务",
    ADMIN: "管理员",
}
# Without sign-in (a one-PC desk, the command line) the computer may do everything a desk
# does day to day; a supervisor's approval still needs a supervisor's own password.
UNSIGNED_ROLES: frozenset[str] = frozenset({CLERK, LAYOUT, CASHIER, ADMIN})


def computer_name() -> str:
    """This computer's name as the record shows it (``ADSDESK_COMPUTER`` overrides)."""
    return os.environ.get("ADSDESK_COMPUTER") or socket.gethostname() or "本机"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return ""


@dataclass(frozen=True)
class Actor:
    """The person (``user`` empty when nobody signed in) and computer behind a write."""

    user: str = ""
    computer: str = field(default_factory=computer_name)
    roles: frozenset[str] = UNSIGNED_ROLES
    user_id: int | None = None
    via: str = "desk"  # "desk" or "cli"

    @property
    def label(self) -> str:
        """How the record names this actor: the user, else the computer."""
        return self.user or self.computer

    def has(self, role: str) -> bool:
        return role in self.roles


_current = Actor()


def current_actor() -> Actor:
    return _current


def set_actor(actor: Actor) -> Actor:
    """Make ``actor`` the one every following write records (sign-in, CLI start)."""
    global _current
    _current = actor
    return actor


def sign_out() -> Actor:
    """Back to the computer alone (sign-in off)."""
    return set_actor(Actor(via=_current.via))


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run a block as ``actor``, then restore whoever was acting before."""
    before = current_actor()
    set_actor(actor)
    try:
        yield actor
    finally:
        set_actor(before)


def cli_actor() -> Actor:
    """The command line acts as the computer, noting the operating-system login."""
    login = login_name()
    host = computer_name()
    return Actor(user="", computer=f"{host}（{login}）" if login else host, via="cli")
