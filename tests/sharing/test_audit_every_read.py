"""Every way of reading a video by someone other than its owner lands in the owner's audit.

The routes are taken from the app's URL map, so a new read route is walked here the day it is
added: it must either record exactly one view or be one the owner alone can use.
"""

import io

import pytest

from tests.conftest import bearer
from tests.sharing.conftest import audit_rows, share

# GET routes of a video that only its owner may use (a recipient gets 404 before any read).
OWNER_ONLY = {
    "video_pages.original",
    "video_api.resume_upload",
    "sharing_api.list_shares",
    "sharing_api.video_audit",
}
# What a list shows beside a lesson's title (its poster thumbnail): listed is not watched,
# so a recipient is served and the owner's audit records no view.
LISTING = {"video_pages.thumbnail"}
# Each media name the gateway serves, walked as its own read.
MEDIA = ("hls/master.m3u8", "hls/360/seg_00000.m4s", "mp4/360.mp4", "poster.jpg",
         "thumbs.vtt", "peaks.json", "captions.vtt")  # fmt: skip
# The reads that must be among the walked ones, so the walk cannot pass by finding nothing.
EXPECTED = {
    "video_pages.show",
    "video_pages.media",
    "video_api.get_video",
    "annotations_pages.summary",
    "annotations_api.list_annotations",
    "annotations_api.annotations_vtt",
    "annotations_api.annotations_csv",
}


@pytest.fixture
def stored_video(app, people):
    """A processed video with every output (and captions) really in storage, and one note."""
    from webapp import db
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.db import utcnow
    from webapp.video.models import Status, Video
    from webapp.video.storage import storage

    with app.app_context():
        video = Video(owner_id=people.owner.id, title="Fractions lesson", size_bytes=1,
                      original_filename="l.mp4", content_type="video/mp4", source_key="",
                      status=Status.READY, duration_ms=60_000, width=640, height=360,
                      uploaded_at=utcnow())  # fmt: skip
        db.session().add(video)
        db.session().flush()
        video.source_key = f"{video.prefix}source/l.mp4"
        video.output_prefix = f"{video.prefix}r1/"
        video.captions_key = f"{video.output_prefix}captions.vtt"
        video.outputs = {"hls": "hls/master.m3u8", "poster": "poster.jpg"}
        for key in [video.source_key, *(video.output_prefix + name for name in MEDIA)]:
            storage().put_stream(key, io.BytesIO(b"WEBVTT\n\n"), "application/octet-stream")
        coach = db.session().get(User, people.coach.id)
        notes.create(video, coach, AnnotationCreate(start_ms=1000, body="Lovely wait time"))
        db.session().commit()
        return video.id


def _read_routes(app, video_id: int):
    """(endpoint, path) for every GET route that takes a video id, media once per name."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "video_id" not in rule.arguments:
            continue
        names = MEDIA if "name" in rule.arguments else (None,)
        for name in names:
            values = {"video_id": video_id} | ({"name": name} if name else {})
            yield rule.endpoint, rule.build(values, append_unknown=False)[1]


def test_every_read_route_records_one_view(app, client, people, make_user, stored_video):
    owner = people.headers["owner"]
    walked, problems = set(), []
    for endpoint, path in _read_routes(app, stored_video):
        # A fresh recipient per read, so the ten-minute de-duplication cannot hide a miss.
        reader = make_user("teacher")
        assert share(client, owner, stored_video, reader.email).status_code == 201
        reply = client.get(path, headers=bearer(client, reader.email))
        views = audit_rows(app, action="video.viewed", actor_id=reader.id)
        if reply.status_code >= 400:
            if endpoint not in OWNER_ONLY:
                problems.append(f"{path}: {reply.status_code} for a recipient")
            elif views:
                problems.append(f"{path}: refused, yet recorded a view")
            continue
        walked.add(endpoint)
        if endpoint in LISTING:
            if views:
                problems.append(f"{path}: a list's thumbnail recorded a view")
        elif len(views) != 1 or views[0]["video_id"] != stored_video:
            problems.append(f"{path}: {len(views)} view events")
    assert problems == []
    assert walked >= EXPECTED | LISTING


def test_many_reads_of_the_media_are_one_view(app, client, people, stored_video):
    coach = people.headers["coach"]
    for name in MEDIA:
        assert client.get(f"/videos/{stored_video}/media/{name}", headers=coach).status_code < 400
    client.get(f"/api/v1/videos/{stored_video}/annotations", headers=coach)
    views = audit_rows(app, action="video.viewed")
    assert len(views) == 1 and views[0]["detail"]["access"] == "coach"


def test_owner_reads_are_not_views(app, client, people, stored_video):
    for _endpoint, path in _read_routes(app, stored_video):
        client.get(path, headers=people.headers["owner"])
    assert audit_rows(app, action="video.viewed") == []


def test_the_cycle_page_showing_notes_records_a_view(app, client, auth, people):
    """The cycle page lists the notes tagged with a goal: that too is reading the lesson."""
    from webapp import db
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.coaching import services as coaching
    from webapp.video.models import Status, Video

    with app.app_context():
        teacher = db.session().get(User, people.owner.id)
        coach = db.session().get(User, people.coach.id)
        cycle = coaching.create_cycle(teacher=teacher, coach=coach, title="Talk", goals=["Wait"])
        video = Video(owner_id=teacher.id, cycle_id=cycle.id, title="Tagged lesson",
                      size_bytes=1, original_filename="l.mp4", content_type="video/mp4",
                      source_key="k", status=Status.READY, duration_ms=60_000)  # fmt: skip
        db.session().add(video)
        db.session().flush()
        note = AnnotationCreate(start_ms=0, body="Waited", goal_id=cycle.goals[0].id)
        notes.create(video, coach, note)
        db.session().commit()
        cycle_id, video_id = cycle.id, video.id
    auth.login(people.coach.email)
    page = client.get(f"/cycles/{cycle_id}")
    assert page.status_code == 200 and "Waited" in page.get_data(as_text=True)
    [view] = audit_rows(app, action="video.viewed")
    assert view["video_id"] == video_id and view["detail"]["via"] == "cycle"
