from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "egov.workcal"
    label = "workcal"
