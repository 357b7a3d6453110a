"""The request layer owns the transaction (webapp/transaction.py).

A request that fails after flushing leaves no row and enqueues no job; one that succeeds
commits once and enqueues exactly once; views never commit; no GET writes.
"""

import ast
from pathlib import Path

from tests.conftest import bearer
from webapp.errors import ValidationError

VIEW_MODULES = sorted(
    path
    for pattern in ("webapp/**/pages.py", "webapp/**/api.py")
    for path in Path(__file__).resolve().parent.parent.glob(pattern)
)


def test_no_view_module_commits_or_rolls_back():
    offenders = []
    for path in VIEW_MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback"):
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}()")
    assert len(VIEW_MODULES) >= 10 and offenders == []


def _failed_video(app, make_ready_video, owner) -> int:
    from webapp.db import utcnow
    from webapp.video.models import Status

    return make_ready_video(owner, status=Status.FAILED, uploaded_at=utcnow())


def _state(app, video_id):
    """The video's status and whether its processing job is in Redis."""
    from rq.job import Job

    from webapp import db
    from webapp.queue import SERIALIZER, connection
    from webapp.video.models import Video
    from webapp.video.queueing import job_id

    with app.app_context():
        video = db.session().get(Video, video_id)
        queued = Job.exists(job_id(video), connection=connection())
        count = len([j for j in connection().keys("rq:job:*") if job_id(video).encode() in j])
        assert SERIALIZER  # jobs are JSON (tests/security/test_internal_services.py)
        return video.status, queued, count


def test_a_request_failing_after_its_work_keeps_nothing_and_enqueues_nothing(
    app, make_user, make_ready_video
):
    from webapp import permissions
    from webapp.video import services
    from webapp.video.models import Video

    def retry_then_fail(video_id: int):
        services.retry(permissions.load(Video, video_id, edit=True))  # flushed, job registered
        raise ValidationError("Something after the retry was wrong.")

    app.add_url_rule("/test/retry-then-fail/<int:video_id>", view_func=retry_then_fail,
                     methods=["POST"])  # fmt: skip
    teacher = make_user("teacher")
    video_id = _failed_video(app, make_ready_video, teacher)
    client = app.test_client()
    reply = client.post(f"/test/retry-then-fail/{video_id}", headers=bearer(client, teacher.email))
    assert reply.status_code == 422
    assert _state(app, video_id) == ("failed", False, 0)


def test_a_committed_request_enqueues_exactly_once(app, client, make_user, make_ready_video):
    teacher = make_user("teacher")
    video_id = _failed_video(app, make_ready_video, teacher)
    reply = client.post(f"/api/v1/videos/{video_id}/retry", headers=bearer(client, teacher.email))
    assert reply.status_code == 202
    assert _state(app, video_id) == ("queued", True, 1)


def test_after_commit_actions_run_on_commit_and_are_dropped_on_rollback(app):
    from webapp import db
    from webapp.transaction import after_commit

    ran = []
    with app.app_context():
        after_commit(lambda: ran.append("dropped"))
        db.session().rollback()
        after_commit(lambda: ran.append("kept"))
        db.session().commit()
        db.session().commit()  # a later commit does not run it again
    assert ran == ["kept"]


def test_no_get_writes_even_on_a_fresh_installation(app, client, auth, make_user):
    """The default framework comes with `db upgrade`: pages only read it.

    (Signed in by session: a bearer token's minute of last use is its own bookkeeping.)
    """
    from sqlalchemy import event

    writes = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement.split("\n")[0])

    auth.login(make_user("coach").email)
    event.listen(app.extensions["db_engine"], "before_cursor_execute", record)
    try:
        for path in ("/api/v1/frameworks", "/cycles/new", "/admin/frameworks", "/", "/videos"):
            assert client.get(path).status_code in (200, 403), path
    finally:
        event.remove(app.extensions["db_engine"], "before_cursor_execute", record)
    assert writes == []
