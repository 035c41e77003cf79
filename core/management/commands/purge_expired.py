"""`manage.py purge_expired [--dry-run]`: delete what the portal keeps no longer than it needs.

Imported files are kept IMPORT_RETENTION_DAYS days (default 30), for the check, the save and the
error report; then the file is deleted and the job's summary stays (152-ФЗ: personal data is
not kept longer than its purpose needs). A document the worker printed for a person
(core.models.PrintJob) is deleted with its file after PRINT_RETENTION_HOURS hours (default 24):
its download is in the journal. The worker (`manage.py worker`) runs this daily; it
can be run by hand, and prints what it removed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.document_tasks import purge_expired_prints
from core.tasks import purge_expired_imports


class Command(BaseCommand):
    help = (
        "Удалить файлы загрузок старше IMPORT_RETENTION_DAYS дней (сводки загрузок остаются) и документы, "
        "сформированные для скачивания, старше PRINT_RETENTION_HOURS часов."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Только показать, что будет удалено.")

    def handle(self, *args, dry_run, **options):
        report = purge_expired_imports(dry_run=dry_run)
        days = settings.IMPORT_RETENTION_DAYS
        verb = "Будет удалён" if dry_run else "Удалён"
        for line in report.files:
            self.stdout.write(f"{verb} файл загрузки {line}")
        for name in report.orphans:
            self.stdout.write(f"{verb} файл без загрузки: {name}")
        total = "Будет удалено" if dry_run else "Удалено"
        self.stdout.write(f"{total} файлов: {report.count} (загрузки старше {days} дн.; сводки загрузок остаются).")
        prints = purge_expired_prints(dry_run=dry_run)
        for line in prints:
            self.stdout.write(f"{verb} сформированный документ {line}")
        hours = settings.PRINT_RETENTION_HOURS
        self.stdout.write(f"{total} сформированных документов: {len(prints)} (старше {hours} ч).")
