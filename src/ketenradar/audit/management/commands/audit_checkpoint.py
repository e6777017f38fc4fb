from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ketenradar.audit.checkpoints import CheckpointError, checkpoint_head


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the access log's chain head to the log stream and the "
        "checkpoint file (for a scheduled job)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_head()
        except CheckpointError as error:
            raise CommandError(f"No checkpoint written: {error}.") from error
        except OSError as error:
            message = f"Checkpoint logged, but not written to the file: {error}"
            raise CommandError(message) from error
        if checkpoint is None:
            self.stdout.write("The access log is empty: no checkpoint written.")
            return
        path = settings.KETENRADAR_AUDIT_CHECKPOINT_PATH
        where = f"the log stream and {path}" if path else "the log stream (no checkpoint file)"
        self.stdout.write(
            self.style.SUCCESS(f"Signed checkpoint of event {checkpoint.seq} written to {where}.")
        )
