from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from core import documents
        from monitoring.kinds import ConsolidatedReport, CoverageFormPdf

        documents.register(CoverageFormPdf)
        documents.register(ConsolidatedReport)
