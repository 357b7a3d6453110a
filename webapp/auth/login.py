"""Who is asking: session cookies for pages, bearer tokens for scripts, CSRF for the former."""

from functools import wraps

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from webapp import db
from webapp.auth import services
from webapp.auth.models import User
from webapp.errors import Forbidden, Unauthorized, wants_json

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


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """Sessions carry `id:epoch`; bumping a user's epoch ends all their sessions."""
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
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
        g.bearer_authenticated = True
        db.session().commit()  # record last_used_at
        return
    view = current_app.view_functions.get(request.endpoint)
    if request.method in UNSAFE_METHODS and not getattr(view, "csrf_exempt", False):
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
