from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from core import documents
        from roadmaps import importers  # noqa: F401  (registers the import of roadmaps)
        from roadmaps.exporters import RoadmapPrint
        from roadmaps.kinds import KINDS

        documents.register(RoadmapPrint)
        for kind_cls in KINDS:
            documents.register(kind_cls)
