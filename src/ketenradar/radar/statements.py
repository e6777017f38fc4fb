"""Statements compiled once by the ORM and then run with new values.

A lookup must not build a query per call: the ORM's query building costs more than the
indexed reads themselves. A ``Statement`` asks the ORM for its SQL once per database
connection (with sentinel values in place of the real ones), and then runs that very SQL
text with the values of each call, converting the results as the ORM would. Every lookup
thus sends the same statements, which the database can keep planned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class Statement:
    """``build(placeholders)`` makes the queryset; ``placeholders`` are ``size`` sentinel
    values of the kind ``sentinel(i)`` gives, replaced at run time by the call's values."""

    def __init__(
        self,
        build: Callable[[list[Any]], QuerySet[Any, Any]],
        size: int,
        sentinel: Callable[[int], Any],
    ) -> None:
        self.build = build
        self.size = size
        self.sentinel = sentinel
        self._local = threading.local()

    def _compiled(self) -> tuple[Any, str, list[tuple[bool, Any]], str]:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            placeholders = [self.sentinel(i) for i in range(self.size)]
            position = {(type(v), v): i for i, v in enumerate(placeholders)}
            queryset = self.build(placeholders)
            compiler = queryset.query.get_compiler(queryset.db)
            sql, params = compiler.as_sql()
            # per parameter: (True, index of the call's value) or (False, a constant)
            slots: list[tuple[bool, Any]] = []
            for param in params:
                found = position.get((type(param), param))
                slots.append((True, found) if found is not None else (False, param))
            if sum(1 for is_value, _ in slots if is_value) != self.size:
                raise RuntimeError("a placeholder did not reach the SQL as one parameter")
            compiled = (compiler, sql, slots, queryset.db)
            self._local.compiled = compiled
        return compiled

    def rows(self, values: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of the statement for these ``size`` values, converted as the ORM does."""
        if len(values) != self.size:
            raise ValueError(f"this statement takes {self.size} values, not {len(values)}")
        compiler, sql, slots, alias = self._compiled()
        params = [values[slot] if is_value else slot for is_value, slot in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))
