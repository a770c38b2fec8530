"""Querysets compiled once per process and run with new parameters: for the hottest query.

Django builds and compiles a queryset's SQL on every evaluation. For the access check of a
round (``access.get_assessment_for_view``: three joins, a filtered relation, two related
models) that was about 0.8 of its 1.2–1.5 ms of CPU, on every page of a round and every
autosave; the database answers in about 0.1 ms (docs/performance.md, third session).

``PreparedQuery`` builds the queryset once with stand-in values for its parameters, lets
Django compile it, and keeps the SQL, the parameter positions of the stand-ins and what
Django's own ``ModelIterable`` needs to turn a row into model instances (the select list,
the converters, the related-object populators). A call puts the real values in those
positions, runs the SQL and builds the instances the same way Django does, so they are
indistinguishable from the queryset's (tests/assessments/test_prepared.py holds the two
to the same objects). It relies on compiler internals that Django has kept stable for
years; the test fails loudly if an upgrade changes them.

Only for querysets whose shape does not depend on the values: a stand-in must come out as
exactly one SQL parameter per use (an ``IN`` list or a ``None`` would change the SQL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins: negative numbers no primary key takes, far apart from each other.
_STANDINS = (-1_987_654_321, -1_876_543_219, -1_765_432_198, -1_654_321_987)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter position, argument name)
    model: type[Model]
    init_list: list[str]
    fields_start: int
    fields_end: int
    converters: dict
    compiler: Any  # SQLCompiler: applies the converters with its connection
    populators: list
    annotations: dict[str, int]


class PreparedQuery(Generic[M]):
    """``build(**arguments) -> QuerySet[model]`` compiled once per thread and database."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], *arguments: str) -> None:
        if len(arguments) > len(_STANDINS):
            raise ValueError("Too many arguments for a prepared query.")
        self.model = model
        self.build = build
        self.arguments = arguments
        # Per thread: a compiler holds its thread's connection (Django's are per thread).
        self._local = threading.local()

    def first(self, **values: int) -> M | None:
        """The first instance for these argument values (integers), or None."""
        if set(values) != set(self.arguments):
            raise TypeError(f"Expected exactly the arguments {self.arguments}.")
        compiled = self._compiled()
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = int(values[name])
        connection = compiled.compiler.connection
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        db = connection.alias
        obj = compiled.model.from_db(
            db, compiled.init_list, row[compiled.fields_start : compiled.fields_end]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        return obj

    def _compiled(self) -> _Compiled:
        cache = self._local.__dict__.setdefault("by_alias", {})
        alias = router.db_for_read(self.model)
        compiled = cache.get(alias)
        if compiled is None or compiled.compiler.connection is not connections[alias]:
            queryset = self.build(**dict(zip(self.arguments, _STANDINS, strict=False)))
            if queryset.model is not self.model or queryset.db != alias:
                raise ValueError("The query is not one of this model on its read database.")
            compiled = cache[alias] = self._compile(queryset)
        return compiled

    def _compile(self, queryset: QuerySet[M]) -> _Compiled:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        standin_names = dict(zip(_STANDINS, self.arguments, strict=False))
        slots = tuple(
            (position, standin_names[value])
            for position, value in enumerate(params)
            if isinstance(value, int) and value in standin_names
        )
        if {name for _position, name in slots} != set(self.arguments):
            raise ValueError("An argument does not appear as a parameter of the query.")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            fields_start=start,
            fields_end=end,
            converters=compiler.get_converters([column[0] for column in select]),
            compiler=compiler,
            populators=get_related_populators(klass_info, select, queryset.db),
            annotations=dict(compiler.annotation_col_map or {}),
        )
