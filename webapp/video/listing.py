"""What a list of videos shows besides the videos: unread notes and how each one is shared."""

from webapp.annotations.review import unread_counts
from webapp.sharing.services import shared_permissions
from webapp.video.models import Video


def list_context(videos: list[Video], user) -> dict:
    return {
        "videos": videos,
        "unread": unread_counts(videos, user),
        "shared": shared_permissions(videos, user),
    }
