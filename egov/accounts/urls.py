from django.contrib.auth import views as auth_views
from django.urls import path

from egov.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.otp_verify, name="otp_verify"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/<int:unit_pk>/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/enrolment-code/", views.otp_code_issue, name="otp_code_issue"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
