from django.urls import path, re_path

from ketenradar.monitor import views

app_name = "monitor"
urlpatterns = [
    path("", views.kpis, name="kpis"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    re_path(r"^cbs\.(?P<fmt>csv|xlsx)$", views.cbs_export, name="cbs_export"),
]
