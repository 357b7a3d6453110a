"""Clean-up nobody should have to think about: abandoned uploads and orphaned objects."""

import logging
from datetime import datetime
from functools import partial

from sqlalchemy import select

from webapp import db
from webapp.transaction import after_commit
from webapp.video.models import Status, Video
from webapp.video.processing import stale_uploads
from webapp.video.storage import storage

log = logging.getLogger(__name__)

ABANDONED = "The upload was not finished within a day. Upload the recording again."


def sweep(older_than: datetime) -> dict:
    """Abort stale multipart uploads, fail abandoned videos, delete objects with no video."""
    store = storage()
    aborted = 0
    for upload in store.pending_uploads():
        if upload.initiated < older_than:
            store.abort_multipart(upload.key, upload.upload_id)
            aborted += 1
    abandoned = stale_uploads(older_than)
    for video in abandoned:
        video.upload_id = None
        video.move_to(Status.FAILED, ABANDONED)
        after_commit(partial(store.delete_prefix, video.prefix))
    db.session().commit()
    known = set(db.session().scalars(select(Video.uuid)))
    orphans = [p for p in store.list_prefixes("videos/") if p.split("/")[1] not in known]
    for prefix in orphans:
        store.delete_prefix(prefix)
    summary = {
        "aborted_uploads": aborted,
        "abandoned_videos": len(abandoned),
        "orphaned_prefixes": len(orphans),
    }
    log.info("Sweep: %s", summary)
    return summary
