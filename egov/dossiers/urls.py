from django.urls import path

from egov.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("receive/", views.intake_pick, name="intake_pick"),
    path("register/", views.dossier_register, name="register"),
    path("receive/<str:code>/", views.intake_form, name="intake_form"),
    path("receive/<str:code>/refuse/", views.intake_refuse, name="intake_refuse"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/form-<str:form_no>.pdf", views.dossier_form_pdf, name="form_pdf"),
    path("<int:pk>/files/<int:file_pk>/", views.dossier_file, name="file"),
    path("<int:pk>/<slug:action>/", views.dossier_action, name="action"),
]
