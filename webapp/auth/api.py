"""The token and identity API: bearer tokens for scripts, and who a credential belongs to."""

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from webapp.auth import ratelimit, services
from webapp.auth.login import csrf_exempt
from webapp.auth.pages import BAD_CREDENTIALS
from webapp.errors import Unauthorized
from webapp.http import json_body, require_fields

api = Blueprint("auth_api", __name__, url_prefix="/api/v1")


@api.post("/tokens")
@csrf_exempt
def create_token():
    """Exchange email and password for a bearer token (shown once)."""
    data = json_body()
    require_fields(data, "email", "password")
    email, password = str(data["email"]), str(data["password"])
    user = ratelimit.check_password(email, lambda: services.authenticate(email, password))
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    token = services.issue_token(user, str(data.get("name") or "API token"))
    return jsonify({"token": token}), 201


@api.get("/tokens")
@login_required
def list_tokens():
    """My unrevoked tokens, without their secrets."""
    return jsonify({"tokens": [t.to_json() for t in services.list_tokens(current_user)]})


@api.delete("/tokens/<int:token_id>")
@login_required
def revoke_token(token_id: int):
    """Revoke one of my tokens."""
    services.revoke_token(current_user, token_id)
    return "", 204


@api.get("/me")
@login_required
def me():
    """Who the credential belongs to."""
    user = current_user
    return jsonify(
        {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "school": {"id": user.school.id, "name": user.school.name},
        }
    )
