"""Every field of every operation is typed: a value of the wrong type answers 422 for that field.

The bodies and query strings are read from the generated document, so a new operation or field
is covered the day it is added. Validation runs after the sign-in and role checks and before any
object is loaded, so an admin (who passes every role check) reaches it on any id.
"""

import pytest

from tests.conftest import bearer

# A value of another JSON type for each declared type.
WRONG = {"string": 12345, "integer": "12", "number": "1.5", "boolean": "true",
         "array": {"not": "a list"}, "object": ["not", "an", "object"]}  # fmt: skip
WRONG_QUERY = {"integer": "twelve", "boolean": "perhaps"}


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _types(spec: dict, schema: dict) -> set[str]:
    """The JSON types a property allows (through $ref, anyOf and enum)."""
    schema = _resolve(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        return set().union(*(_types(spec, s) for s in schema.get("anyOf", schema.get("oneOf"))))
    if "enum" in schema:
        return {"enum"}
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


def _wrong_value(types: set[str]):
    if "enum" in types:
        return "not-one-of-the-choices"
    if "string" in types and "integer" not in types:
        return WRONG["array"] if "array" in types or "object" in types else WRONG["string"]
    for kind in ("integer", "number", "boolean", "array", "object"):
        if kind in types:
            return WRONG[kind] if "string" not in types else None
    return None


def _body_fields(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}) if method != "parameters" else {}
            if "application/json" not in content:
                continue
            schema = _resolve(spec, content["application/json"]["schema"])
            for name, prop in schema["properties"].items():
                yield method, path, name, _types(spec, prop)


@pytest.fixture
def admin_headers(client, make_user):
    return bearer(client, make_user("admin").email)


def _request(client, method: str, path: str, headers: dict, **kwargs):
    url = path
    for name in ("video_id", "annotation_id", "pairing_id", "framework_id", "move_id",
                 "cycle_id", "goal_id", "share_id", "token_id", "suggestion_id",
                 "index"):  # fmt: skip
        url = url.replace("{" + name + "}", "1")
    url = url.replace("{answer}", "accept")
    return client.open(url, method=method.upper(), headers=headers, **kwargs)


def test_a_wrong_type_in_any_body_field_is_a_422_naming_it(app, client, admin_headers):
    spec = client.get("/api/v1/openapi.json").get_json()
    checked, missed = 0, []
    for method, path, name, types in _body_fields(spec):
        value = _wrong_value(types)
        assert value is not None, f"{method} {path} {name}: no wrong value for {types}"
        reply = _request(client, method, path, admin_headers, json={name: value})
        body = reply.get_json() or {}
        if reply.status_code != 422 or name not in body.get("error", {}).get("fields", {}):
            missed.append(f"{method.upper()} {path} {name}={value!r}: {reply.status_code} {body}")
        checked += 1
    assert checked > 40 and missed == []


def test_an_unknown_body_field_is_a_422(app, client, admin_headers):
    spec = client.get("/api/v1/openapi.json").get_json()
    missed = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters" or "requestBody" not in op:
                continue
            if "application/json" not in op["requestBody"]["content"]:
                continue
            reply = _request(client, method, path, admin_headers, json={"surprise": 1})
            fields = (reply.get_json() or {}).get("error", {}).get("fields", {})
            if reply.status_code != 422 or fields.get("surprise") != "Unknown field.":
                missed.append(f"{method.upper()} {path}: {reply.status_code} {fields}")
    assert missed == []


def test_a_wrong_type_in_any_typed_query_argument_is_a_422(app, client, admin_headers):
    spec = client.get("/api/v1/openapi.json").get_json()
    checked, missed = 0, []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []) if method != "parameters" else []:
                kinds = _types(spec, param["schema"])
                wrong = next((WRONG_QUERY[k] for k in ("integer", "boolean") if k in kinds), None)
                if param["in"] != "query" or wrong is None or "string" in kinds:
                    continue
                reply = _request(client, method, path, admin_headers,
                                 query_string={param["name"]: wrong})  # fmt: skip
                fields = (reply.get_json() or {}).get("error", {}).get("fields", {})
                if reply.status_code != 422 or param["name"] not in fields:
                    missed.append(f"{method.upper()} {path} ?{param['name']}={wrong}: "
                                  f"{reply.status_code} {fields}")  # fmt: skip
                checked += 1
    assert checked >= 3 and missed == []


def test_a_body_that_is_not_a_json_object_is_a_422_with_a_message(app, client, admin_headers):
    reply = client.post("/api/v1/cycles", headers=admin_headers, data="[1, 2]",
                        content_type="application/json")  # fmt: skip
    assert reply.status_code == 422
    assert "JSON object" in reply.get_json()["error"]["message"]


def test_signed_out_a_malformed_request_is_a_401_like_any_other(app, client):
    """Validation never runs for a stranger: it would teach them nothing, but it is no answer."""
    spec = client.get("/api/v1/openapi.json").get_json()
    answers = set()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters" or op.get("security") == []:
                continue
            reply = _request(client, method, path, {}, json={"surprise": [1]},
                             query_string={"limit": "x", "page": "x", "all": "x"})  # fmt: skip
            answers.add((reply.status_code, reply.get_json()["error"]["code"]))
    assert answers == {(401, "unauthorized")}


def test_messages_say_what_to_do_in_our_words(app, client, admin_headers):
    reply = client.post("/api/v1/cycles", headers=admin_headers,
                        json={"title": "x" * 500, "surprise": 1, "status": "soon"})  # fmt: skip
    fields = reply.get_json()["error"]["fields"]
    assert fields["title"] == "At most 200 characters."
    assert fields["surprise"] == "Unknown field."
    assert fields["status"].startswith("Choose one of 'planned'")
    long_name = {"n" * 5000: 1}
    reply = client.post("/api/v1/cycles", headers=admin_headers, json=long_name)
    error = reply.get_json()["error"]
    assert max(map(len, error["fields"])) <= 64 and len(error["message"]) < 200
