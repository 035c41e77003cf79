"""`manage.py export_data <kind> --organization <id> --out <file>`: a list as the portal
exports it (the same columns, the withdrawn left out), for administrators' scripts; journalled."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exporting import EXPORTABLE_LISTS, export_list
from core.scoping import system_user


class Command(BaseCommand):
    help = "Выгрузить список (люди, наставники, наставляемые, согласия, организации) в .xlsx или .csv."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTABLE_LISTS))
        parser.add_argument("--organization", type=int, help="Только эта организация.")
        parser.add_argument("--out", type=Path, required=True, help="Файл .xlsx или .csv.")

    def handle(self, *args, kind, organization, out, **options):
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("Имя файла должно кончаться на .xlsx или .csv.")
        params = {"organization": str(organization)} if organization else {}
        rendered = export_list(EXPORTABLE_LISTS[kind], user=system_user(), params=params, fmt=fmt)
        out.write_bytes(rendered.content)
        self.stdout.write(f"Выгружено строк: {rendered.rows} → {out}")
