"""The rules that pick and tag suggested moments, on plain values (no database)."""

from types import SimpleNamespace

from webapp.coaching.defaults import DEFAULT_MOVES
from webapp.suggestions import generation
from webapp.suggestions.generation import MAX_SUGGESTIONS, Candidate
from webapp.suggestions.models import SuggestionKind as Kind


def _wait(start_ms: int, wait_ms: int, *, is_open=True, text="Why?") -> dict:
    return {"start_ms": start_ms, "end_ms": start_ms + 1000, "text": text, "open": is_open,
            "wait_ms": wait_ms, "next_speaker": "student"}  # fmt: skip


def test_quotes_and_durations_read_well():
    assert generation.quote("Why do you think one half is bigger than the other?") == (
        "Why do you think one half is bigger…"
    )
    assert generation.quote("  How   many?  ") == "How many?"
    assert [generation.duration(ms) for ms in (45_400, 360_000, 379_000)] == [
        "45 s", "6 min", "6 min 19 s"]  # fmt: skip


def test_waits_by_threshold_and_only_open_questions_for_short_ones():
    questions = [_wait(0, 3000), _wait(10_000, 2999), _wait(20_000, 300),
                 _wait(30_000, 300, is_open=False), _wait(40_000, None)]  # fmt: skip
    found = generation.candidates(questions, [], long_wait_s=3.0)
    assert [(c.kind, c.start_ms, c.end_ms) for c in found] == [
        (Kind.LONG_WAIT, 0, 4000), (Kind.SHORT_WAIT, 20_000, 21_300)]  # fmt: skip
    assert [c.start_ms for c in generation.candidates(questions, [], long_wait_s=2.5)] == [
        0, 10_000, 20_000]  # fmt: skip


def test_stretches_break_at_the_other_speaker_and_at_a_long_silence():
    turns = [{"start_ms": 0, "end_ms": 20_000, "speaker": "student"},
             {"start_ms": 22_000, "end_ms": 31_000, "speaker": "student"},  # one stretch: 31 s
             {"start_ms": 40_000, "end_ms": 69_000, "speaker": "student"},  # after 9 s: 29 s
             {"start_ms": 70_000, "end_ms": 200_000, "speaker": "teacher"},
             {"start_ms": 200_500, "end_ms": 201_000, "speaker": "unknown"},  # neither
             {"start_ms": 202_000, "end_ms": 371_000, "speaker": "teacher"}]  # fmt: skip
    found = generation.candidates([], turns, long_wait_s=3.0)
    assert [(c.kind, c.start_ms, c.end_ms, c.text) for c in found] == [
        (Kind.STUDENT_TALK, 0, 31_000, "Students talked for 31 s"),
        (Kind.MONOLOGUE, 70_000, 371_000, "Teacher talked 5 min 1 s without a pause"),
    ]


def _candidate(kind: Kind, start_ms: int, strength: float) -> Candidate:
    return Candidate(kind, start_ms, start_ms + 1000, f"{kind} at {start_ms}", strength)


def test_a_long_lesson_gets_a_few_of_each_kind_the_strongest_first():
    waits = [_candidate(Kind.LONG_WAIT, ms * 1000, ms) for ms in range(40)]
    talk = [_candidate(Kind.STUDENT_TALK, ms * 1000 + 1, ms) for ms in range(3)]
    picked = generation.pick(waits + talk, first=set(), taken=set())
    assert len(picked) == MAX_SUGGESTIONS
    assert sum(c.kind == Kind.STUDENT_TALK for c in picked) == 3  # never crowded out
    assert min(c.strength for c in picked if c.kind == Kind.LONG_WAIT) == 31  # the longest
    assert picked == sorted(picked, key=lambda c: c.start_ms)
    # Kinds a goal measures lead; a decided key is never offered again.
    monologues = [_candidate(Kind.MONOLOGUE, ms * 1000 + 2, ms) for ms in range(20)]
    taken = {monologues[19].key}
    picked = generation.pick(waits + monologues, first={Kind.MONOLOGUE}, taken=taken)
    assert sorted(c.strength for c in picked if c.kind == Kind.MONOLOGUE) == list(range(13, 19))


def test_moments_are_kept_inside_the_video():
    kept = generation.within(
        [_candidate(Kind.LONG_WAIT, 500, 1), _candidate(Kind.LONG_WAIT, 2000, 1)], 1200
    )
    assert [(c.start_ms, c.end_ms) for c in kept] == [(500, 1200)]


def _moves(rows=DEFAULT_MOVES, archived=()):
    return [SimpleNamespace(id=n, group=group, name=name, code=code, archived=code in archived)
            for n, (group, name, code, _, _) in enumerate(rows, start=1)]  # fmt: skip


def test_moves_by_code_then_by_name_in_use_only():
    moves = _moves()
    assert generation.move_for(Kind.LONG_WAIT, moves).code == "WT"
    assert generation.move_for(Kind.MONOLOGUE, moves).code == "TT"
    assert generation.move_for(Kind.STUDENT_TALK, _moves(archived={"TT"})).code == "SB"
    school = _moves([("Talk", "Think time after asking", "TH", "", ""),
                     ("Talk", "Partner discussion", "PD", "", "")])  # fmt: skip
    assert generation.move_for(Kind.SHORT_WAIT, school).code == "TH"
    assert generation.move_for(Kind.STUDENT_TALK, school).code == "PD"
    assert generation.move_for(Kind.LONG_WAIT, _moves(archived={"WT"})) is None


def _goal(goal_id, metric=None, move_ids=(), threshold_s=None):
    return SimpleNamespace(id=goal_id, metric=metric, move_ids=list(move_ids), target=None,
                           direction=None, threshold_s=threshold_s)  # fmt: skip


def test_goals_by_metric_the_closest_first_then_by_linked_move():
    wt = SimpleNamespace(id=7)
    mean, share = _goal(1, "mean_wait_s"), _goal(2, "wait_ge_pct", threshold_s=5.0)
    linked, teacher = _goal(3, move_ids=[7]), _goal(4, "teacher_talk_pct")
    assert generation.goal_for(Kind.LONG_WAIT, [mean, share, linked], wt) is share
    assert generation.goal_for(Kind.LONG_WAIT, [mean, linked], wt) is mean
    assert generation.goal_for(Kind.SHORT_WAIT, [linked, teacher], wt) is linked
    assert generation.goal_for(Kind.MONOLOGUE, [linked, teacher], None) is teacher
    assert generation.goal_for(Kind.STUDENT_TALK, [linked], None) is None
    assert generation.long_wait_s([mean, share]) == 5.0
    assert generation.long_wait_s([mean]) == generation.LONG_WAIT_S == 3.0
