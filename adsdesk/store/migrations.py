"""Schema steps: each takes the database from version i to i + 1 inside one transaction."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from adsdesk.store.models import ALL_MODELS


def v1_core(database: Database) -> None:
    """Advertisers, ads, phones, categories, insertions, settings, refuse list."""
    database.create_tables(ALL_MODELS)


def v2_layout(database: Database) -> None:
    """Per-issue layout choices (pins, order, column moves)."""
    from adsdesk.store.layout_prefs import install

    install(database)


def v3_search(database: Database) -> None:
    """The search index over ads and advertisers, filled from existing rows."""
    from adsdesk.store.search_index import install

    install(database)


MIGRATIONS: list[Callable[[Database], None]] = [v1_core, v2_layout, v3_search]
