from django.urls import path

from ketenradar.monitor import views

app_name = "monitor"
urlpatterns = [path("", views.kpis, name="kpis")]
