from django.urls import path

from ketenradar.persons import views

app_name = "persons"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("nieuw/", views.person_create, name="create"),
    path("<uuid:uuid>/", views.person_detail, name="detail"),
    path("<uuid:uuid>/afdrukken/", views.person_detail, {"printable": True}, name="print"),
    path("huishouden/<uuid:uuid>/", views.household_detail, name="household"),
]
