from django.core.management.base import BaseCommand

from municipalities.services import municipalities_load


class Command(BaseCommand):
    help = "Create or update Sweden's 21 counties and 290 municipalities from the shipped data."

    def handle(self, *args, **options):
        counties, municipalities = municipalities_load()
        self.stdout.write(f"{counties} counties, {municipalities} municipalities loaded.")
