from django.urls import path  # noqa: F401 — the areas add their pages here

app_name = "signatures"

urlpatterns: list = []  # type: ignore[type-arg]
