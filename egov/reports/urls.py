from django.urls import path

from egov.reports import views

app_name = "reports"
urlpatterns = [
    path("ii06a/", views.report_ii06a, name="ii06a"),
    path("ii06a/drill/", views.report_drill, name="drill"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/drill/", views.dashboard_drill, name="dashboard_drill"),
]
