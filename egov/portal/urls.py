from django.urls import path

from egov.portal import apply_views, staff_views, views
from egov.portal.identity import views as identity

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # accounts (egov.portal.identity: replaceable by a national identity provider)
    path("dang-nhap/", identity.signin, name="signin"),
    path("dang-ky/", identity.signup, name="signup"),
    path("dang-ky/xac-nhan/", identity.verify, name="verify"),
    path("dang-ky/gui-lai-ma/", identity.resend, name="resend"),
    path("quen-mat-khau/", identity.reset_request, name="reset_request"),
    path("quen-mat-khau/dat-lai/", identity.reset_confirm, name="reset_confirm"),
    path("thong-tin-ca-nhan/", views.profile, name="profile"),
    # applying online
    path("nop/<str:code>/", apply_views.apply_start, name="apply"),
    path("nhap/<int:pk>/xoa/", apply_views.draft_delete, name="draft_delete"),
    path("nhap/<int:pk>/<slug:step>/", apply_views.draft_step, name="draft_step"),
    path("nhap/<int:pk>/<slug:step>/luu/", apply_views.draft_autosave, name="draft_autosave"),
    # my dossiers
    path("ho-so/", views.my_dossiers, name="my_dossiers"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/bo-sung/", views.dossier_supplement, name="supplement"),
    path("ho-so/<int:pk>/danh-gia/", views.dossier_rate, name="rate"),
    path("ho-so/<int:pk>/ket-qua/<int:file_pk>/", views.dossier_result, name="result"),
    # public
    path("tra-cuu/", views.lookup, name="lookup"),
    path("cong-khai/", views.transparency, name="transparency"),
    # feedback
    path("phan-anh/", views.feedback_list, name="feedback"),
    path("phan-anh/moi/", views.feedback_new, name="feedback_new"),
    path("phan-anh/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("xu-ly-phan-anh/", staff_views.feedback_inbox, name="staff_feedback"),
    path("xu-ly-phan-anh/<int:pk>/", staff_views.feedback_answer, name="staff_feedback_answer"),
]
