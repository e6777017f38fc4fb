from django.urls import path

from ketenradar.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.KetenradarLoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweestapsverificatie/instellen/", views.otp_setup, name="otp_setup"),
    path("tweestapsverificatie/", views.otp_verify, name="otp_verify"),
    path("rol/", views.switch_membership, name="switch_membership"),
    path("gebruikers/", views.user_list_view, name="user_list"),
    path("gebruikers/nieuw/", views.user_create_view, name="user_create"),
    path("gebruikers/<int:pk>/", views.user_detail_view, name="user_detail"),
]
