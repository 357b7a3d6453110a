"""The one helper every route uses to load an object and enforce who may see or change it.

Models answer `can_view(user)` and `can_edit(user)`. An object the user may not view answers
404, so its existence stays private; a visible object the user may not change answers 403.
"""

from flask import g
from flask_login import current_user

from webapp import db
from webapp.errors import Forbidden, NotFound


def load(model, object_id, *, edit: bool = False, user=None):
    """Load `model` by id for the current user, or raise NotFound / Forbidden."""
    user = user or current_user
    obj = db.session().get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or not obj.can_view(user):
        raise NotFound(f"No such {model.__name__.lower()}, or it is not shared with you.")
    if edit and not obj.can_edit(user):
        raise Forbidden(f"You can view this {model.__name__.lower()} but not change it.")
    # Held for the rest of the request, so after-request hooks find it without another query.
    g.setdefault("loaded", []).append(obj)
    return obj
