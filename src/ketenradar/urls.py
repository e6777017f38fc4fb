from django.contrib import admin
from django.urls import include, path

from ketenradar.core import views as core_views

urlpatterns = [
    path("", include("ketenradar.core.urls")),
    path("account/", include("ketenradar.accounts.urls")),
    path("personen/", include("ketenradar.persons.urls")),
    path("toegang/", include("ketenradar.access.urls")),
    path("veilig-thuis/", include("ketenradar.reports.urls")),
    path("casussen/", include("ketenradar.care.urls")),
    path("huisverboden/", include("ketenradar.restraining.urls")),
    path("opvang/", include("ketenradar.shelter.urls")),
    path("toegangslog/", include("ketenradar.audit.urls")),
    path("beheer/", include("ketenradar.regions.urls")),
    path("mda/", include("ketenradar.mda.urls")),
    path("programma/raadsrapportage/", include("ketenradar.monitor.report_urls")),
    path("programma/", include("ketenradar.programme.urls")),
    path("monitor/", include("ketenradar.monitor.urls")),
    path("api/v1/", include("ketenradar.api_urls", namespace="api")),
    # the language switch: POST only, also before signing in, its target checked
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "ketenradar.core.views.permission_denied"
handler404 = "ketenradar.core.views.page_not_found"
