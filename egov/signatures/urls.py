from django.urls import path

from egov.signatures import views_check, views_roots

app_name = "signatures"

urlpatterns: list = [  # type: ignore[type-arg]
    path("check/", views_check.check, name="check"),
    path("roots/", views_roots.roots, name="roots"),
    path("roots/<int:pk>/retire/", views_roots.root_retire, name="root_retire"),
]
