from django.urls import path

from ketenradar.reports import views

app_name = "reports"
urlpatterns = [
    path("werkvoorraad/", views.work_queue, name="work_queue"),
    path("dossiers/<uuid:uuid>/", views.dossier_detail, name="dossier_detail"),
    path("meldcode/", views.meldcode_start, name="meldcode_start"),
    path("meldcode/acuut/", views.meldcode_acute, name="meldcode_acute"),
    path("meldcode/nieuw/", views.meldcode_new, name="meldcode_new"),
    path("meldcode/<uuid:uuid>/", views.meldcode_detail, name="meldcode_detail"),
    path("meldcode/<uuid:uuid>/naar-veilig-thuis/", views.meldcode_submit, name="meldcode_submit"),
]
