# Letter files name contacts: they move out of the public media folder into the private storage.

import tif_portal.storage
from django.db import migrations, models


def move_results_to_private_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    from tif_portal.storage import private_storage

    BackgroundJob = apps.get_model("tif_portal", "BackgroundJob")
    for name in BackgroundJob.objects.exclude(result="").values_list("result", flat=True):
        if default_storage.exists(name) and not private_storage.exists(name):
            with default_storage.open(name, "rb") as old:
                private_storage.save(name, old)
        if default_storage.exists(name):
            default_storage.delete(name)


class Migration(migrations.Migration):

    dependencies = [
        ('tif_portal', '0002_backgroundjob'),
    ]

    operations = [
        migrations.AlterField(
            model_name='backgroundjob',
            name='result',
            field=models.FileField(blank=True, storage=tif_portal.storage.get_private_storage, upload_to='jobs/', verbose_name='resultat'),
        ),
        migrations.RunPython(move_results_to_private_storage, migrations.RunPython.noop),
    ]
