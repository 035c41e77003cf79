"""`manage.py import_roadmap FILE (--municipality ID | --organization ID) [--title ...]
[--period YYYY-MM-DD:YYYY-MM-DD] [--dry-run] [--json]`: a roadmap from its Word (.docx) or Excel
(.xlsx) document, for administrators' scripts. The same reading, checks and all-or-nothing save as
the page (`roadmaps.importers.RoadmapImporter` through `core.importing.run_import`): a new roadmap,
a draft, of the municipality or of the organization.

Without `--period` the period is read from the document's title («на период реализации 2021-2024
гг.», «на 2024/2025 учебный год»); without `--title` the title is the document's.

`--json` prints the items, an interface outside scripts rely on, exactly:
`[{"number": "1.1", "level": 2, "title": …, "deadline_text": …, "schedule": {"text", "kind",
"windows"}, "responsible_municipal": …, "responsible_organization": …, "result": …}, …]` — the
number without its final dot (the roadmap keeps it as written, «1.1.»), "schedule" as
`roadmaps.deadlines.Schedule.as_dict()`. Without it, a Russian summary: «Загружено 27 пунктов,
1 срок не распознан». A file that cannot be read, a roadmap without a period, an unknown
municipality or organization, and any error of a row are a CommandError (nothing is saved)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.importing import FileRejected, run_import
from core.scoping import system_user
from registry.models import Municipality, Organization
from roadmaps.deadlines import parse_period
from roadmaps.importers import RoadmapImporter

#: The keys of each item of `--json`, in their order.
JSON_KEYS = (
    "number",
    "level",
    "title",
    "deadline_text",
    "schedule",
    "responsible_municipal",
    "responsible_organization",
    "result",
)


class Command(BaseCommand):
    help = (
        "Загрузить дорожную карту из документа Word (.docx) или таблицы Excel (.xlsx): новая дорожная карта "
        "муниципалитета или организации (проект), всё или ничего."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Документ .docx или таблица .xlsx с дорожной картой.")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--municipality", type=int, help="Код муниципалитета: муниципальная дорожная карта.")
        owner.add_argument("--organization", type=int, help="Код организации: дорожная карта школы.")
        parser.add_argument("--title", default="", help="Название; без него — название из документа.")
        parser.add_argument(
            "--period",
            help="Период ГГГГ-ММ-ДД:ГГГГ-ММ-ДД (например 2021-01-01:2024-12-31); без него — из названия документа.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Только прочитать и проверить, ничего не сохранять.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Напечатать пункты в JSON (номер, уровень, срок …)."
        )

    def handle(self, *args, file, municipality, organization, title, period, dry_run, as_json=False, **options):
        if not file.is_file():
            raise CommandError(f"Файл {file} не найден.")
        owner = self.owner(municipality, organization)
        wanted_period = None
        if period is not None:
            wanted_period = parse_period(period)
            if wanted_period is None:
                raise CommandError(
                    f"Период «{period}» не понят: пишите --period ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, например 2021-01-01:2024-12-31."
                )
        try:
            importer = RoadmapImporter(
                user=system_user(),
                organization=owner if isinstance(owner, Organization) else None,
                municipality=owner if isinstance(owner, Municipality) else None,
                title=title,
                period=wanted_period,
            )
        except FileRejected as rejected:
            raise CommandError(rejected.message) from None
        result = run_import(importer, name=file.name, content=file.read_bytes(), dry_run=dry_run)
        if result.file_error:
            raise CommandError(result.file_error)
        if result.missing:
            raise CommandError(
                "В названии документа нет периода дорожной карты: укажите его, например --period 2024-09-01:2025-08-31."
            )
        for error in result.errors:
            where = f"Строка {error.row}" if error.row else "Документ"
            column = f", столбец «{error.column}»" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        if result.errors:
            raise CommandError("Есть ошибки: ничего не сохранено.")
        preview = result.preview or {}
        if as_json:
            items = [{key: item[key] for key in JSON_KEYS} for item in preview.get("items", [])]
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"«{preview['title']}», {preview['period_label']}: {preview['owner']}.")
        for item in preview.get("items", []):
            for warning in item["warnings"]:
                self.stdout.write(f"Пункт {item['number'] or 'без номера'} (строка {item['row']}): {warning}")
        if dry_run:
            summary = RoadmapImporter.summary(len(preview.get("items", [])), preview["unrecognised"], saved=False)
            self.stdout.write(f"{summary}. Ничего не сохранено (--dry-run).")
        else:
            self.stdout.write(f"{preview['summary']}. Дорожная карта № {preview['roadmap_id']} сохранена как проект.")

    @staticmethod
    def owner(municipality: int | None, organization: int | None):
        if organization is not None:
            found = Organization.objects.select_related("municipality").filter(pk=organization).first()
            if found is None:
                raise CommandError(
                    f"Организации с кодом {organization} нет: проверьте --organization (коды — в админке, «Организации»)."
                )
            return found
        found = Municipality.objects.filter(pk=municipality).first()
        if found is None:
            raise CommandError(
                f"Муниципалитета с кодом {municipality} нет: проверьте --municipality (коды — в админке, «Муниципалитеты»)."
            )
        return found
