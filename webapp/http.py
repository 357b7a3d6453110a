"""Small request helpers shared by the JSON API views."""

from flask import request
from werkzeug.routing import IntegerConverter

from webapp.errors import ValidationError

# No database integer is wider than 64 bits: a larger number must not reach a query.
MAX_INT = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` ids fit PostgreSQL's 32-bit keys; a longer number matches no route (404)."""

    regex = r"\d{1,9}"


def json_body() -> dict:
    """The request's JSON object, or a 422 that says what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("Send a JSON object with Content-Type: application/json.")
    if _has_huge_int(data):
        raise ValidationError(f"Whole numbers must lie between {-MAX_INT - 1} and {MAX_INT}.")
    return data


def _has_huge_int(value) -> bool:
    if isinstance(value, dict):
        return any(_has_huge_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_huge_int(v) for v in value)
    return isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT


def require_fields(data: dict, *names: str) -> None:
    missing = {name: "This field is required." for name in names if data.get(name) in (None, "")}
    if missing:
        raise ValidationError("Some required fields are missing.", missing)


def optional_int(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be a whole number.", {name: "Must be a whole number."})
    return value


def page_number() -> int:
    value = request.args.get("page", "1")
    return min(max(1, int(value)), 1_000_000) if value.isdigit() else 1
