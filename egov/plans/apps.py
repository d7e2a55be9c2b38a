from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "egov.plans"
    label = "plans"
