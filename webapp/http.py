"""Small request helpers shared by the JSON API views."""

import math
import re
from collections.abc import Callable, Mapping

import flask
from flask import current_app, request
from werkzeug.routing import IntegerConverter
from werkzeug.wsgi import LimitedStream

from webapp.errors import ValidationError

# No database integer is wider than 64 bits: a larger number must not reach a query.
MAX_INT = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]+")
# Deeper JSON than any of our bodies needs would recurse through the parser and checks below.
MAX_JSON_DEPTH = 32


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` ids fit PostgreSQL's 32-bit keys; a longer number matches no route (404)."""

    regex = r"\d{1,9}"


class Request(flask.Request):
    """Every body is bounded before it is read: MAX_CONTENT_LENGTH, or the view's `body_limit`.

    werkzeug enforces the bound on Content-Length up front (413) and, for chunked bodies the
    server terminates, while reading; so nothing reads a body larger than its view allows.
    """

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and self.url_rule is not None:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "body_limit", None)
            if limit is not None:
                return limit(current_app.config)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_data(self, *args, **kwargs):
        """werkzeug stops a chunked body at the limit without a word; one read past it is a 413."""
        data = super().get_data(*args, **kwargs)
        if isinstance(self.stream, LimitedStream) and self.stream.is_exhausted:
            self.stream.read(1)  # raises RequestEntityTooLarge when the limit is a maximum
        return data


def body_limit(limit: Callable[[Mapping], int]):
    """Give a view its own body limit, computed from the app's config (place under the route)."""

    def mark(view):
        view.body_limit = limit
        return view

    return mark


def json_body() -> dict:
    """The request's JSON object, or a 422 that says what is wrong with it."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the parser's own limit, about 1,000 levels
        data = None
    if not isinstance(data, dict):
        raise ValidationError("Send a JSON object with Content-Type: application/json.")
    _check_values(data)
    return data


def _check_values(data: dict) -> None:
    """Refuse deep nesting, integers wider than 64 bits and non-finite numbers, iteratively."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, dict | list):
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT:
            raise ValidationError(f"Whole numbers must lie between {-MAX_INT - 1} and {MAX_INT}.")
        elif isinstance(value, float) and not math.isfinite(value):
            # Python's parser accepts NaN and Infinity, which JSON itself does not have.
            raise ValidationError("Numbers must be finite (NaN and Infinity are not JSON).")


def query_int(name: str, default: int, *, low: int = 0, high: int = 1_000_000) -> int:
    """A whole-number query argument, clamped to [low, high]; 422 if it is not ASCII digits.

    `str.isdigit` accepts "²", which `int` refuses, and `int` refuses more than 4,300 digits:
    only 0-9 pass, and a long number is clamped without being converted.
    """
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not ASCII_DIGITS.fullmatch(value):
        raise ValidationError(f"{name} must be a whole number.", {name: "Digits 0-9 only."})
    return max(low, min(int(value) if len(value) <= 18 else high, high))


def form_id(value) -> int | None:
    """An id from a form field: ASCII digits of a sane length, else None (never an exception)."""
    text = str(value or "")
    return int(text) if ASCII_DIGITS.fullmatch(text) and len(text) <= 18 else None


def page_number() -> int:
    return query_int("page", 1, low=1)
