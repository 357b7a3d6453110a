"""Sign-in pages and the token/identity API."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from webapp import db
from webapp.auth import services
from webapp.auth.login import csrf_exempt
from webapp.errors import Unauthorized
from webapp.http import json_body, require_fields

bp = Blueprint("auth", __name__, template_folder="templates")
api = Blueprint("auth_api", __name__, url_prefix="/api/v1")

BAD_CREDENTIALS = "That email and password do not match an active account."


@bp.get("/login")
def login():
    """Show the sign-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("auth/login.html", next=_safe_next())


@bp.post("/login")
def login_post():
    """Sign in with email and password, starting a fresh session."""
    email = request.form.get("email", "")
    user = services.authenticate(email, request.form.get("password", ""))
    if user is None:
        flash(BAD_CREDENTIALS, "error")
        return render_template("auth/login.html", next=_safe_next(), email=email)
    db.session().commit()
    session.clear()  # a new session id at every sign-in
    login_user(user, remember=bool(request.form.get("remember")))
    return redirect(_safe_next() or url_for("home.index"))


@bp.post("/logout")
@login_required
def logout():
    """Sign out of this browser."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of this account."""
    services.sign_out_everywhere(current_user)
    db.session().commit()
    logout_user()
    session.clear()
    flash("You are signed out on every device.", "info")
    return redirect(url_for("auth.login"))


def _safe_next() -> str | None:
    """Follow `next` only to a path on this site."""
    target = request.values.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@api.post("/tokens")
@csrf_exempt
def create_token():
    """Exchange email and password for a bearer token (shown once)."""
    data = json_body()
    require_fields(data, "email", "password")
    user = services.authenticate(str(data["email"]), str(data["password"]))
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    token = services.issue_token(user, str(data.get("name") or "API token"))
    db.session().commit()
    return jsonify({"token": token}), 201


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
