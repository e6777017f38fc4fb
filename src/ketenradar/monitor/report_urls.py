"""The council report, under ``/programma/raadsrapportage/``: it reads the programme and
the monitor, so it lives in ``monitor``, the app above both."""

from django.urls import path

from ketenradar.monitor import views

app_name = "council_report"
urlpatterns = [
    path("", views.council_report, name="html"),
    path("pdf/", views.council_report_pdf, name="pdf"),
]
