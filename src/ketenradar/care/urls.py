from django.urls import path

from ketenradar.care import views

app_name = "care"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("escalaties/", views.escalations, name="escalations"),
    path("nieuw/<uuid:uuid>/", views.case_open, name="open"),
    path("overdracht/<uuid:uuid>/", views.case_handover, name="handover"),
    path("<uuid:uuid>/", views.case_detail, name="detail"),
    *(
        path(f"<uuid:uuid>/{step.replace('_', '-')}/", views.case_step, {"step": step}, name=step)
        for step in views.STEPS
    ),
]
