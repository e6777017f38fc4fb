from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from ketenradar.accounts import views

app_name = "accounts"
# Django's class-based views answer OPTIONS (and a FormView PUT): a page answers only these.
PAGE = ["get", "head", "post"]
urlpatterns = [
    path("inloggen/", views.KetenradarLoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    # Setting or resetting a password by a link sent by e-mail (also for new accounts).
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            http_method_names=PAGE,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verzonden/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html", http_method_names=["get", "head"]
        ),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        # its dispatch() renders the invalid-link page for any method: checked before it
        require_http_methods(["GET", "HEAD", "POST"])(
            auth_views.PasswordResetConfirmView.as_view(
                http_method_names=PAGE,
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html", http_method_names=["get", "head"]
        ),
        name="password_reset_complete",
    ),
    path("tweestapsverificatie/instellen/", views.otp_setup, name="otp_setup"),
    path("tweestapsverificatie/", views.otp_verify, name="otp_verify"),
    path("rol/", views.switch_membership, name="switch_membership"),
    path("gebruikers/", views.user_list_view, name="user_list"),
    path("gebruikers/nieuw/", views.user_create_view, name="user_create"),
    path("gebruikers/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("goedkeuringen/", views.membership_approvals, name="membership_approvals"),
]
