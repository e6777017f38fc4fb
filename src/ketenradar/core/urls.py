from django.urls import path

from ketenradar.core import health, views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("signaleringen/", views.notices, name="notices"),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
]
