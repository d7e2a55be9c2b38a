from django.urls import path

from egov.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("import/", views.units_import, name="import"),
]
