from django.urls import path

from ketenradar.persons.api.views import PersonDetailApi, PersonListApi
from ketenradar.reports.api.views import PoliceReportBatchApi

app_name = "api"
urlpatterns = [
    path("personen/", PersonListApi.as_view(), name="person-list"),
    path("personen/<uuid:uuid>/", PersonDetailApi.as_view(), name="person-detail"),
    path("politie/meldingen/", PoliceReportBatchApi.as_view(), name="police-reports"),
]
