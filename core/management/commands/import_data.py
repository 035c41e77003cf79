"""`manage.py import_data <kind> <file> --organization <id> [--dry-run]`: the portal's import
for administrators' scripts. The same checks and the same all-or-nothing save as the page;
exits non-zero when anything is rejected. Two runs of the same file at once save it once: the
other ends with the usual Russian message and status 1 (core.importing.lost_race_message)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.importing import IMPORTERS, FileRejected, run_import
from core.models import organization_model
from core.scoping import system_user


class Command(BaseCommand):
    help = "Загрузить людей или базы наставников/наставляемых из .xlsx или .csv (всё или ничего)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="Что загружается.")
        parser.add_argument("file", type=Path, help="Файл .xlsx или .csv.")
        parser.add_argument("--organization", type=int, help="Код организации для строк без столбца «Организация».")
        parser.add_argument("--dry-run", action="store_true", help="Только проверить, ничего не сохранять.")

    def handle(self, *args, kind, file, organization, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"Файл {file} не найден.")
        org = None
        if organization is not None:
            org = organization_model().objects.filter(pk=organization).first()
            if org is None:
                raise CommandError(f"Организации с кодом {organization} нет.")
        try:
            importer = IMPORTERS[kind](user=system_user(), organization=org)
        except FileRejected as rejected:
            raise CommandError(rejected.message) from None
        result = run_import(importer, name=file.name, content=file.read_bytes(), dry_run=dry_run)
        if result.file_error:
            raise CommandError(result.file_error)
        s = result.summary
        self.stdout.write(
            f"Строк: {s['rows']}; новых: {s['new']}, обновится: {s['updated']}, без изменений: {s['unchanged']}, "
            f"с ошибками: {s['rejected']}."
        )
        if result.ignored_columns:
            self.stdout.write("Не загружаются столбцы: " + ", ".join(f"«{c}»" for c in result.ignored_columns))
        for error in result.errors:
            if not error.row:  # the file's or the save's, not a row's
                self.stderr.write(error.message)
                continue
            column = f", столбец «{error.column}»" if error.column else ""
            self.stderr.write(f"Строка {error.row}{column}: {error.message}")
        if result.errors:
            raise CommandError("Есть ошибки: ничего не сохранено.", returncode=1)
        self.stdout.write("Проверено, ничего не сохранено (--dry-run)." if dry_run else "Сохранено.")
