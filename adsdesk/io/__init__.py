"""Bringing ads in and out: pasted text, CSV and Excel tables. No Qt; saving goes through store."""
