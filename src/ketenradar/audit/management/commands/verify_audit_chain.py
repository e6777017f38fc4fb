from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ketenradar.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the access log, and compare it with the signed checkpoints "
        "of the checkpoint file; name the first broken link."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        path = settings.KETENRADAR_AUDIT_CHECKPOINT_PATH
        if not report.ok:
            if report.broken_seq:
                where = f"event {report.broken_seq}"
            elif report.checkpoint_line:
                where = f"line {report.checkpoint_line} of the checkpoint file {path}"
            else:
                where = "chain head"
            raise CommandError(
                f"Access log chain BROKEN at {where}: {report.problem} "
                f"({report.checked} events verified before it)."
            )
        if path is None:
            checked_against = "no checkpoint file configured"
        elif report.checkpoints:
            checked_against = f"{report.checkpoints} signed checkpoints agree"
        else:
            checked_against = f"no signed checkpoint in {path} to compare with"
        self.stdout.write(
            self.style.SUCCESS(
                f"Access log chain intact: {report.checked} events ({checked_against})."
            )
        )
