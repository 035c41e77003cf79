"""`manage.py coverage (--organization ID | --municipality ID) --from YYYY-MM-DD --to YYYY-MM-DD
--on YYYY-MM-DD [--json] [--out FILE.xlsx]`: the coverage form of seed 003 computed from the
registry's pairs, without a campaign (monitoring.coverage).

`--json` prints {"organizations": [{"id", "name", "figures": {figure: {form: n}}}], "total": …};
without it a readable table in Russian. `--out` writes the workbook of monitoring.exporters
(«Свод» and a sheet per school).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.choices import FIGURE_SHORT
from monitoring.coverage import FIGURES, FORMS, compute_coverage, coverage_organizations
from monitoring.exporters import coverage_workbook, sheets_from_coverage
from registry.choices import FormCode
from registry.models import Municipality, Organization


def parse_date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: «{value}» — не дата. Укажите дату в формате ГГГГ-ММ-ДД, например 2025-09-01."
        ) from None


class Command(BaseCommand):
    help = "Форма охвата наставничеством (письмо от 13.08.2021): показатели школы или муниципалитета из реестра."

    def add_arguments(self, parser):
        # One of the two, checked in handle(): argparse would say so in English.
        parser.add_argument("--organization", type=int, metavar="ID", help="id организации (или --municipality)")
        parser.add_argument("--municipality", type=int, metavar="ID", help="id муниципалитета (или --organization)")
        parser.add_argument("--from", dest="start", required=True, metavar="ГГГГ-ММ-ДД", help="начало периода")
        parser.add_argument("--to", dest="end", required=True, metavar="ГГГГ-ММ-ДД", help="конец периода")
        parser.add_argument(
            "--on", dest="on", required=True, metavar="ГГГГ-ММ-ДД", help="дата расчёта возраста и стажа"
        )
        parser.add_argument("--json", action="store_true", help="вывести JSON")
        parser.add_argument("--out", metavar="FILE.xlsx", help="записать форму в файл .xlsx")

    def handle(self, *args, **options):
        if (options["organization"] is None) == (options["municipality"] is None):
            raise CommandError(
                "Укажите одно из двух: --organization ID (одна школа) или --municipality ID (муниципалитет)."
            )
        start = parse_date(options["start"], "--from")
        end = parse_date(options["end"], "--to")
        on = parse_date(options["on"], "--on")
        if end < start:
            raise CommandError(f"--to: конец периода {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}.")
        if options["organization"] is not None:
            organization = (
                Organization.objects.select_related("municipality").filter(pk=options["organization"]).first()
            )
            if organization is None:
                raise CommandError(f"--organization: организации с id {options['organization']} нет.")
            municipality = organization.municipality
            organizations = [organization]
        else:
            municipality = Municipality.objects.filter(pk=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"--municipality: муниципалитета с id {options['municipality']} нет.")
            organizations = list(coverage_organizations(municipality_ids=[municipality.pk]))
        coverage = compute_coverage([o.pk for o in organizations], start=start, end=end, on=on)
        if options["out"]:
            out = Path(options["out"])
            if out.suffix.lower() != ".xlsx":
                raise CommandError(f"--out: «{out}» — укажите файл с расширением .xlsx.")
            note = f"(период {start:%d.%m.%Y} – {end:%d.%m.%Y}, возраст и стаж на {on:%d.%m.%Y})"
            out.write_bytes(
                coverage_workbook(
                    municipality=municipality,
                    sheets=sheets_from_coverage(organizations, coverage),
                    total=coverage.total,
                    title_note=note,
                )
            )
        if options["json"]:
            payload = {
                "organizations": [
                    {"id": o.pk, "name": o.short_name, "figures": coverage.figures(o.pk)} for o in organizations
                ],
                "total": coverage.total,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.write_table(organizations, coverage, start, end, on)
        if options["out"]:
            self.stderr.write(f"Форма записана в {options['out']}.")

    def write_table(self, organizations, coverage, start, end, on) -> None:
        labels = [FormCode(code).label for code in FORMS]
        width = max(len(label) for label in FIGURE_SHORT.values()) + 2
        self.stdout.write(
            f"Охват наставничеством за период {start:%d.%m.%Y} – {end:%d.%m.%Y}, возраст и стаж на {on:%d.%m.%Y}"
        )
        blocks = [(o.short_name, coverage.figures(o.pk)) for o in organizations]
        if len(organizations) > 1 or not organizations:
            blocks.append(("Итого (каждый человек и предприятие один раз)", coverage.total))
        for name, figures in blocks:
            self.stdout.write("")
            self.stdout.write(name)
            self.stdout.write("".ljust(width) + "".join(label.rjust(24) for label in labels))
            for figure in FIGURES:
                values = "".join(str(figures[figure][code]).rjust(24) for code in FORMS)
                self.stdout.write(FIGURE_SHORT[figure].capitalize().ljust(width) + values)
