from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from egov.core import views as core_views
from egov.site import views as site_views
from egov.site.api import api

urlpatterns = [
    # The namespace stays "core" so that every {% url "core:home" %} keeps working.
    path("", include(([path("", site_views.home, name="home")], "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("egov.accounts.urls")),
    path("units/", include("egov.orgs.urls")),
    path("audit/", include("egov.audit.urls")),
    path("calendar/", include("egov.workcal.urls")),
    path("", include("egov.catalog.urls")),
    path("dossiers/", include("egov.dossiers.urls")),
    path("documents/", include("egov.documents.urls")),
    path("signatures/", include("egov.signatures.urls")),
    path("reports/", include("egov.reports.urls")),
    path("plans/", include("egov.plans.urls")),
    path("cong-dan/", include("egov.portal.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
]

handler404 = "egov.core.views.not_found"
