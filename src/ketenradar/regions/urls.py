from django.urls import path

from ketenradar.regions import views

app_name = "regions"
urlpatterns = [
    path("regio/", views.overview, name="overview"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_edit, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_edit, name="organisation_edit"),
]
