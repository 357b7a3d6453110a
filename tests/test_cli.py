"""The debrief CLI: migrations, accounts, pairing and demo data."""

import pytest


def test_db_upgrade_is_idempotent(runner):
    first = runner.invoke(args=["db", "upgrade"])
    second = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == second.exit_code == 0
    assert "up to date" in second.output


def test_users_create_and_errors(runner):
    ok = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Cli@Example.org",
            "--name",
            "Cli User",
            "--role",
            "coach",
            "--password",
            "a long password",
        ]
    )
    assert ok.exit_code == 0, ok.output
    assert "Created coach cli@example.org" in ok.output
    dup = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "cli@example.org",
            "--name",
            "Again",
            "--role",
            "coach",
            "--password",
            "a long password",
        ]
    )
    assert dup.exit_code == 1 and "already exists" in dup.output
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "principal",
            "--password",
            "a long password",
        ]
    )
    assert bad.exit_code == 1 and "Role must be one of" in bad.output


def test_pair_command(app, runner, make_user):
    from webapp import db
    from webapp.coaching import pairings

    coach, teacher, later = make_user("coach"), make_user("teacher"), make_user("teacher")
    asked = runner.invoke(args=["pair", coach.email, teacher.email])
    assert asked.exit_code == 0 and "nothing is shared until they do" in asked.output
    agreed = runner.invoke(args=["pair", "--accepted", coach.email, later.email])
    assert agreed.exit_code == 0 and "now coaches" in agreed.output
    with app.app_context():
        assert pairings.open_pairing(coach.id, teacher.id).status == "pending"
        assert pairings.active_pairing(coach.id, later.id) is not None
        db.session().rollback()
    wrong_way = runner.invoke(args=["pair", teacher.email, coach.email])
    assert wrong_way.exit_code == 1 and "only coaches and admins can coach" in wrong_way.output
    unknown = runner.invoke(args=["pair", "nobody@example.org", teacher.email])
    assert unknown.exit_code == 1 and "No account" in unknown.output


def _demo_video():
    """The demo's cycle, its sample video and that video's notes."""
    from sqlalchemy import select

    from webapp import db
    from webapp.annotations.models import Annotation
    from webapp.coaching.models import Cycle
    from webapp.video.models import Video

    [cycle] = db.session().scalars(select(Cycle))
    [video] = db.session().scalars(select(Video))
    notes = list(db.session().scalars(select(Annotation).filter_by(video_id=video.id)))
    return cycle, video, notes


@pytest.mark.slow
def test_demo_is_idempotent_and_complete(app, runner, binaries, tmp_path):
    from sqlalchemy import func, select

    from webapp import db
    from webapp.auth import services as accounts
    from webapp.coaching import pairings
    from webapp.coaching.models import Cycle
    from webapp.video.storage import storage
    from worker.analysis import analyse

    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "analyses its speech" in first.output, first.output
    second = runner.invoke(args=["demo"])
    assert "already present" in second.output
    with app.app_context():
        for email in (
            "demo.teacher",
            "demo.coach",
            "demo.admin",
            "demo.other-teacher",
            "demo.other-coach",
        ):
            user = accounts.authenticate(f"{email}@example.org", "coachingdemo")
            assert user is not None, email
        teacher = accounts.find_user("demo.teacher@example.org")
        coach = accounts.find_user("demo.coach@example.org")
        other = accounts.find_user("demo.other-coach@example.org")
        assert pairings.active_pairing(coach.id, teacher.id) is not None
        assert pairings.active_pairing(other.id, teacher.id) is None
        assert db.session().scalar(select(func.count()).select_from(Cycle)) == 1
        cycle, video, notes = _demo_video()
        assert cycle.status == "active" and len(cycle.goals) == 2
        assert [(g.metric, g.target, g.direction, g.threshold_s) for g in cycle.goals] == [
            ("student_talk_pct", 40, "at_least", None),
            ("wait_ge_pct", 80, "at_least", 3),
        ]
        assert video.owner_id == teacher.id and video.cycle_id == cycle.id
        assert video.status == "queued" and video.consent_confirmed_at is not None
        assert len(notes) == 6 and sum(n.parent_id is not None for n in notes) == 1
        assert {n.goal_id for n in notes if n.goal_id} == {g.id for g in cycle.goals}
        assert video.captions_key is None  # the analysis's transcript becomes the captions
        starts = [n.start_ms for n in notes]
        praise_ms = next(n.start_ms for n in notes if n.body.startswith("Lovely open question"))
        source = tmp_path / "sample-lesson.mp4"
        storage().download_file(video.source_key, source)
    # The sample speaks: the engine hears the open question, the wait and the student's answer.
    result = analyse(source, binaries=binaries)
    assert all(0 <= start < result.duration_ms for start in starts)
    question = next(q for q in result.questions if "one half is bigger" in q.text)
    assert question.open and question.next_speaker == "student"
    assert 3000 <= question.wait_ms <= 4200 and abs(question.start_ms - praise_ms) < 500
    assert any(not q.open and q.wait_ms < 1500 for q in result.questions)
    assert any(q.open and q.wait_ms < 1000 for q in result.questions)  # a short wait to suggest
    assert result.metrics.student_talk_pct >= 40 and not result.notes  # it meets its talk goal


def test_demo_without_espeak_uses_a_silent_clip_and_captions(app, runner, monkeypatch):
    from webapp import lessonsynth
    from webapp.video.storage import storage

    def missing():
        raise lessonsynth.EspeakMissing("espeak-ng is missing")

    monkeypatch.setattr(lessonsynth, "require_espeak", missing)
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0 and "espeak-ng is missing" in loaded.output, loaded.output
    with app.app_context():
        _cycle, video, notes = _demo_video()
        assert video.status == "queued" and len(notes) == 6
        assert b"Turn to your partner" in storage().read(video.captions_key)
