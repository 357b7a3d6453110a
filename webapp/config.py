"""Settings: class defaults, then environment variables, then test overrides, then validation."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("DEBRIEF_INSTANCE", Path.cwd() / "instance")).resolve()

GIB = 1024**3


class Defaults:
    """Embedded defaults: a laptop with nothing configured runs the whole stack locally."""

    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'debrief.sqlite3'}"
    REDIS_URL = "redis://127.0.0.1:6379/0"
    S3_ENDPOINT_URL = "http://127.0.0.1:8333"
    S3_BUCKET = "debrief"
    S3_ACCESS_KEY_ID = "debrief"
    S3_SECRET_ACCESS_KEY = "debrief-local-secret"
    S3_REGION = "us-east-1"
    # The address browsers use for presigned URLs, when it differs from the app's own.
    S3_PUBLIC_ENDPOINT_URL = ""
    SECRET_KEY = ""
    MAX_UPLOAD_BYTES = 8 * GIB
    MAX_VIDEO_SECONDS = 3 * 3600
    FFMPEG = ""
    FFPROBE = ""
    QUEUE_NAME = "debrief"
    DEBRIEF_ENV = "development"
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = 14 * 24 * 3600
    WTF_CSRF_TIME_LIMIT = None
    # argon2id cost (RFC 9106 second recommendation); the test suite lowers it for speed.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_KIB = 65536
    # Failed sign-ins allowed per account and per client address in a sliding window.
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_IP = 20
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto may be believed.
    TRUSTED_PROXY_HOPS = 0
    # How often an open review page asks for new notes and replies.
    REVIEW_POLL_MS = 4000


_INT_SETTINGS = {
    "MAX_UPLOAD_BYTES",
    "MAX_VIDEO_SECONDS",
    "ARGON2_TIME_COST",
    "ARGON2_MEMORY_KIB",
    "REVIEW_POLL_MS",
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_FAILURES_PER_IP",
    "LOGIN_FAILURE_WINDOW_SECONDS",
    "TRUSTED_PROXY_HOPS",
    "REMEMBER_COOKIE_DURATION",
}


def load_settings(test_config: dict | None = None) -> dict:
    """Merge defaults, the environment and test overrides into one validated mapping."""
    settings = {k: v for k, v in vars(Defaults).items() if k.isupper()}
    for key in settings:
        if key in os.environ:
            settings[key] = os.environ[key]
    settings.update(test_config or {})
    for key in _INT_SETTINGS:
        settings[key] = _as_int(key, settings[key])
    settings["SECRET_KEY"] = settings["SECRET_KEY"] or _instance_secret_key(settings)
    production = settings["DEBRIEF_ENV"] == "production"
    settings["SESSION_COOKIE_SECURE"] = production
    settings["REMEMBER_COOKIE_SECURE"] = production
    return settings


def _as_int(key: str, value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a whole number, got {value!r}") from None


def _instance_secret_key(settings: dict) -> str:
    """Generate a key once into instance/ for development; production must set SECRET_KEY."""
    if settings["DEBRIEF_ENV"] == "production":
        raise ValueError("SECRET_KEY must be set (at least 32 characters) in production")
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def validate(settings: dict) -> None:
    """Refuse settings that would run insecurely or not at all."""
    if len(settings["SECRET_KEY"]) < 32:
        raise ValueError("SECRET_KEY must be at least 32 characters long")
    if settings["MAX_UPLOAD_BYTES"] <= 0 or settings["MAX_VIDEO_SECONDS"] <= 0:
        raise ValueError("MAX_UPLOAD_BYTES and MAX_VIDEO_SECONDS must be positive")
