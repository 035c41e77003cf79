from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from roadmaps import importers  # noqa: F401  (registers the import of roadmaps)
