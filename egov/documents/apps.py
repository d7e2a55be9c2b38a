from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "egov.documents"
    verbose_name = _("Documents and work files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The own-device signing exchange hands signed drafts back to the document services.
        from egov.documents.services.signing_device import register_device_handler

        register_device_handler()
