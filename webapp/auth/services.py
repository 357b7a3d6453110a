"""Account operations shared by pages, the API and the CLI. They flush; callers commit."""

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from webapp import db
from webapp.auth.models import ApiToken, Role, School, User
from webapp.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from webapp.db import utcnow
from webapp.errors import Conflict, NotFound, ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "dbf_"
TOKEN_USE_PRECISION = timedelta(minutes=1)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def get_or_create_school(name: str) -> School:
    name = (name or "").strip()
    if not name:
        raise ValidationError("A school needs a name.", {"school": "Enter a school name."})
    school = db.session().scalar(select(School).where(School.name == name))
    if school is None:
        school = School(name=name)
        db.session().add(school)
        db.session().flush()
    return school


def create_user(*, email: str, name: str, role: str, password: str, school: School) -> User:
    """Create an account after checking every field, so a bad one leaves no row behind."""
    email = normalize_email(email)
    name = (name or "").strip()
    fields = {}
    if not EMAIL_RE.match(email) or len(email) > 254:
        fields["email"] = "Enter a valid email address, like name@school.org."
    if not name or len(name) > 200:
        fields["name"] = "Enter a name of 1 to 200 characters."
    if role not in {r.value for r in Role}:
        fields["role"] = "Role must be one of: teacher, coach, admin."
    if len(password or "") < MIN_LENGTH:
        fields["password"] = f"Use a password of at least {MIN_LENGTH} characters."
    if fields:
        raise ValidationError("Please correct the highlighted fields.", fields)
    if find_user(email) is not None:
        raise Conflict(
            f"An account with the email {email} already exists.",
            {"email": "This email is already registered."},
        )
    user = User(
        email=email, name=name, role=role, password_hash=hash_password(password), school=school
    )
    db.session().add(user)
    db.session().flush()
    return user


def find_user(email: str) -> User | None:
    return db.session().scalar(select(User).where(User.email == normalize_email(email)))


def get_user(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        raise NotFound("No such person.")
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user for good credentials; the same cost and answer whether or not they exist."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def list_users(school_id: int | None = None) -> list[User]:
    query = select(User).order_by(func.lower(User.name))
    if school_id is not None:
        query = query.where(User.school_id == school_id)
    return list(db.session().scalars(query))


def set_active(user: User, active: bool) -> None:
    """Deactivating ends the person's sessions and tokens for good: reactivating revives none."""
    user.active = active
    if not active:
        end_credentials(user)


def end_credentials(user: User) -> None:
    """End every session (the epoch cookies carry) and revoke every API token of the user."""
    user.auth_epoch += 1
    db.session().execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "API token") -> str:
    """Create a bearer token; only its hash is kept, so it is returned once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    name = (name or "API token").strip()[:100] or "API token"
    db.session().add(ApiToken(user=user, name=name, token_hash=_token_hash(token)))
    db.session().flush()
    return token


def user_for_token(token: str) -> User | None:
    api_token = db.session().scalar(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(token or ""))
    )
    if api_token is None or api_token.revoked_at is not None or not api_token.user.active:
        return None
    now = utcnow()
    # A minute's precision is plenty, and spares a write on every scripted request.
    if api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_USE_PRECISION:
        api_token.last_used_at = now
    return api_token.user


def list_tokens(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return list(db.session().scalars(query.order_by(ApiToken.created_at.desc())))


def revoke_token(user: User, token_id: int) -> None:
    api_token = db.session().get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id or api_token.revoked_at is not None:
        raise NotFound("No such token.")
    api_token.revoked_at = utcnow()
