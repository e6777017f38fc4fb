from django.urls import path

from ketenradar.reports import views

app_name = "reports"
urlpatterns = [
    path("werkvoorraad/", views.work_queue, name="work_queue"),
    path("contacten/nieuw/", views.contact_new, name="contact_new"),
    path("contacten/<uuid:uuid>/", views.contact_detail, name="contact_detail"),
    path("contacten/<uuid:uuid>/melding/", views.contact_convert, name="contact_convert"),
    path(
        "contacten/<uuid:uuid>/koppelingen/<uuid:proposal>/bevestigen/",
        views.match_confirm,
        name="match_confirm",
    ),
    path(
        "contacten/<uuid:uuid>/koppelingen/<uuid:proposal>/afwijzen/",
        views.match_reject,
        name="match_reject",
    ),
    path(
        "contacten/<uuid:uuid>/koppelingen/<uuid:proposal>/ongedaan-maken/",
        views.match_undo,
        name="match_undo",
    ),
    path("dossiers/<uuid:uuid>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<uuid:uuid>/beoordeling/", views.dossier_assess, name="dossier_assess"),
    path(
        "dossiers/<uuid:uuid>/onderzoek/",
        views.investigation_complete,
        name="investigation_complete",
    ),
    path("dossiers/<uuid:uuid>/status/", views.dossier_move, name="dossier_move"),
    path("dossiers/<uuid:uuid>/toewijzen/", views.dossier_assign, name="dossier_assign"),
    path("dossiers/<uuid:uuid>/taken/<int:pk>/gedaan/", views.task_done, name="task_done"),
    path("dossiers/<uuid:uuid>/taken/<int:pk>/verlengen/", views.task_extend, name="task_extend"),
    path(
        "dossiers/<uuid:uuid>/monitoring/<int:pk>/", views.monitoring_done, name="monitoring_done"
    ),
    path("meldcode/", views.meldcode_start, name="meldcode_start"),
    path("meldcode/acuut/", views.meldcode_acute, name="meldcode_acute"),
    path("meldcode/nieuw/", views.meldcode_new, name="meldcode_new"),
    path("meldcode/<uuid:uuid>/", views.meldcode_detail, name="meldcode_detail"),
    path("meldcode/<uuid:uuid>/naar-veilig-thuis/", views.meldcode_submit, name="meldcode_submit"),
]
