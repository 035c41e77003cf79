"""Database pieces that make Russian text behave the same on PostgreSQL and SQLite.

- `RU_COLLATION` («ru_natural»): Russian alphabetical order with «ё» among the «е» and numbers
  in natural order («СОШ № 2» before «СОШ № 11»). On PostgreSQL an ICU collation created by
  core's migration 0004; on SQLite a collation function registered on every connection
  (core.sqlite). Name columns carry it (`db_collation`), so every ORDER BY of a list, a filter's
  choices and the admin is Russian without a special case anywhere.
- `Fold(expression)`: the text folded as `core.russian.fold` folds it (case, «ё» → «е») — what
  unique indexes on names are built on, so the database holds the same identity as the services.
- `icontains` folds «ё» too: registered for every CharField and TextField, so the search boxes
  and the admin's search find «Ёлкина» by «елкина» (and «Елкина» by «ёлкина») on both databases.
"""

from __future__ import annotations

from django.db import models
from django.db.models.lookups import IContains

from core.russian import unyo

RU_COLLATION = "ru_natural"
#: ICU locale of the collation: Russian, numeric ordering of digit runs («kn»).
RU_COLLATION_LOCALE = "ru-u-kn-true"


class Fold(models.Func):
    """Lower case with «ё» read as «е»; SQLite calls core.sqlite's `fold`, which is `core.russian.fold`."""

    function = "fold"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="LOWER(TRANSLATE(%(expressions)s, 'Ёё', 'Ее'))", **extra_context
        )


class FoldedIContains(IContains):
    """`icontains` that also reads «ё» as «е» on both sides of the comparison."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        if connection.vendor == "postgresql":
            # UPPER() came first, so only the capital «Ё» is left to translate.
            sql = f"TRANSLATE({sql}, 'Ё', 'Е')"
        # SQLite: the LIKE function of core.sqlite folds «ё» itself.
        return sql, params

    def process_rhs(self, qn, connection):
        sql, params = super().process_rhs(qn, connection)
        if self.rhs_is_direct_value() and params and isinstance(params[0], str):
            params[0] = unyo(params[0])
        return sql, params


def register_lookups() -> None:
    for field in (models.CharField, models.TextField):
        field.register_lookup(FoldedIContains)


def flag(condition) -> models.Case:
    """A condition (Q or Exists) as a True/False annotation: lists mark their rows with it."""
    return models.Case(
        models.When(condition, then=models.Value(True)), default=models.Value(False), output_field=models.BooleanField()
    )
