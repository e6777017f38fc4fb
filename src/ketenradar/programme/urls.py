from django.urls import path

from ketenradar.programme import views

app_name = "programme"
urlpatterns = [
    path("begroting/", views.budget_list, name="budget_list"),
    path("begroting/importeren/", views.budget_import, name="budget_import"),
    path("begroting/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("", views.programme_overview, name="overview"),
    path("opgaven/<int:task_pk>/acties/nieuw/", views.action_create, name="action_create"),
    path("acties/<int:pk>/", views.action_detail, name="action_detail"),
    path("acties/<int:pk>/bewerken/", views.action_edit, name="action_edit"),
    path("acties/<int:pk>/status/", views.action_status, name="action_status"),
    path("acties/<int:pk>/notities/", views.action_note, name="action_note"),
]
