import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tif_portal.celery import app as celery_app
from tif_portal.pagecache import never_kept
from tif_portal.storage import PUBLIC_MEDIA_FOLDERS


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
@never_kept
def health(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


MEDIA_MAX_AGE = 24 * 3600


@require_safe
def public_media(request, path):
    """Logos and knowledge pictures, to anyone, from the public storage (also in production,
    where a reverse proxy may serve the same folders instead). Only the public folders:
    private files live in another storage altogether."""
    if not path.startswith(PUBLIC_MEDIA_FOLDERS) or ".." in path.split("/"):
        raise Http404
    try:
        if not default_storage.exists(path):
            raise Http404
        stream = default_storage.open(path, "rb")
    except (SuspiciousFileOperation, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(stream, content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
    # Names change when a file is replaced (a logo gets a new random name), so a day's caching is safe.
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    response["Last-Modified"] = http_date(default_storage.get_modified_time(path).timestamp())
    return response
