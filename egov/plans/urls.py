from django.urls import path

from egov.plans import views

app_name = "plans"
urlpatterns = [
    path("kpis/", views.plan_kpis, name="kpis"),
    path("index-766/", views.index_766, name="index766"),
]
