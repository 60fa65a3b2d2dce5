"""Former home of the whole-or-nothing writers; they live in :mod:`adsdesk.io.atomic`."""

from __future__ import annotations

from adsdesk.io.atomic import save_workbook, write_atomic, write_bytes_atomic

__all__ = ["save_workbook", "write_atomic", "write_bytes_atomic"]
