"""Queue the retention job; schedule this daily (cron, a systemd timer). The worker
(`manage.py db_worker`) runs it."""

from django.core.management.base import BaseCommand

from digibank.clients.retention import anonymise_due_clients


class Command(BaseCommand):
    help = "Queue the job that anonymises the clients whose retention period has passed."

    def handle(self, *args, **options):
        result = anonymise_due_clients.enqueue()
        self.stdout.write(f"retention job queued: {result.id}")
