"""The API's documentation at /api/: the OpenAPI schema as a page of the portal, in the
reader's language, readable without JavaScript (the schema itself is /api/openapi.json)."""

from django.shortcuts import render
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "parameters": [
                            {"name": p["name"], "in": p["in"], "description": p.get("description", "")}
                            for p in op.get("parameters", [])
                        ],
                        "anchor": op["operationId"],
                    }
                )
    return operations


_schemas: dict[str, dict] = {}


def api_schema() -> dict:
    """The schema in the active language, made once per language and process."""
    language = get_language()
    if language not in _schemas:
        _schemas[language] = SchemaGenerator().get_schema(request=None, public=True)
    return _schemas[language]


def documentation(request):
    return render(request, "api/docs.html", {"operations": _operations(api_schema())})
