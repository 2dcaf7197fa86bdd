"""The API's documentation page: server-rendered from the same OpenAPI schema served at
/api/v1/schema/, so it needs no script from elsewhere and keeps to the site's strict CSP."""

from __future__ import annotations

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from assessments.api import tokens

METHODS = ("get", "post", "put", "patch", "delete")


def _parameters(operation: dict) -> list[dict]:
    rows = []
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        rows.append(
            {
                "name": parameter["name"],
                "where": parameter.get("in", ""),
                "type": schema.get("format") or schema.get("type", ""),
                "choices": ", ".join(str(value) for value in schema.get("enum", []) if value),
                "description": parameter.get("description", ""),
                "required": parameter.get("required", False),
            }
        )
    return rows


def endpoints(schema: dict) -> list[dict]:
    rows = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": _parameters(operation),
                    "anchor": operation.get("operationId", path),
                }
            )
    return rows


def api_docs(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {
            "title": schema["info"]["title"],
            "version": schema["info"]["version"],
            "endpoints": endpoints(schema),
            "token_start": tokens.TOKEN_START,
        },
    )
