"""The one helper every route uses to load an object and enforce who may see or change it.

webapp/access.py answers who may view and change each type. An object the user may not view answers
404, so its existence stays private; a visible object the user may not change answers 403.

Loading is also where reads are noticed: every video (or note of a video) a request loads is
remembered, and the audit's after-request hook records a view of each by anyone but the owner
when a read (GET) succeeds. A new route that loads its video here cannot forget the audit.
"""

from flask import g
from flask_login import current_user

from webapp import access, db
from webapp.errors import Forbidden, NotFound


def load(model, object_id, *, edit: bool = False, user=None, listing: bool = False):
    """Load `model` by id for the current user, or raise NotFound / Forbidden.

    With `listing`, what is shown is what a list shows of the object (a lesson's poster
    thumbnail beside its title), which is not reading it: the owner's audit records no view.
    """
    user = user or current_user
    obj = db.session().get(model, object_id) if isinstance(object_id, int) else None
    may_view, may_change = access.POLICIES[model]
    if obj is None or not may_view(user, obj):
        raise NotFound(f"No such {model.__name__.lower()}, or it is not shared with you.")
    if edit and not may_change(user, obj):
        raise Forbidden(f"You can view this {model.__name__.lower()} but not change it.")
    video = getattr(obj, "audited_video", None)
    if video is not None and not listing:
        mark_read(video)
    return obj


def mark_read(video) -> None:
    """Note that this request shows the video's content, for the audit's after-request hook."""
    g.setdefault("read_videos", {})[video.id] = video


def read_videos() -> list:
    """The videos this request has shown so far (see `mark_read`)."""
    return list(g.get("read_videos", {}).values())
