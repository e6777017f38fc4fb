from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import User
from ketenradar.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Make an API key for a partner system's account; the key is printed once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the key is for, e.g. CORV.")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("No active account with that username.")
        key = api_token_create(
            actor=Actor.system("system:create_api_key"),
            user=user,
            name=options["name"],
            days=options["days"],
        )
        self.stdout.write(key)
