from django.core.management.base import BaseCommand

from tif_portal.seed.demo import demo_load


class Command(BaseCommand):
    help = "Load demo data for Västernorrlands län and print the demo logins."

    def handle(self, *args, **options):
        logins = demo_load()
        self.stdout.write("Demo logins (e-mail / password / role):")
        for email, password, role in logins:
            self.stdout.write(f"  {email:36} {password:16} {role}")
