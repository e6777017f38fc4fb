from django.urls import path

from ketenradar.shelter import views

app_name = "shelter"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("bezetting/", views.occupancy, name="occupancy"),
    path("vrije-plaatsen/", views.free_capacity, name="free_capacity"),
    path("plaatsingen/", views.placements, name="placements"),
    path("plaatsingen/nieuw/", views.placement_new, name="placement_new"),
    path("plaatsingen/<uuid:uuid>/", views.placement_detail, name="placement_detail"),
    path("plaatsingen/<uuid:uuid>/beeindigen/", views.placement_end, name="placement_end"),
    path("wachtlijst/", views.waiting_list, name="waiting_list"),
    path("wachtlijst/nieuw/", views.waiting_new, name="waiting_new"),
    path("wachtlijst/<uuid:uuid>/plaatsen/", views.waiting_place, name="waiting_place"),
    path("wachtlijst/<uuid:uuid>/intrekken/", views.waiting_withdraw, name="waiting_withdraw"),
    path("ambulant/", views.trajectories, name="trajectories"),
    path("ambulant/nieuw/", views.trajectory_new, name="trajectory_new"),
    path("ambulant/<uuid:uuid>/afsluiten/", views.trajectory_end, name="trajectory_end"),
]
