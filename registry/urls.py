from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipality_list"),
    path("municipalities/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("municipalities/<int:pk>/edit/", views.MunicipalityUpdateView.as_view(), name="municipality_update"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
    path("organizations/<int:pk>/delete/", views.OrganizationDeleteView.as_view(), name="organization_delete"),
    path(
        "organizations/<int:parent_pk>/contingents/new/", views.ContingentCreateView.as_view(), name="contingent_create"
    ),
    path("contingents/<int:pk>/edit/", views.ContingentUpdateView.as_view(), name="contingent_update"),
    path("contingents/<int:pk>/delete/", views.ContingentDeleteView.as_view(), name="contingent_delete"),
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("persons/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("persons/<int:parent_pk>/mentor/new/", views.MentorRecordCreateView.as_view(), name="mentor_create"),
    path("persons/<int:parent_pk>/mentee/new/", views.MenteeRecordCreateView.as_view(), name="mentee_create"),
    path("persons/<int:parent_pk>/consents/new/", views.ConsentCreateView.as_view(), name="consent_create"),
    path("mentors/", views.MentorRecordListView.as_view(), name="mentor_list"),
    path("mentors/<int:pk>/edit/", views.MentorRecordUpdateView.as_view(), name="mentor_update"),
    path("mentors/<int:pk>/delete/", views.MentorRecordDeleteView.as_view(), name="mentor_delete"),
    path("mentees/", views.MenteeRecordListView.as_view(), name="mentee_list"),
    path("mentees/<int:pk>/edit/", views.MenteeRecordUpdateView.as_view(), name="mentee_update"),
    path("mentees/<int:pk>/delete/", views.MenteeRecordDeleteView.as_view(), name="mentee_delete"),
    path("consents/", views.ConsentListView.as_view(), name="consent_list"),
    path("consents/<int:pk>/edit/", views.ConsentUpdateView.as_view(), name="consent_update"),
    path("consents/<int:pk>/withdraw/", views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("consents/<int:pk>/delete/", views.ConsentDeleteView.as_view(), name="consent_delete"),
    path("consents/<int:pk>/scan/", views.ConsentScanView.as_view(), name="consent_scan"),
]
