"""Sharing a video with a person, and revoking it. Functions flush; callers commit."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webapp import db
from webapp.auth import services as accounts
from webapp.db import utcnow
from webapp.errors import Forbidden, NotFound, ValidationError
from webapp.schemas import rfc3339
from webapp.sharing import audit
from webapp.sharing.models import Permission, Share, active_share_clause
from webapp.sharing.schemas import date_or_time
from webapp.video.models import Video


def parse_expiry(text: str | None) -> date | datetime | None:
    """The share form's text field, read as the API reads `expires_at`; empty means none."""
    if not text:
        return None
    try:
        return date_or_time(text)
    except ValueError as err:
        raise ValidationError(str(err), {"expires_at": "Not a date."}) from None


def _until(expires_at: date | datetime) -> datetime:
    """A time stays as it is (naive UTC); a date means until the end of that day (UTC)."""
    if isinstance(expires_at, datetime):
        return expires_at
    try:
        return datetime.combine(expires_at, time()) + timedelta(days=1)
    except OverflowError:  # the end of 9999-12-31 is past the last datetime
        raise ValidationError(
            "Choose an earlier date.", {"expires_at": "Choose an earlier date."}
        ) from None


def share(
    video: Video,
    owner,
    *,
    email: str,
    permission: str = "view",
    expires_at: date | datetime | None = None,
) -> Share:
    """Share `video` with a colleague of the owner's school by email; again replaces the terms.

    `expires_at` is a date (through that day) or a naive UTC time (the share form's text is
    read with `parse_expiry`).
    """
    if owner.id != video.owner_id:
        raise Forbidden("Only the teacher who recorded this video can share it.")
    fields = {}
    if permission not in {p.value for p in Permission}:
        fields["permission"] = "Choose view or comment."
    recipient = accounts.find_user(email)
    # Only colleagues of the owner's school: an unknown email, an inactive account and someone
    # of another school get the same answer, so sharing tells nobody who has an account where.
    if recipient is None or not recipient.active or recipient.school_id != owner.school_id:
        recipient = None
        fields["email"] = f"Nobody at {owner.school.name} has an active account with this email."
    elif recipient.id == owner.id:
        fields["email"] = "This is your own video."
    until = _until(expires_at) if expires_at is not None else None
    if until is not None and until <= utcnow():
        fields["expires_at"] = "Choose a date in the future."
    if fields:
        raise ValidationError("The video was not shared: " + " ".join(fields.values()), fields)
    current = active_share(video, recipient)
    if current is None:
        # Ids, not relationships: callers may hold `owner` from another session.
        current = Share(video_id=video.id, user=recipient, created_by_id=owner.id)
        db.session().add(current)
        action = "share.created"
    else:
        action = "share.changed"
    current.permission = permission
    current.expires_at = until
    db.session().flush()
    audit.record(
        owner,
        action,
        video=video,
        subject=recipient,
        share_id=current.id,
        permission=permission,
        expires_at=rfc3339(until) if until else None,
    )
    return current


def revoke(share: Share) -> None:
    """End a share now; the person's next request is refused."""
    if share.revoked_at is not None:
        return
    share.revoked_at = utcnow()
    db.session().flush()
    video = share.video
    audit.record(video.owner, "share.revoked", video=video, subject=share.user, share_id=share.id)


def active_share(video: Video, user) -> Share | None:
    query = select(Share).where(
        Share.video_id == video.id, Share.user_id == user.id, active_share_clause()
    )
    return db.session().scalar(query)


def shares_of(video: Video, *, include_ended: bool = False) -> list[Share]:
    """The video's shares, active first, newest first."""
    query = select(Share).where(Share.video_id == video.id)
    if not include_ended:
        query = query.where(active_share_clause())
    query = query.order_by(Share.revoked_at.is_not(None), Share.created_at.desc(), Share.id.desc())
    return list(db.session().scalars(query))


def get_share(video: Video, share_id: int) -> Share:
    """One active share of this video, or 404."""
    found = db.session().get(Share, share_id)
    if found is None or found.video_id != video.id or not found.active:
        raise NotFound("No such share, or it has already ended.")
    return found


def shared_permissions(videos: list[Video], user) -> dict[int, str]:
    """For the list pages: which of these videos reach the user by a share, and how."""
    if not videos:
        return {}
    query = select(Share.video_id, Share.permission).where(
        Share.user_id == user.id,
        Share.video_id.in_([v.id for v in videos]),
        active_share_clause(),
    )
    return dict(db.session().execute(query).all())
