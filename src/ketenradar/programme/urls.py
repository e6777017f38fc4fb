from django.urls import path

from ketenradar.programme import views

app_name = "programme"
urlpatterns = [
    path("begroting/", views.budget_list, name="budget_list"),
    path("begroting/importeren/", views.budget_import, name="budget_import"),
    path("begroting/<int:pk>/", views.budget_detail, name="budget_detail"),
]
