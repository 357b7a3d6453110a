"""Who is asking: session cookies for pages, bearer tokens for scripts, CSRF for the former."""

import secrets
from functools import wraps

from flask import Flask, current_app, g, make_response, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from webapp import db, queue
from webapp.auth import services
from webapp.auth.models import User
from webapp.auth.ratelimit import RateLimited
from webapp.errors import Forbidden, Unauthorized, error_response, wants_json
from webapp.http import ASCII_DIGITS

login_manager = LoginManager()
csrf = CSRFProtect()

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    login_manager.init_app(app)
    csrf.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_authenticate_bearer_or_check_csrf)
    app.register_error_handler(RateLimited, _rate_limited)


def _rate_limited(err: RateLimited):
    response = make_response(error_response(err.status, err.code, err.message))
    response.headers["Retry-After"] = str(err.retry_after)
    return response


def _session_key(sid: str) -> str:
    return f"{current_app.config['QUEUE_NAME']}:session:{sid}"


def start_session(user: User, remember: bool) -> None:
    """Sign in under a fresh session id that Redis must vouch for, so logout can end it here.

    The signed cookie alone would stay valid if copied before logout; its id is looked up on
    every request instead. `id:epoch` still ends all of a user's sessions at once.
    """
    session.clear()
    sid = secrets.token_urlsafe(24)
    lifetime = max(current_app.config["PERMANENT_SESSION_LIFETIME"],
                   current_app.config["REMEMBER_COOKIE_DURATION"])  # fmt: skip
    queue.connection().set(_session_key(sid), user.id, ex=lifetime)
    login_user(user, remember=remember)
    session["_user_id"] = f"{user.get_id()}:{sid}"  # what the session and remember cookies carry


def end_session() -> None:
    """Forget this session id server-side, then clear the cookie."""
    _, _, sid = str(session.get("_user_id", "")).rpartition(":")
    if sid:
        queue.connection().delete(_session_key(sid))
    logout_user()
    session.clear()


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """Sessions carry `id:epoch:sid`: a bumped epoch or a forgotten sid ends the session."""
    parts = session_id.split(":")
    if len(parts) != 3 or not all(ASCII_DIGITS.fullmatch(p) for p in parts[:2]) or not parts[2]:
        return None
    user_id, epoch, sid = parts
    if queue.connection().get(_session_key(sid)) != user_id.encode():
        return None
    user = db.session().get(User, int(user_id))
    if user is None or not user.active or user.auth_epoch != int(epoch):
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        raise Unauthorized()
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _authenticate_bearer_or_check_csrf() -> None:
    """A bearer token alone authenticates (no cookie, no CSRF); cookie writes need a CSRF token."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = services.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized("That bearer token is not valid. Create a new one.")
        g._login_user = user
        return
    view = current_app.view_functions.get(request.endpoint)
    if request.method not in UNSAFE_METHODS or getattr(view, "csrf_exempt", False):
        return
    if wants_json() and not current_user.is_authenticated:
        return  # no credential to forge with: the API answers 401 (every API write needs one)
    csrf.protect()


def csrf_exempt(view):
    """Mark a view that authenticates by its own body (e.g. token creation), not by cookie."""
    view.csrf_exempt = True
    return view


def role_required(*roles: str):
    """Let only users with one of `roles` through; others get 403 (the page exists for them)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                raise Forbidden("This page is for " + " and ".join(f"{r}s" for r in roles) + ".")
            return view(*args, **kwargs)

        return wrapped

    return decorator
