from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Наставничество"

    def ready(self) -> None:
        from core import documents
        from core.exporting import register_list
        from core.panels import register_panel
        from mentorship import importers, views  # noqa: F401  (importers registers the import of pairs)
        from mentorship.kinds import PAIR_PAPERS
        from mentorship.orders import PairOrder

        documents.register(PairOrder)
        register_list("pairs", views.PairListView)
        register_list("recognitions", views.RecognitionListView)
        register_list("practices", views.PracticeListView)
        # A person's pairs on the registry's person page, which cannot import mentorship.
        register_panel("person_detail", "pairs", views.person_pairs_panel)
        for kind_cls in PAIR_PAPERS.values():
            documents.register(kind_cls)
