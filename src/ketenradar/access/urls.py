from django.urls import path

from ketenradar.access import views

app_name = "access"
urlpatterns = [
    path("noodtoegang/<uuid:uuid>/", views.break_glass, name="break_glass"),
    path("noodtoegang/beoordelen/", views.review_list, name="review_list"),
    path("noodtoegang/beoordelen/<int:pk>/", views.review, name="review"),
]
