from django.urls import path

from ketenradar.reports import views

app_name = "reports"
urlpatterns = [
    path("werkvoorraad/", views.work_queue, name="work_queue"),
    path("dossiers/<uuid:uuid>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<uuid:uuid>/beoordeling/", views.dossier_assess, name="dossier_assess"),
    path("dossiers/<uuid:uuid>/taken/<int:pk>/gedaan/", views.task_done, name="task_done"),
    path("dossiers/<uuid:uuid>/taken/<int:pk>/verlengen/", views.task_extend, name="task_extend"),
    path(
        "dossiers/<uuid:uuid>/naar-monitoring/",
        views.dossier_to_monitoring,
        name="dossier_to_monitoring",
    ),
    path(
        "dossiers/<uuid:uuid>/monitoring/<int:pk>/", views.monitoring_done, name="monitoring_done"
    ),
    path("meldcode/", views.meldcode_start, name="meldcode_start"),
    path("meldcode/acuut/", views.meldcode_acute, name="meldcode_acute"),
    path("meldcode/nieuw/", views.meldcode_new, name="meldcode_new"),
    path("meldcode/<uuid:uuid>/", views.meldcode_detail, name="meldcode_detail"),
    path("meldcode/<uuid:uuid>/naar-veilig-thuis/", views.meldcode_submit, name="meldcode_submit"),
]
