"""/api/v1/openapi.json, generated from the views' schemas: complete, valid, served with docs."""

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


def test_every_operation_has_a_unique_id_a_tag_and_a_typed_success(app):
    ids, untyped = [], []
    for path, method, op in _operations(_spec(app)):
        ids.append(op["operationId"])
        assert op["tags"] and op["summary"], (method, path)
        for status, answer in op["responses"].items():
            json_body = answer.get("content", {}).get("application/json")
            if status.startswith("2") and json_body and "$ref" not in json_body["schema"]:
                untyped.append((method, path, status))
    assert len(ids) == len(set(ids)) and untyped == []


def test_every_error_answer_is_described_by_the_error_schema(app):
    for path, method, op in _operations(_spec(app)):
        for status, answer in op["responses"].items():
            if status[0] in "45":
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_the_interactive_docs_load_swagger_ui_from_our_own_static_files(app):
    reply = app.test_client().get("/api/v1/docs")
    assert reply.status_code == 200 and reply.mimetype == "text/html"
    assert "script-src 'self'" in reply.headers["Content-Security-Policy"]
    page = reply.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any("swagger-ui-bundle.js" in a for a in assets)
    for asset in assets:
        with app.test_client().get(asset) as served:  # closes the file it streams
            assert served.status_code == 200, asset


def _operations(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                yield path, method, op
