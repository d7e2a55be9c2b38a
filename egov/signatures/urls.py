from django.urls import path

from egov.signatures import views_check, views_keys, views_roots

app_name = "signatures"

urlpatterns: list = [  # type: ignore[type-arg]
    path("check/", views_check.check, name="check"),
    path("roots/", views_roots.roots, name="roots"),
    path("roots/<int:pk>/retire/", views_roots.root_retire, name="root_retire"),
    # Keys and images (views_keys.py).
    path("mine/", views_keys.mine, name="mine"),
    path("mine/image/", views_keys.mine_image, name="mine_image"),
    path("mine/keys/", views_keys.mine_key_add, name="mine_key_add"),
    path("mine/keys/<int:pk>/retire/", views_keys.mine_key_retire, name="mine_key_retire"),
    path("images/<int:pk>/", views_keys.image, name="image"),
    path("agencies/<int:unit_pk>/keys/", views_keys.agency_keys, name="agency_keys"),
    path("agencies/<int:unit_pk>/keys/add/<slug:backend>/", views_keys.agency_key_add, name="agency_key_add"),
    path("keys/<int:pk>/retire/", views_keys.agency_key_retire, name="agency_key_retire"),
    path("agencies/<int:unit_pk>/seal/", views_keys.agency_seal, name="agency_seal"),
]
