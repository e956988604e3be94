"""Production settings pass Django's deploy check and send the security headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7%Qm2!vLr9#pT4zW8@kN3$hB6^cF1&jD5*gS0(aE2)uY7+oI4",
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "tif.example.se",
    "DJANGO_DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "tif_portal.settings",
}


def _production(args, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION_ENV | (extra_env or {})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_deploy_check_passes_with_production_settings():
    result = _production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr


PROBE = r"""
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="tif.example.se")
page = client.get("/konto/logga-in/", secure=True)
out = {"status": page.status_code, "headers": dict(page.headers),
       "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"])} for k, v in page.cookies.items()}}
plain = client.get("/konto/logga-in/")
out["plain_status"] = plain.status_code
out["plain_location"] = plain.headers.get("Location", "")
from django.conf import settings
out["session_cookie"] = {"secure": settings.SESSION_COOKIE_SECURE, "httponly": settings.SESSION_COOKIE_HTTPONLY}
print(json.dumps(out))
"""


def test_production_responses_carry_security_headers_and_secure_cookies(tmp_path):
    # Production serves collected, hashed static files.
    var = {"TIF_VAR_DIR": str(tmp_path)}
    collected = _production(["manage.py", "collectstatic", "--noinput", "-v", "0"], var)
    assert collected.returncode == 0, collected.stderr
    result = _production(["-c", PROBE], var)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {k.lower(): v for k, v in out["headers"].items()}
    assert out["status"] == 200
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert out["cookies"]["csrftoken"] == {"secure": True, "httponly": True}
    assert out["session_cookie"] == {"secure": True, "httponly": True}
    assert out["plain_status"] == 301 and out["plain_location"].startswith("https://")


def _script_sources(csp: str) -> str:
    for directive in csp.split(";"):
        if directive.strip().startswith("script-src"):
            return directive
    return ""


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "accounts:login", "accounts:password_reset", "health"])
def test_every_response_has_csp_without_inline_scripts(client, url_name):
    response = client.get(reverse(url_name))
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in _script_sources(csp) and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_logged_in_pages_have_the_headers_too(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.get(reverse("home"), secure=True)
    assert "Strict-Transport-Security" in response.headers
    assert "unsafe-inline" not in _script_sources(response.headers["Content-Security-Policy"])
