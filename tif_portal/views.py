from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from tif_portal import home
from tif_portal.celery import app as celery_app


def start(request):
    if not request.user.is_authenticated:
        return render(request, "home/public.html")
    if request.user.is_contact:
        return redirect("contact:my_page")
    template, context = home.start_context(request.user)
    return render(request, template, context)


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
def health(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
