"""The benchmarks' settings load and keep the portal's own: a benchmark that cannot start
would only be found on the day someone measures."""

import os
import subprocess
import sys

from django.conf import settings


def test_the_benchmark_settings_add_the_baseline_task_to_the_portals_own():
    # Importing the portal must not read the settings yet: the benchmarks choose their database first.
    script = (
        "import tif_portal; from django.conf import settings; assert not settings.configured, 'read on import'; "
        "import django; django.setup(); "
        "from tif_portal.celery import app; print(sorted(app.conf.imports)); print(settings.ROOT_URLCONF)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tif_portal.bench.settings"},
    )
    assert result.returncode == 0, result.stderr
    imports, urlconf = result.stdout.splitlines()[-2:]
    assert imports == str(sorted(["tif_portal.outbox.tasks", "tif_portal.bench.tasks"]))
    assert urlconf == "tif_portal.bench.urls"
