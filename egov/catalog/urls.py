from django.urls import path

from egov.catalog import views

app_name = "catalog"
urlpatterns = [
    path("thu-tuc/", views.public_list, name="public_list"),
    path("thu-tuc/<str:code>/", views.public_detail, name="public_detail"),
    path("catalog/", views.manage_list, name="manage_list"),
    path("catalog/new/", views.procedure_edit, name="create"),
    path("catalog/import/", views.catalogue_import, name="import"),
    path("catalog/export.<str:fmt>", views.catalogue_export, name="export"),
    path("catalog/p/<str:code>/", views.manage_detail, name="manage_detail"),
    path("catalog/p/<str:code>/edit/", views.procedure_edit, name="edit"),
]
