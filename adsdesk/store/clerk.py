"""Who is working the till: the name recorded on orders, payments, cards and cash-ups."""

from __future__ import annotations

from adsdesk.store.actor import current_actor


def current_clerk() -> str:
    """The signed-in user, else this computer (the actor every store write records)."""
    return current_actor().label
