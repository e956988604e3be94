"""Error bodies: one shape for every error, in the language of ``Accept-Language``.

    {"error": {"status": 404, "code": "not_found", "message": "Hittades inte.", "fields": {...}}}
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _message(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_message(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(_message(d) for d in detail.values())
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):  # a service refused: its messages are for the caller
        exc = exceptions.ValidationError(exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    body = {"status": response.status_code, "code": getattr(exc, "default_code", "error")}
    if isinstance(exc, Http404):
        body["code"] = "not_found"
    elif isinstance(exc, PermissionDenied):
        body["code"] = "permission_denied"
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        body["message"] = _message(detail.get("non_field_errors") or detail.get("detail") or next(iter(detail.values()), ""))
        body["fields"] = detail
    elif isinstance(detail, dict) and "detail" in detail:
        body["message"] = str(detail["detail"])
    else:
        body["message"] = _message(detail)
    response.data = {"error": body}
    return response


def error_response(status_code: int, code: str, message: str, **extra) -> Response:
    return Response({"error": {"status": status_code, "code": code, "message": str(message), **extra}}, status=status_code)


UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_ENTITY
