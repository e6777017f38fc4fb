from django.urls import path

from ketenradar.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.person_log_search, name="person_log_search"),
    path("persoon/<uuid:uuid>/", views.person_log, name="person_log"),
    path("persoon/<uuid:uuid>/export.csv", views.person_log_export, name="person_log_export"),
    path("medewerker/<int:pk>/", views.user_log, name="user_log"),
]
