"""Every /api/v1 route is described in /api/v1/openapi.json, and nothing else is."""

import re


def _documented(app) -> set[tuple[str, str]]:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return {
        (path, method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
        if method != "parameters"
    }


def _routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_api_route_is_documented(app):
    assert _routes(app) - _documented(app) == set()


def test_document_lists_no_routes_that_do_not_exist(app):
    assert _documented(app) - _routes(app) == set()


def test_document_is_openapi_31(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert "bearer" in spec["components"]["securitySchemes"]
