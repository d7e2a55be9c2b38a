from django.urls import path

from egov.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export.xlsx", views.audit_export, name="export"),
    path("sign-in-failures/", views.signin_failures, name="signin_failures"),
]
