from django.urls import path

from monitoring import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
