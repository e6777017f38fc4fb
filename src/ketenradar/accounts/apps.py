from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ketenradar.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from ketenradar.accounts.roles import sync_roles_after_migrate

        # Roles are data (roles.json); they are brought in line after every migrate, once
        # Django has created the permissions they refer to.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="ketenradar_sync_roles")
