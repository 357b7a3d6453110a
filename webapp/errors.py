"""Errors that services raise and their rendering: JSON for /api, HTML pages for people."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException


class DebriefError(Exception):
    """An error a person can act on; `status` and `code` decide how it is answered."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(DebriefError):
    status = 422
    code = "invalid"


class Conflict(DebriefError):
    status = 409
    code = "conflict"


class NotFound(DebriefError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class Forbidden(DebriefError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class Unauthorized(DebriefError):
    status = 401
    code = "unauthorized"

    def __init__(self, message: str = "Sign in, or send a valid bearer token."):
        super().__init__(message)


class TooManyRequests(DebriefError):
    status = 429
    code = "rate_limited"


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}

_HTTP_MESSAGES = {
    404: "We could not find that page. It may have been moved or deleted, "
    "or it may not be shared with you.",
    405: "That action is not available here.",
    413: "The request body is larger than this address accepts.",
    500: "Something went wrong on our side. Please try again in a moment.",
}


def register(app: Flask) -> None:
    @app.errorhandler(DebriefError)
    def _debrief_error(err: DebriefError):
        return error_response(err.status, err.code, err.message, err.fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError):
        message = "Your form expired or was sent from elsewhere. Reload the page and try again."
        return error_response(400, "csrf_failed", message)

    @app.errorhandler(DataError)
    def _data_error(err: DataError):
        """The database refused a value (out of range, a NUL character): the input's fault."""
        from webapp import db

        db.session().rollback()
        message = "A value is out of range or contains characters that cannot be stored."
        return error_response(422, "invalid", message)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        message = _HTTP_MESSAGES.get(status) or err.description or err.name
        return error_response(status, _HTTP_CODES.get(status, "error"), message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server_error", _HTTP_MESSAGES[500])
