from django.urls import path

from egov.reports import views
from egov.reports.dashboard import dashboard, dashboard_drill

app_name = "reports"
urlpatterns = [
    path("ii06a/", views.report_ii06a, name="ii06a"),
    path("ii06a/drill/", views.report_drill, name="drill"),
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/drill/", dashboard_drill, name="dashboard_drill"),
]
