"""The Russian collation of name columns (core.db.RU_COLLATION) on PostgreSQL.

ICU, Russian, digit runs by numeric value: «Авдеева» < «Ёлкина» < «Жукова», «СОШ № 2» <
«СОШ № 11». On SQLite the collation is a function registered per connection (core.sqlite), so
this operation does nothing there."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_drop_covered_indexes")]

    operations = [CreateCollation("ru_natural", locale="ru-u-kn-true", provider="icu")]
