from django.contrib.auth import views as auth_views
from django.urls import path

from core import views_documents, views_health, views_import, views_users
from core.auth import LoginForm

urlpatterns = [
    path("import/", views_import.ImportStartView.as_view(), name="import_start"),
    path("import/<int:pk>/", views_import.ImportJobView.as_view(), name="import_job"),
    path("import/<int:pk>/save/", views_import.ImportSaveView.as_view(), name="import_save"),
    path("import/<int:pk>/options/", views_import.ImportOptionsView.as_view(), name="import_options"),
    path("import/<int:pk>/errors.xlsx", views_import.ImportErrorsView.as_view(), name="import_errors"),
    path("import/templates/<slug:kind>.xlsx", views_import.ImportTemplateView.as_view(), name="import_template"),
    path("documents/", views_documents.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views_documents.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/issue/", views_documents.DocumentIssueView.as_view(), name="document_issue"),
    path("documents/<int:pk>/cancel/", views_documents.DocumentCancelView.as_view(), name="document_cancel"),
    path("documents/<int:pk>/delete/", views_documents.DocumentDiscardView.as_view(), name="document_discard"),
    path("documents/<int:pk>/document.pdf", views_documents.DocumentFileView.as_view(), name="document_file"),
    path("documents/prints/<int:pk>/", views_documents.PrintJobView.as_view(), name="print_job"),
    path("documents/prints/<int:pk>/document.pdf", views_documents.PrintJobFileView.as_view(), name="print_job_file"),
    path("profile/", views_users.ProfileView.as_view(), name="profile"),
    path("users/", views_users.UserListView.as_view(), name="user_list"),
    path("users/<int:pk>/edit/", views_users.UserUpdateView.as_view(), name="user_update"),
    path("healthz/", views_health.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
]
