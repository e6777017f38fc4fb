from django.urls import path

from ketenradar.restraining import views

app_name = "restraining"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("nieuw/", views.register_start, name="register_start"),
    path("nieuw/<uuid:household>/", views.register, name="register"),
    path("<uuid:uuid>/", views.order_detail, name="detail"),
    path("<uuid:uuid>/verlenging/", views.extension_decide, name="extension"),
    path("<uuid:uuid>/hulp/", views.help_start, name="help"),
    path("<uuid:uuid>/veiligheidsplan/", views.safety_plan, name="safety_plan"),
    path("<uuid:uuid>/overtreding/", views.violation, name="violation"),
    path("<uuid:uuid>/status/", views.status_change, name="status"),
]
