"""Every model, imported in one place for Alembic and for tests that inspect the schema."""

from webapp.annotations.models import Annotation, AnnotationRead
from webapp.auth.models import ApiToken, School, User
from webapp.coaching.models import Cycle, Framework, Goal, Move, Pairing
from webapp.db import Base
from webapp.sharing.models import AuditEvent, Share
from webapp.video.models import Video

__all__ = [
    "Annotation",
    "AnnotationRead",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Cycle",
    "Framework",
    "Goal",
    "Move",
    "Pairing",
    "School",
    "Share",
    "User",
    "Video",
]
