"""Typed helpers for query rows: peewee's typing stubs call every row a model instance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peewee import Model, ModelDelete

Row = tuple[Any, ...]


def tuples(query: Any) -> Iterator[Row]:
    """The rows of ``query`` as plain tuples, in the order of its selected columns."""
    yield from query.tuples()


def first_tuple(query: Any) -> Row | None:
    """The first row of ``query`` as a plain tuple, or None when it has none."""
    row = query.tuples().first()
    return None if row is None else tuple(row)


def delete_rows(model: type[Model]) -> ModelDelete:
    """``model.delete()``: a DELETE query on the model's table, to narrow with ``.where``.

    The stubs declare ``Model.delete`` generic in the model class, which mypy cannot read off
    a concrete class (``Ad.delete()``); through ``type[Model]`` it can."""
    return model.delete()
