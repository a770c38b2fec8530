"""Querysets compiled once per process and run with new parameters: for the hottest queries.

Django builds and compiles a queryset's SQL on every evaluation. For the access check of a
round (``access.get_assessment_for_view``: three joins, a filtered relation, two related
models) that was about 0.8 of its 1.2–1.5 ms of CPU, on every page of a round and every
autosave, while the database answers in about 0.1 ms; reading a round's answers for its
results costs the same kind of overhead (docs/performance.md, third session).

``PreparedQuery`` builds the queryset once with stand-in values for its parameters, lets
Django compile it, and keeps the SQL, the parameter positions of the stand-ins and what
Django's own iterables need to turn a row into Python values (the select list and the
converters) or into model instances (also the related-object populators and the
annotations). A call puts the real values in those positions, runs the SQL and builds the
result the same way Django does, so it cannot be told from the queryset's
(tests/assessments/test_prepared.py holds the two to the same objects and rows). It uses
compiler internals that Django has kept stable for years; those tests fail loudly if an
upgrade changes them.

Only for querysets whose shape does not depend on the values: each stand-in must come out
as SQL parameters (an ``IN`` list or a ``None`` would change the SQL), and ``rows`` only
for a ``values_list`` of fields (no annotations, whose columns Django may reorder).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins: negative numbers no primary key takes, far apart from each other.
_STANDINS = (-1_987_654_321, -1_876_543_219, -1_765_432_198, -1_654_321_987)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter position, argument name)
    compiler: Any  # SQLCompiler: applies the converters with its connection
    converters: dict
    iterable: type  # ModelIterable or ValuesListIterable: what the queryset yields
    # For model instances only:
    model: type[Model] | None = None
    init_list: tuple[str, ...] = ()
    fields: slice | None = None
    populators: tuple = ()
    annotations: tuple[tuple[str, int], ...] = ()


class PreparedQuery(Generic[M]):
    """``build(**arguments) -> QuerySet[model]`` compiled once per thread and database.

    ``first(**values)`` for a queryset of model instances, ``rows(**values)`` for a
    ``values_list``; the arguments are integers (ids).
    """

    def __init__(self, model: type[M], build: Callable[..., QuerySet], *arguments: str) -> None:
        if len(arguments) > len(_STANDINS):
            raise ValueError("Too many arguments for a prepared query.")
        self.model = model
        self.build = build
        self.arguments = arguments
        # Per thread: a compiler holds its thread's connection (Django's are per thread).
        self._local = threading.local()

    def first(self, **values: int) -> M | None:
        """The first instance for these argument values, or None."""
        compiled = self._compiled(ModelIterable)
        found = self._execute(compiled, values, one=True)
        if not found:
            return None
        row = found[0]
        obj = compiled.model.from_db(
            compiled.compiler.connection.alias,
            compiled.init_list,
            row[compiled.fields],
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations:
            setattr(obj, name, row[position])
        return obj

    def rows(self, **values: int) -> list[tuple]:
        """Every row of the ``values_list`` for these argument values, as tuples."""
        return [tuple(row) for row in self._execute(self._compiled(ValuesListIterable), values)]

    def _execute(self, compiled: _Compiled, values: dict[str, int], *, one: bool = False):
        if set(values) != set(self.arguments):
            raise TypeError(f"Expected exactly the arguments {self.arguments}.")
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = int(values[name])
        with compiled.compiler.connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            if one:
                row = cursor.fetchone()
                found = [row] if row is not None else []
            else:
                found = cursor.fetchall()
        if compiled.converters:
            return list(compiled.compiler.apply_converters(found, compiled.converters))
        return found

    def _compiled(self, iterable: type) -> _Compiled:
        cache = self._local.__dict__.setdefault("by_alias", {})
        alias = router.db_for_read(self.model)
        compiled = cache.get(alias)
        if compiled is None or compiled.compiler.connection is not connections[alias]:
            queryset = self.build(**dict(zip(self.arguments, _STANDINS, strict=False)))
            if queryset.model is not self.model or queryset.db != alias:
                raise ValueError("The query is not one of this model on its read database.")
            compiled = cache[alias] = self._compile(queryset)
        if compiled.iterable is not iterable:
            raise ValueError(f"Expected a queryset whose rows are {iterable.__name__}.")
        return compiled

    def _compile(self, queryset: QuerySet) -> _Compiled:
        query = queryset.query
        if queryset._iterable_class is ValuesListIterable and (
            query.annotation_select or query.extra_select
        ):
            raise ValueError("Prepared rows are for a values_list of fields only.")
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        standin_names = dict(zip(_STANDINS, self.arguments, strict=False))
        slots = tuple(
            (position, standin_names[value])
            for position, value in enumerate(params)
            if isinstance(value, int) and value in standin_names
        )
        if {name for _position, name in slots} != set(self.arguments):
            raise ValueError("An argument does not appear as a parameter of the query.")
        select = compiler.select[: compiler.col_count]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
            iterable=queryset._iterable_class,
        )
        if queryset._iterable_class is not ModelIterable:
            return compiled
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return replace(
            compiled,
            model=klass_info["model"],
            init_list=tuple(column[0].target.attname for column in select[start:end]),
            fields=slice(start, end),
            populators=tuple(get_related_populators(klass_info, select, queryset.db)),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )
