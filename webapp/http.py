"""Small request helpers shared by the JSON API views."""

from flask import request

from webapp.errors import ValidationError


def json_body() -> dict:
    """The request's JSON object, or a 422 that says what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("Send a JSON object with Content-Type: application/json.")
    return data


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
    return max(1, int(value)) if value.isdigit() else 1
