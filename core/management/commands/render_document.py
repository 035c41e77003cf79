"""`manage.py render_document KIND (--organization ID | --municipality ID | --pair ID) [--number N]
[--date YYYY-MM-DD] [--out FILE.pdf|FILE.html] [--dry-run]`: any kind of document for scripts and
checks (issue 10 §4).

A kind kept in the register (an order) is prepared and issued as the director would issue it —
the order on pairs takes the school's drafts awaiting approval and approves them — unless
`--dry-run`, which only renders. Other kinds are rendered. The actor is «система» (journalled)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import documents, issuing
from core.scoping import system_user


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата «{value}» не читается: нужен формат ГГГГ-ММ-ДД, например 2026-09-01.") from None


class Command(BaseCommand):
    help = "Сформировать документ (приказ, отчёт, карточку) в PDF или HTML; приказ — с регистрацией в реестре."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Вид документа: " + ", ".join(k.code for k in documents.kinds()))
        place = parser.add_mutually_exclusive_group(required=True)
        place.add_argument("--organization", type=int, help="ID организации.")
        place.add_argument("--municipality", type=int, help="ID муниципалитета.")
        place.add_argument("--pair", type=int, help="ID наставнической пары.")
        parser.add_argument("--number", help="Номер приказа (по умолчанию — следующий по шаблону).")
        parser.add_argument("--date", help="Дата документа, ГГГГ-ММ-ДД (по умолчанию — сегодня).")
        parser.add_argument("--out", type=Path, help="Куда записать: файл .pdf или .html.")
        parser.add_argument("--dry-run", action="store_true", help="Только сформировать: не издавать и не утверждать.")

    def handle(self, *args, kind, organization, municipality, pair, number, date, out, dry_run, **options):
        try:
            kind_cls = documents.kind(kind)
        except LookupError:
            known = ", ".join(k.code for k in documents.kinds())
            raise CommandError(f"Нет вида документа «{kind}». Есть: {known}.") from None
        out = Path(out) if out else None  # call_command passes a string
        if out is not None and out.suffix.lower() not in (".pdf", ".html"):
            raise CommandError("Имя файла --out должно кончаться на .pdf или .html.")
        day = _date(date) if date else timezone.localdate()
        place = self._place(organization=organization, municipality=municipality, pair=pair)
        try:
            built = kind_cls.for_command(**place)
        except ValueError as refused:
            raise CommandError(str(refused)) from None
        if kind_cls.registered and not dry_run:
            self._issue(built, place, number, day, out)
        else:
            self._render(built, number, day, out)

    def _place(self, *, organization, municipality, pair) -> dict:
        from django.apps import apps

        def get(model_label: str, pk: int, what: str):
            model = apps.get_model(model_label)
            found = model.objects.filter(pk=pk).first()
            if found is None:
                raise CommandError(f"Нет {what} с ID {pk}.")
            return found

        if organization is not None:
            return {"organization": get("registry.Organization", organization, "организации")}
        if municipality is not None:
            return {"municipality": get("registry.Municipality", municipality, "муниципалитета")}
        return {"pair": get("mentorship.Pair", pair, "пары")}

    def _render(self, built: documents.DocumentKind, number, day, out: Path | None) -> None:
        if out is None:
            raise CommandError("Укажите --out FILE.pdf или FILE.html: куда записать документ.")
        built.with_requisites(number or "", day if built.registered else None)
        if out.suffix.lower() == ".html":
            out.write_text(built.html(), encoding="utf-8")
            self.stdout.write(f"HTML записан: {out}")
            return
        rendered = built.pdf()
        out.write_bytes(rendered.content)
        self.stdout.write(f"PDF записан: {out} ({built.pages} стр.)")
        for warning in built.warnings():
            self.stderr.write(f"Внимание: {warning}")

    def _issue(self, built: documents.DocumentKind, place: dict, number, day, out: Path | None) -> None:
        organization = place.get("organization")
        municipality = place.get("municipality") or (organization.municipality if organization else None)
        if municipality is None:
            raise CommandError(
                "Приказ издаёт организация или муниципалитет: укажите --organization или --municipality."
            )
        user = system_user()
        for warning in built.warnings():
            self.stderr.write(f"Внимание: {warning}")
        document = issuing.document_prepare(kind=built, user=user, municipality=municipality, organization=organization)
        try:
            document = issuing.document_issue(
                document=document, number=number or issuing.next_number(document, day.year), date=day, user=user
            )
        except (ValidationError, PermissionDenied) as refused:
            # The draft made for this run goes too: nothing is left half-done.
            issuing.document_discard(document=document, user=user)
            messages = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
            raise CommandError("Документ не издан: " + " ".join(messages)) from None
        if out is not None:
            if out.suffix.lower() == ".html":
                out.write_text(issuing.kind_of(document).html(), encoding="utf-8")
            else:
                with document.file.open("rb") as stored:
                    out.write_bytes(stored.read())
        self.stdout.write(
            f"Издан и внесён в реестр: {document} (ID {document.pk}, {document.pages} стр.)"
            + (f" → {out}" if out else "")
        )
