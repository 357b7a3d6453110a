"""The evidence service: counts per video and move, tagged notes, privacy, fixed query count."""

from datetime import timedelta

from tests.coaching.conftest import LESSON_DAY, count_queries


def _evidence(app, cycle_id, user):
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import evidence
    from webapp.coaching.models import Cycle

    session = db.session()
    return evidence.cycle_evidence(session.get(Cycle, cycle_id), session.get(User, user.id))


def test_move_counts_per_video_in_date_order(app, cycle, make_ready_video, note):
    wt, oeq, cc = cycle.moves["WT"], cycle.moves["OEQ"], cycle.moves["CC"]
    later = make_ready_video(
        cycle.teacher, cycle.id, "Second lesson", created_at=LESSON_DAY + timedelta(days=7)
    )
    earlier = make_ready_video(cycle.teacher, cycle.id, "First lesson", created_at=LESSON_DAY)
    for move in (wt, wt, oeq, cc):
        note(earlier, cycle.coach, move_id=move)
    first = note(later, cycle.coach, move_id=wt)
    note(later, cycle.teacher, move_id=wt)  # any goal tag or none: the move was marked
    note(later, cycle.coach, move_id=wt, private=True)  # the coach's eyes only
    note(later, cycle.coach, move_id=wt, deleted=True)  # nobody's
    note(later, cycle.teacher, body="Agreed", parent_id=first)  # a reply is not evidence
    with app.app_context():
        for_coach = _evidence(app, cycle.id, cycle.coach)
        for_teacher = _evidence(app, cycle.id, cycle.teacher)
        goal = for_coach.goals[0]
        assert [m.code for m in goal.moves] == ["OEQ", "WT"]  # framework order
        assert [(v.title, row) for v, row in goal.counts] == [
            ("First lesson", [1, 2]),
            ("Second lesson", [0, 3]),
        ]
        assert goal.most == 3
        assert [row for _, row in for_teacher.goals[0].counts] == [[1, 2], [0, 2]]
        assert for_coach.goals[1].moves == [] and for_coach.goals[1].counts[0][1] == []
        assert [(r.video.title, r.notes) for r in for_coach.videos] == [
            ("First lesson", 4),
            ("Second lesson", 3),
        ]
        assert [r.notes for r in for_teacher.videos] == [4, 2]


def test_tagged_notes_respect_privacy_and_deletion(app, cycle, make_ready_video, note):
    goal, other_goal = cycle.goal_ids
    video = make_ready_video(cycle.teacher, cycle.id)
    late = note(video, cycle.coach, start_ms=9000, goal_id=goal, move_id=cycle.moves["WT"])
    early = note(video, cycle.teacher, start_ms=2000, goal_id=goal)
    secret = note(video, cycle.coach, start_ms=3000, goal_id=goal, private=True)
    note(video, cycle.coach, start_ms=4000, goal_id=goal, deleted=True)
    talk = note(video, cycle.coach, start_ms=5000, goal_id=other_goal)
    note(video, cycle.coach, start_ms=6000)  # untagged
    with app.app_context():
        for_coach = _evidence(app, cycle.id, cycle.coach)
        assert [n.id for n in for_coach.goals[0].notes] == [early, secret, late]
        assert [n.id for n in for_coach.goals[1].notes] == [talk]
        assert for_coach.moves[cycle.moves["WT"]].code == "WT"
        for_teacher = _evidence(app, cycle.id, cycle.teacher)
        assert [n.id for n in for_teacher.goals[0].notes] == [early, late]


def test_archived_moves_still_count_and_show(app, client, cycle, make_ready_video, note, make_user):
    from tests.conftest import bearer

    video = make_ready_video(cycle.teacher, cycle.id)
    note(video, cycle.coach, goal_id=cycle.goal_ids[0], move_id=cycle.moves["WT"])
    admin_h = bearer(client, make_user("admin").email)
    reply = client.patch(
        f"/api/v1/moves/{cycle.moves['WT']}", json={"archived": True}, headers=admin_h
    )
    assert reply.status_code == 200
    with app.app_context():
        goal = _evidence(app, cycle.id, cycle.coach).goals[0]
        assert [m.code for m in goal.moves] == ["OEQ", "WT"]
        assert goal.counts[0][1] == [0, 1]
        assert goal.notes[0].move_id == cycle.moves["WT"]


def test_query_count_does_not_grow_with_videos_or_notes(app, cycle, make_ready_video, note):
    def queries():
        from webapp import db

        with app.app_context():
            _evidence(app, cycle.id, cycle.coach)  # warm: users and cycle loaded
            db.session().expire_all()
            with count_queries(app) as statements:
                evidence = _evidence(app, cycle.id, cycle.coach)
                for goal in evidence.goals:
                    for n in goal.notes:
                        assert n.author.name and n.video_id in evidence.by_id
            return len(statements)

    video = make_ready_video(cycle.teacher, cycle.id)
    note(video, cycle.coach, goal_id=cycle.goal_ids[0], move_id=cycle.moves["WT"])
    small = queries()
    for _ in range(4):
        video = make_ready_video(cycle.teacher, cycle.id)
        for move in ("WT", "OEQ", "CC"):
            note(video, cycle.coach, goal_id=cycle.goal_ids[0], move_id=cycle.moves[move])
            note(video, cycle.teacher, goal_id=cycle.goal_ids[1], move_id=cycle.moves[move])
    assert queries() == small <= 8


def test_cycle_counts_for_the_list(app, cycle, make_ready_video, note):
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import evidence, services

    one, two = make_ready_video(cycle.teacher, cycle.id), make_ready_video(cycle.teacher, cycle.id)
    note(one, cycle.coach)
    note(two, cycle.coach)
    note(two, cycle.coach, private=True)
    with app.app_context():
        teacher = db.session().get(User, cycle.teacher.id)
        cycles = services.cycles_for(teacher)
        assert evidence.cycle_counts(cycles, teacher) == {cycle.id: (2, 2)}
