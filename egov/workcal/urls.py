from django.urls import path

from egov.workcal import views

app_name = "workcal"
urlpatterns = [
    path("", views.calendar_year, name="year"),
    path("overrides/<int:pk>/remove/", views.override_remove, name="override_remove"),
]
