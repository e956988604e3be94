import time

from django.core.management.base import BaseCommand

from tif_portal.seed.national import Sizes, national_load


class Command(BaseCommand):
    help = "Load national-scale data: all 290 municipalities with working groups, sites, contacts and meetings."

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=Sizes.sites)
        parser.add_argument("--meetings", type=int, default=Sizes.meetings)
        parser.add_argument("--seed", type=int, default=290)

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = national_load(
            sizes=Sizes(sites=options["sites"], meetings=options["meetings"]),
            seed=options["seed"],
            log=self.stdout.write,
        )
        if counts:
            summary = ", ".join(f"{name} {count:,}".replace(",", " ") for name, count in counts.items())
            self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s: {summary}")
