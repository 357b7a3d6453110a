"""Sign-in pages and the account page: tokens, signing out everywhere, deleting my account."""

import unicodedata
from urllib.parse import unquote

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from webapp.auth import ratelimit, services
from webapp.auth.login import end_session, start_session
from webapp.auth.passwords import verify_password
from webapp.errors import DebriefError
from webapp.sharing import deletion
from webapp.transaction import on_error

bp = Blueprint("auth", __name__, template_folder="templates")

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
    target = _safe_next()  # a bad one refuses the request before any password is checked
    email, password = request.form.get("email", ""), request.form.get("password", "")
    try:
        user = ratelimit.check_password(email, lambda: services.authenticate(email, password))
    except ratelimit.RateLimited as err:
        flash(err.message, "error")
        response = make_response(_login_form(email), 429)
        response.headers["Retry-After"] = str(err.retry_after)
        return response
    if user is None:
        flash(BAD_CREDENTIALS, "error")
        return _login_form(email)
    start_session(user, remember=bool(request.form.get("remember")))
    return redirect(target or url_for("home.index"))


def _login_form(email: str) -> str:
    return render_template("auth/login.html", next=_safe_next(), email=email)


@bp.post("/logout")
@login_required
def logout():
    """Sign out of this browser; the session id stops working on the server too."""
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    """My API tokens, and signing out everywhere."""
    return render_template("auth/account.html", tokens=services.list_tokens(current_user))


@bp.post("/account/tokens")
@login_required
def create_account_token():
    """Create a named token and show it this once (it is stored only hashed)."""
    token = services.issue_token(current_user, request.form.get("name", ""))
    return render_template(
        "auth/account.html", tokens=services.list_tokens(current_user), new_token=token
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_account_token(token_id: int):
    """Revoke one of my tokens; scripts using it get 401 from their next request."""
    services.revoke_token(current_user, token_id)
    flash("Token revoked.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of this account, and revoke its API tokens."""
    services.end_credentials(current_user)
    end_session()
    flash("You are signed out on every device.", "info")
    return redirect(url_for("auth.login"))


def _safe_next() -> str | None:
    """The `next` path to return to after sign-in, refusing (400) any that may leave the site.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    "/\t/evil.example" would become "//evil.example", another site. Nothing is stripped: a
    control character or backslash, or anything but a single leading "/" (also once
    percent-decoded), refuses the whole value.
    """
    target = request.values.get("next") or ""
    if target and not all(_same_site_path(value) for value in (target, unquote(target))):
        raise DebriefError("The page to return to after signing in is not on this site.")
    return target or None


def _same_site_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith("//"):
        return False
    return not any(ch == "\\" or unicodedata.category(ch).startswith("C") for ch in value)


def account_not_deleted(err: DebriefError, **_view_args):
    """Deleting an account was refused (the only admin): say why on the same page."""
    flash(err.message, "error")
    return redirect(request.path)


def deletion_page(person, error: str | None):
    """Confirm deleting `person`'s account, with what goes with it (the self and admin flows)."""
    return render_template(
        "auth/delete_account.html",
        person=person,
        footprint=deletion.account_footprint(person),
        error=error,
    ), (422 if error else 200)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@on_error(account_not_deleted)
def delete_my_account():
    """Delete my account and all my recordings, after I confirm with my password."""
    user = current_user._get_current_object()
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        # Throttled like sign-in: a left-open session must not become a password oracle.
        if ratelimit.check_password(
            user.email, lambda: verify_password(user.password_hash, password)
        ):
            deletion.delete_account(user, user)
            end_session()
            flash("Your account and all your recordings are deleted.", "info")
            return redirect(url_for("auth.login"))
        error = "That password is not right."
    return deletion_page(user, error)
