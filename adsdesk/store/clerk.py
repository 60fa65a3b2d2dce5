"""Who is working the till: the name recorded on orders, payments, cards and cash-ups."""

from __future__ import annotations

from adsdesk.store.actor import computer_name, current_actor


def current_clerk() -> str:
    """The signed-in user, else this computer's name — the same at the desk and on the
    command line, so that one person's day adds up in one cash-up (the audit keeps more)."""
    return current_actor().user or computer_name()
