"""Who is working the desk: the name recorded on orders, payments, cards and cash-ups."""

from __future__ import annotations

import os
import socket


def current_clerk() -> str:
    """The clerk to record: ``ADSDESK_CLERK`` when set, else this computer's name.

    Users and sign-in come with the audit (issue 12); until then the computer stands for the clerk.
    """
    return os.environ.get("ADSDESK_CLERK", "").strip() or socket.gethostname() or "本机"
