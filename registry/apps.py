from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр"

    def ready(self) -> None:
        from core.exporting import register_list
        from registry import (
            importers,  # noqa: F401  (registers the registry's kinds of import)
            views,
        )

        for kind, view in (
            ("persons", views.PersonListView),
            ("mentors", views.MentorRecordListView),
            ("mentees", views.MenteeRecordListView),
            ("consents", views.ConsentListView),
            ("organizations", views.OrganizationListView),
        ):
            register_list(kind, view)
