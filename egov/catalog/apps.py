from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "egov.catalog"
    label = "catalog"
