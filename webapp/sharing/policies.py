"""A school's consent policy and retention period, and what they mean for each recording.

Functions flush; callers commit.
"""

from datetime import datetime, timedelta

from webapp.auth.models import School
from webapp.db import utcnow
from webapp.errors import DebriefError, ValidationError
from webapp.video.models import Video

# Recordings are never deleted for age with less than this much notice on their page.
NOTICE = timedelta(days=14)
MAX_RETENTION_DAYS = 3650
MAX_POLICY = 10_000


class ConsentRequired(DebriefError):
    status = 400
    code = "consent_required"


def confirm_consent(video: Video, owner, consent: bool | None) -> None:
    """Keep the teacher's confirmation with the video, or refuse when the school requires it.

    Only True confirms; False and None (not asked, or not ticked) are the same refusal.
    """
    school = owner.school
    if consent:
        video.consent_confirmed_at = utcnow()
        video.consent_policy = school.consent_policy
        video.consent_policy_version = school.consent_policy_version
    elif school.require_consent:
        raise ConsentRequired(
            f"{school.name} requires you to confirm that this recording follows its consent "
            "policy before uploading. Read the policy and tick the box (API: send "
            '"consent": true).',
            {"consent": "Required by your school."},
        )


def update_school(school: School, *, require_consent: bool, policy: str, retention_days) -> None:
    """Save a school's privacy settings; a new policy wording gets a new version number."""
    policy = (policy or "").strip()
    fields = {}
    if len(policy) > MAX_POLICY:
        fields["consent_policy"] = f"At most {MAX_POLICY} characters."
    if require_consent and not policy:
        fields["consent_policy"] = "Write the policy teachers confirm before requiring it."
    days = _retention_days(retention_days, fields)
    if fields:
        raise ValidationError("Please correct the highlighted fields.", fields)
    if policy != school.consent_policy:
        school.consent_policy = policy
        school.consent_policy_version += 1
    school.require_consent = require_consent
    if days is not None and (school.retention_days is None or days < school.retention_days):
        school.retention_since = utcnow()  # older recordings get their notice from now
    school.retention_days = days


def _retention_days(value, fields: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if isinstance(value, bool) or not 1 <= days <= MAX_RETENTION_DAYS:
        fields["retention_days"] = f"A whole number of days from 1 to {MAX_RETENTION_DAYS}."
    return days


def deletion_due(video: Video) -> datetime | None:
    """When the school's retention period deletes this recording, if it has one."""
    school = video.owner.school
    if school.retention_days is None:
        return None
    due = video.created_at + timedelta(days=school.retention_days)
    if school.retention_since is not None:
        due = max(due, school.retention_since + NOTICE)
    return due


def deletion_notice(video: Video) -> datetime | None:
    """The deletion date, once it is within the notice period."""
    due = deletion_due(video)
    return due if due is not None and due - NOTICE <= utcnow() else None
