"""The debrief CLI: migrations, accounts, pairing and demo data."""


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


def test_demo_is_idempotent_and_complete(app, runner):
    from sqlalchemy import func, select

    from webapp import db
    from webapp.auth import services as accounts
    from webapp.coaching import pairings
    from webapp.coaching.models import Cycle

    assert runner.invoke(args=["demo"]).exit_code == 0
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
        [cycle] = db.session().scalars(select(Cycle))
        assert cycle.status == "active" and len(cycle.goals) == 2
        assert db.session().scalar(select(func.count()).select_from(Cycle)) == 1
        from webapp.video.models import Video

        [video] = db.session().scalars(select(Video))
        assert video.owner_id == teacher.id and video.cycle_id == cycle.id
        assert video.status == "queued" and video.consent_confirmed_at is not None
        from webapp.annotations.models import Annotation
        from webapp.video.storage import storage

        notes = list(db.session().scalars(select(Annotation).filter_by(video_id=video.id)))
        assert len(notes) == 6 and sum(n.parent_id is not None for n in notes) == 1
        assert all(0 <= n.start_ms < 30_000 for n in notes)
        assert {n.goal_id for n in notes if n.goal_id} == {g.id for g in cycle.goals}
        assert b"Turn to your partner" in storage().read(video.captions_key)
