from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ketenradar.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the access log; name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            where = f"event {report.broken_seq}" if report.broken_seq else "chain head"
            raise CommandError(
                f"Access log chain BROKEN at {where}: {report.problem} "
                f"({report.checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Access log chain intact: {report.checked} events."))
