"""A video's whole timeline, serialised once and kept in Redis until a note changes.

Opening a review page fetches every note (thousands on a long lesson, megabytes of JSON);
building that is most of the request's time. The cache key holds the reader (private notes
differ per person) and two versions of the timeline: the database's (count and latest change
of its notes) and a counter bumped after every committed write, which also catches writes from
web servers whose clocks disagree. Access is checked before the cache is read; polling
(`?since=`) bypasses it.
"""

import contextlib
import hashlib
from functools import partial

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import event

from webapp.annotations import services
from webapp.annotations.models import Annotation
from webapp.queue import connection
from webapp.transaction import after_commit
from webapp.video.models import Video

KEEP_SECONDS = 600


def init_app(app: Flask) -> None:
    """Whatever writes a note (view, CLI or job) bumps its video's counter once it commits."""
    maker = app.extensions["db_sessionmaker"]
    event.listen(maker, "after_flush", _notes_written)
    event.listen(maker, "after_transaction_end", _transaction_ended)


def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("timeline_bumped", None)


def _notes_written(session, _context) -> None:
    """Register one bump per video per transaction, however many flushes touch its notes."""
    touched = (*session.new, *session.dirty, *session.deleted)
    bumped = session.info.setdefault("timeline_bumped", set())
    for video_id in {obj.video_id for obj in touched if isinstance(obj, Annotation)} - bumped:
        bumped.add(video_id)
        after_commit(partial(changed, video_id), session=session)


def cache_key(video: Video, user) -> str | None:
    """This reader's key for the timeline as it is now; None when Redis cannot be reached."""
    try:
        writes = int(connection().get(_counter(video.id)) or 0)
    except RedisError:
        return None
    return f"{_counter(video.id)}:{writes}:{services.timeline_version(video)}:{user.id}"


def etag(key: str) -> str:
    """A validator browsers send back, so an unchanged timeline is answered with a 304."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def whole_timeline(video: Video, user, key: str | None) -> bytes:
    """The JSON array of every note the user may read, from Redis when it is current."""
    if key is None:
        return services.timeline(video, user)
    with contextlib.suppress(RedisError):
        cached = connection().get(key)
        if cached is not None:
            return cached
    body = services.timeline(video, user)
    with contextlib.suppress(RedisError):  # serving it matters more than keeping it
        connection().set(key, body, ex=KEEP_SECONDS)
    return body


def changed(video_id: int) -> None:
    """After a committed write: copies made before it are never served again."""
    with contextlib.suppress(RedisError):
        connection().incr(_counter(video_id))


def _counter(video_id: int) -> str:
    return f"{current_app.config['QUEUE_NAME']}:timeline:{video_id}"
