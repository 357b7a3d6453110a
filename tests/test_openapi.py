"""Every /api/v1 route is described in /api/v1/openapi.json, and nothing else is."""

import json
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


def test_document_is_valid_openapi_31(app):
    """Validate against the OpenAPI 3.1 meta-schema (the copy schemathesis ships)."""
    import jsonschema_rs
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    spec = _spec(app)
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in jsonschema_rs.Draft202012Validator(OPENAPI_31).iter_errors(spec)
    ]
    assert errors == []


def test_every_reference_and_security_scheme_is_defined(app):
    spec = _spec(app)
    schemas = spec["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs and refs - schemas.keys() == set()
    schemes = spec["components"]["securitySchemes"].keys()
    used = {name for req in _security_requirements(spec) for name in req}
    assert "bearer" in used and used - schemes == set()


def test_path_parameters_match_the_templates(app):
    mismatched = []
    for path, ops in _spec(app)["paths"].items():
        in_template = set(re.findall(r"{([^}]+)}", path))
        for method, op in ops.items():
            if method == "parameters":
                continue
            params = ops.get("parameters", []) + op.get("parameters", [])
            declared = {p["name"] for p in params if p.get("in") == "path"}
            if declared != in_template:
                mismatched.append((method.upper(), path, sorted(declared)))
    assert mismatched == []


def _spec(app) -> dict:
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _security_requirements(spec):
    yield from spec.get("security", [])
    for ops in spec["paths"].values():
        for method, op in ops.items():
            if method != "parameters":
                yield from op.get("security", [])
