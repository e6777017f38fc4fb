from django.urls import path

from ketenradar.mda import views

app_name = "mda"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("aanmelden/<uuid:case_uuid>/", views.refer, name="refer"),
    path("aanmeldingen/<uuid:uuid>/", views.referral_detail, name="referral_detail"),
    path("aanmeldingen/<uuid:uuid>/accepteren/", views.referral_accept, name="referral_accept"),
    path("aanmeldingen/<uuid:uuid>/afwijzen/", views.referral_decline, name="referral_decline"),
    path("aanmeldingen/<uuid:uuid>/terugleggen/", views.hand_back, name="hand_back"),
    path("overleggen/", views.conference_list, name="conference_list"),
    path("overleggen/nieuw/", views.conference_plan, name="conference_plan"),
    path("overleggen/<uuid:uuid>/", views.conference_detail, name="conference_detail"),
    path("overleggen/<uuid:uuid>/gehouden/", views.conference_hold, name="conference_hold"),
    path(
        "overleggen/<uuid:uuid>/casussen/<int:pk>/weging/",
        views.conference_case_weigh,
        name="conference_case_weigh",
    ),
    path(
        "overleggen/<uuid:uuid>/casussen/<int:pk>/acties/",
        views.conference_action_add,
        name="conference_action_add",
    ),
]
