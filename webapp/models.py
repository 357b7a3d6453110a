"""Every model, imported in one place for Alembic and for tests that inspect the schema."""

from webapp.analysis.models import LessonAnalysis
from webapp.annotations.models import Annotation, AnnotationRead
from webapp.auth.models import ApiToken, School, User
from webapp.coaching.models import Cycle, Framework, Goal, Move, Pairing
from webapp.db import Base
from webapp.library.models import TranscriptCue
from webapp.program.models import CoachingFeedback
from webapp.sharing.models import AuditEvent, Share
from webapp.suggestions.models import Suggestion
from webapp.video.models import Video

__all__ = [
    "Annotation",
    "AnnotationRead",
    "ApiToken",
    "AuditEvent",
    "Base",
    "CoachingFeedback",
    "Cycle",
    "Framework",
    "Goal",
    "LessonAnalysis",
    "Move",
    "Pairing",
    "School",
    "Share",
    "Suggestion",
    "TranscriptCue",
    "User",
    "Video",
]
