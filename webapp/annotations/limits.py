"""Bounds on writing notes, so one account cannot flood a video or the database.

A video holds at most MAX_NOTES_PER_VIDEO notes and replies (deleted ones do not count), and
a person adds at most NOTES_PER_MINUTE of them in any clock minute, counted in Redis like the
sign-in throttle, so every web process shares the count. Both answer 429.
"""

import time

from flask import current_app
from sqlalchemy import func, select

from webapp import db, queue
from webapp.annotations.models import Annotation
from webapp.auth.ratelimit import RateLimited
from webapp.errors import TooManyRequests
from webapp.video.models import Video


def check_can_add(video: Video, author) -> None:
    """Raise TooManyRequests when the video is full or the author is writing too fast."""
    config = current_app.config
    cap = config["MAX_NOTES_PER_VIDEO"]
    count = db.session().scalar(
        select(func.count(Annotation.id)).where(
            Annotation.video_id == video.id, Annotation.deleted_at.is_(None)
        )
    )
    if count >= cap:
        raise TooManyRequests(
            f"This video already has {cap:,} notes, the most one video can hold. "
            "Delete some, or continue on another recording."
        )
    now = time.time()
    minute = int(now // 60)
    key = f"{config['QUEUE_NAME']}:notes-per-minute:{author.id}:{minute}"
    pipe = queue.connection().pipeline()
    pipe.incr(key)
    pipe.expire(key, 120)
    written, _ = pipe.execute()
    if written > config["NOTES_PER_MINUTE"]:
        raise RateLimited(
            max(1, 60 - int(now % 60)),
            f"You have added {config['NOTES_PER_MINUTE']} notes in the last minute; "
            "wait a moment before adding more.",
        )
