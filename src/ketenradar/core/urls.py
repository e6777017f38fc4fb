from django.urls import path

from ketenradar.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("signaleringen/", views.notices, name="notices"),
]
