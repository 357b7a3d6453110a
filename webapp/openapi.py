"""Schema-first /api/v1: each view declares its models, and the OpenAPI document is made of them.

`@operation(...)` (placed under the route decorator) validates the query string and JSON body
with pydantic before the view runs, hands the view the parsed models, and serialises the model
it returns. `document()` walks the app's URL map and reads each view's declaration, so every
route is described exactly once, by the code that serves it, and a route without one fails the
document test.

We compared spectree and flask-openapi3: both validate with pydantic and write OpenAPI, but
flask-openapi3 replaces Flask's app and blueprint classes and injects arguments by its own
conventions, and both render errors in their own shape. Pydantic's JSON Schema is already the
OpenAPI 3.1 dialect (JSON Schema 2020-12); a small registry on top keeps our blueprints, our
error body and our auth decorators as they are.
"""

import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pydantic
from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_login import current_user
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from webapp.errors import Unauthorized, ValidationError
from webapp.http import json_body
from webapp.schemas import Error

Model = TypeVar("Model", bound=pydantic.BaseModel)
bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
bp.openapi_tag = "Documentation"  # each API blueprint names its group in the document

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    400: "Bad request (for example a missing CSRF token on a session write)",
    401: "Not signed in, or the bearer token is unknown, expired or revoked",
    403: "Signed in, but not allowed to do this",
    404: "No such object, or it is not shared with you",
    409: "The object is not in a state that allows this",
    413: "The body is larger than this operation accepts",
    422: "The request does not match its schema, or breaks a rule; `fields` says where",
    429: "Too many attempts; wait for Retry-After seconds",
}


@dataclass(frozen=True)
class Operation:
    """What a view accepts and answers, as the document describes it."""

    summary: str
    description: str
    body: type[pydantic.BaseModel] | None = None
    query: type[pydantic.BaseModel] | None = None
    response: type[pydantic.BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()  # statuses beyond 401 (unless public) and 422 (with input)
    public: bool = False
    content: str = "application/json"
    request_content: dict = field(default_factory=dict)  # media type -> schema, non-JSON bodies
    not_modified: bool = False


def operation(**declared):
    """Declare a view's models (the fields of `Operation`). The view gets `body=` and `query=`
    models when declared, and may return the `response` model (sent with `status`), None (an
    empty `status` answer) or a Response (a download, or JSON the database wrote).

    Place it last, right above the view, so sign-in and role checks run first; an operation
    that is not public refuses a stranger with 401 before reading anything, whatever the order.
    """

    def decorate(view: Callable):
        summary, _, description = (view.__doc__ or view.__name__).strip().partition("\n")
        spec = Operation(summary.strip(), " ".join(description.split()), **declared)

        @functools.wraps(view)
        def run(*args, **kwargs):
            if not spec.public and not current_user.is_authenticated:
                raise Unauthorized()
            if spec.query is not None:
                kwargs["query"] = parse(spec.query, request.args.to_dict())
            if spec.body is not None:
                kwargs["body"] = parse(spec.body, json_body())
            return _answer(view(*args, **kwargs), spec)

        run.operation = spec
        return run

    return decorate


def parse(model: type[Model], data: dict) -> Model:
    """Validate `data`, or raise our 422 with one message per field, keyed by its dotted path.

    Field names come from the client, so they are cut short before they are sent back.
    """
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as err:
        fields = {}
        for problem in err.errors(include_url=False, include_input=False):
            where = ".".join(str(part)[:MAX_NAME] for part in problem["loc"][:4]) or "body"
            fields.setdefault(where, _message(problem))
        first = next(iter(fields.items()))
        raise ValidationError(f"Check {first[0]}: {first[1]}", fields) from None


# pydantic's wording for the limits people meet, in ours (its own text for the rest).
MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": "This field is required.",
    "string_too_long": "At most {max_length} characters.",
    "string_too_short": "At least {min_length} characters.",
    "too_long": "At most {max_length} items.",
    "too_short": "At least {min_length} items.",
    "greater_than_equal": "At least {ge}.",
    "greater_than": "More than {gt}.",
    "float_type": "Must be a number.",
    "finite_number": "Must be a finite number.",
    "less_than_equal": "At most {le}.",
    "literal_error": "Choose one of {expected}.",
    "string_type": "Must be text.",
    "int_type": "Must be a whole number.",
    "bool_type": "Must be true or false.",
    "list_type": "Must be a list.",
}
MAX_NAME = 64


def _message(problem: dict) -> str:
    template = MESSAGES.get(problem["type"])
    if template is not None:  # a float field's bounds are floats: "At least 0", not "0.0"
        ctx = {
            k: f"{v:g}" if isinstance(v, float) else v for k, v in problem.get("ctx", {}).items()
        }
        return template.format(**ctx)
    return problem["msg"].removeprefix("Value error, ")


def _answer(result, spec: Operation):
    if isinstance(result, Response):
        return result
    if result is None and spec.response is None:
        return "", spec.status
    if spec.response is None or not isinstance(result, spec.response):
        raise TypeError(f"{spec.summary!r} answered {type(result).__name__}, not its response")
    return jsonify(result.model_dump(mode="json")), spec.status


# ---- the document ----


def document() -> dict:
    """The OpenAPI 3.1 description of every /api/v1 route of the running app.

    Bodies are described as they are read (validation mode), answers as they are written
    (serialization mode), so a renamed or computed field appears under its JSON name.
    """
    operations = []
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        spec: Operation | None = getattr(
            current_app.view_functions[rule.endpoint], "operation", None
        )
        if spec is None:
            raise LookupError(f"{rule.endpoint} has no @operation: the API document needs one")
        operations.append((rule, spec))
    wanted = {(Error, "serialization")}
    for _, spec in operations:
        wanted |= {(spec.body, "validation")} if spec.body else set()
        wanted |= {(spec.response, "serialization")} if spec.response else set()
    ordered = sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, schemas = models_json_schema(ordered, ref_template=REF)
    paths: dict[str, dict] = {}
    for rule, spec in operations:
        template, parameters = _path(rule)
        item = paths.setdefault(template, {})
        if parameters:
            item["parameters"] = parameters
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            item[method.lower()] = _operation_object(spec, rule.endpoint, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Debrief API",
            "version": "1",
            "description": "Video observation and feedback for instructional coaching. "
            "Authenticate with `Authorization: Bearer <token>` from POST /api/v1/tokens. "
            "A browser session may be used instead; its writes then need the page's CSRF "
            "token in an `X-CSRFToken` header (400 `csrf_failed` without it). Repeated failed "
            "sign-ins answer 429 with Retry-After. JSON and form bodies over 1 MB answer 413 "
            "`too_large` (PUT …/source takes up to MAX_UPLOAD_BYTES, captions 2 MB). Every "
            "time is RFC 3339 in UTC with a Z. Bodies are checked strictly: a wrong type, an "
            "unknown value or an unknown field answers 422 with a message per field.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": schemas.get("$defs", {}),
        },
        "paths": dict(sorted(paths.items())),
    }


def _operation_object(spec: Operation, endpoint: str, refs: dict) -> dict:
    blueprint = current_app.blueprints[endpoint.partition(".")[0]]
    op: dict = {
        "operationId": endpoint.replace(".", "_"),
        "tags": [getattr(blueprint, "openapi_tag", blueprint.name)],
        "summary": spec.summary,
    }
    if spec.description:
        op["description"] = spec.description
    if spec.query is not None:
        op["parameters"] = _query_parameters(spec.query)
    success: dict = {"description": "Success"}
    if spec.response is not None:
        success["content"] = {spec.content: {"schema": refs[spec.response, "serialization"]}}
    elif spec.content != "application/json":
        success["content"] = {spec.content: {"schema": {"type": "string"}}}
    op["responses"] = {str(spec.status): success}
    if spec.not_modified:
        op["responses"]["304"] = {"description": "Not modified since the ETag sent"}
    statuses = set(spec.errors) | ({422} if spec.body or spec.query else set())
    statuses |= set() if spec.public else {401}
    for status in sorted(statuses):
        op["responses"][str(status)] = {
            "description": ERROR_STATUSES[status],
            "content": {"application/json": {"schema": refs[Error, "serialization"]}},
        }
    if spec.body is not None:
        content = {"application/json": {"schema": refs[spec.body, "validation"]}}
        op["requestBody"] = {"required": True, "content": content}
    elif spec.request_content:
        op["requestBody"] = {"required": True, "content": spec.request_content}
    if spec.public:
        op["security"] = []
    return op


def _query_parameters(model: type[pydantic.BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            **({"description": prop["description"]} if "description" in prop else {}),
            "schema": {k: v for k, v in prop.items() if k not in ("title", "description")},
        }
        for name, prop in schema["properties"].items()
    ]


# "<int:video_id>", "<any(accept, decline):answer>": converter, its arguments, the name
VARIABLE = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _path(rule: Rule) -> tuple[str, list[dict]]:
    """ "/videos/<int:video_id>" as "/videos/{video_id}" and its path parameters' schemas."""
    parameters = []
    for converter, arguments, name in VARIABLE.findall(rule.rule):
        if converter == "int":  # http.BoundedIntConverter: at most nine digits
            schema = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
        elif converter == "any":
            schema = {"enum": sorted(item.strip(" '\"") for item in arguments.split(","))}
        else:
            schema = {"type": "string"}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return VARIABLE.sub(r"{\3}", rule.rule), parameters


@bp.get("/openapi.json")
@operation(public=True, not_modified=True)
def openapi():
    """The OpenAPI 3.1 description of this API.

    Built once per process (it costs tens of milliseconds and anyone may ask for it), and
    revalidated by its ETag.
    """
    body = current_app.extensions.get("openapi_json")
    if body is None:
        body = current_app.extensions["openapi_json"] = json.dumps(document()).encode()
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


@bp.get("/docs")
@operation(public=True, content="text/html")
def docs():
    """Interactive documentation of this API (Swagger UI)."""
    return Response(render_template("api_docs.html"), mimetype="text/html")
