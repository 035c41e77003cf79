"""`manage.py import_data <kind> <file> --organization <id> [--dry-run] [--json]`: the portal's
import for administrators' scripts. The same checks and the same all-or-nothing save as the page;
exits non-zero when anything is rejected. Two runs of the same file at once save it once: the
other ends with the usual Russian message and status 1 (core.importing.lost_race_message).

`--json` prints the outcome as the page's job keeps it (`ImportResult.as_dict()`, with `dry_run`)
on standard output instead of the lines for a person; the exit status is the same."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.importing import IMPORTERS, FileRejected, ImportResult, run_import
from core.models import organization_model
from core.scoping import system_user


class Command(BaseCommand):
    help = "Загрузить людей, базы наставников/наставляемых, согласия или пары из .xlsx или .csv (всё или ничего)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="Что загружается.")
        parser.add_argument("file", type=Path, help="Файл .xlsx или .csv.")
        parser.add_argument("--organization", type=int, help="Код организации для строк без столбца «Организация».")
        parser.add_argument("--dry-run", action="store_true", help="Только проверить, ничего не сохранять.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Вывести итог в JSON: сводку и ошибки по строкам."
        )

    def handle(self, *args, kind, file, organization, dry_run, as_json=False, **options):
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
            if as_json:
                self.print_json(ImportResult(kind, False, {}, [], [], rejected.message, {"name": file.name}), dry_run)
            raise CommandError(rejected.message) from None
        result = run_import(importer, name=file.name, content=file.read_bytes(), dry_run=dry_run)
        if as_json:
            self.print_json(result, dry_run)
            if result.file_error or result.errors:
                raise CommandError(result.file_error or "Есть ошибки: ничего не сохранено.", returncode=1)
            return
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

    def print_json(self, result: ImportResult, dry_run: bool) -> None:
        self.stdout.write(json.dumps({**result.as_dict(), "dry_run": dry_run}, ensure_ascii=False, indent=2))
