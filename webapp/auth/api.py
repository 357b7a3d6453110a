"""The token and identity API: bearer tokens for scripts, and who a credential belongs to."""

import functools

from flask import Blueprint
from flask_login import current_user, login_required

from webapp.auth import ratelimit, services
from webapp.auth.login import csrf_exempt
from webapp.auth.pages import BAD_CREDENTIALS
from webapp.auth.schemas import MeOut, TokenCreate, TokenCreated, TokenList
from webapp.errors import Unauthorized
from webapp.openapi import operation

api = Blueprint("auth_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Tokens and identity"


@api.post("/tokens")
@csrf_exempt
@operation(body=TokenCreate, response=TokenCreated, status=201, public=True, errors=(401, 429))
def create_token(body: TokenCreate):
    """Exchange email and password for a bearer token (shown once)."""
    authenticate = functools.partial(services.authenticate, body.email, body.password)
    user = ratelimit.check_password(body.email, authenticate)
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    return TokenCreated(token=services.issue_token(user, body.name))


@api.get("/tokens")
@login_required
@operation(response=TokenList)
def list_tokens():
    """My unrevoked tokens, without their secrets."""
    return TokenList(tokens=services.list_tokens(current_user))


@api.delete("/tokens/<int:token_id>")
@login_required
@operation(status=204, errors=(404,))
def revoke_token(token_id: int):
    """Revoke one of my tokens."""
    services.revoke_token(current_user, token_id)


@api.get("/me")
@login_required
@operation(response=MeOut)
def me():
    """Who the credential belongs to."""
    return MeOut.model_validate(current_user)
