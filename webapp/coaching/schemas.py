"""The coaching API's bodies and answers: pairings, frameworks and moves, cycles and goals."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import MISSING, BeforeValidator, Field, ValidationInfo, model_validator

from webapp.coaching.models import QUICK_KEYS, Framework, Goal, Move
from webapp.coaching.services import MAX_GOALS
from webapp.schemas import Body, Id, IsoDate, Out, Query, Timestamp, UserRef

# The values of models.PairingStatus and models.CycleStatus: strict bodies take the plain
# strings, which a StrEnum field would refuse.
PairingStatusValue = Literal["pending", "active", "declined", "ended"]
CycleStatusValue = Literal["planned", "active", "closed"]
# models.GoalMetric and models.GoalDirection.
GoalMetricValue = Literal[
    "student_talk_pct",
    "teacher_talk_pct",
    "mean_wait_s",
    "wait_ge_pct",
    "open_questions_per_10min",
    "tagged_notes",
]
GoalDirectionValue = Literal["at_least", "at_most"]

# Lengths are the columns'; the services still check what a length cannot (blank after
# trimming, a code already taken) for the HTML forms and the API alike.
MoveName = Annotated[str, Field(min_length=1, max_length=120)]
MoveCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9]{1,16}$",
        description="1 to 16 letters or digits, unique in the framework; stored in capitals",
    ),
]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", description="Like #1f6feb")]
MoveGroup = Annotated[str, Field(max_length=120, description="The heading it is listed under")]
Position = Annotated[
    int, Field(ge=0, description="Its place in the framework from 0; the others move up")
]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Statement = Annotated[str, Field(min_length=1, max_length=500)]
MoveIds = Annotated[
    list[Id], Field(description="Moves of the cycle's framework that show progress toward it")
]
# A target's upper bound depends on the metric (shares: 100); the service checks that.
Target = Annotated[
    float,
    Field(ge=0, allow_inf_nan=False, description="The figure to reach; shares are 0 to 100"),
]
Threshold = Annotated[
    float,
    Field(
        gt=0,
        le=60,
        allow_inf_nan=False,
        description="wait_ge_pct only: the wait, in seconds, that counts (null: 3)",
    ),
]
METRIC_HELP = (
    "The lesson figure that measures it: student_talk_pct, teacher_talk_pct (shares of talk), "
    "mean_wait_s (after questions), wait_ge_pct (share of questions with a wait of at least "
    "threshold_s), open_questions_per_10min, tagged_notes (notes tagged with its linked moves)"
)


# ---- pairings ----


class PairingListQuery(Query):
    all: bool = Field(False, description="Include declined and ended pairings too")


class PairingCreate(Body):
    """An admin names a coach and a teacher; a coach names a teacher of their own school."""

    teacher_id: Id
    coach_id: Id | None = Field(None, description="Admins only; a coach may leave it out")


class PairingOut(Out):
    """Who coaches whom; only an active pairing grants the coach access."""

    id: int
    coach: UserRef
    teacher: UserRef
    status: PairingStatusValue
    active: bool = Field(description="Accepted by the teacher and not ended")
    started_at: Timestamp = Field(description="When the pairing was asked for")
    accepted_at: Timestamp | None
    ended_at: Timestamp | None = Field(description="When it was declined, withdrawn or ended")


class PairingList(Out):
    pairings: list[PairingOut]


# ---- frameworks and moves ----


class FrameworkCreate(Body):
    name: str = Field(min_length=1, max_length=200, description="Unique")
    description: str = ""


class MoveCreate(Body):
    name: MoveName
    code: MoveCode
    colour: Colour
    description: str = ""
    group: MoveGroup = ""


class MoveUpdate(Body):
    """Only the fields sent change."""

    name: MoveName | MISSING = MISSING
    code: MoveCode | MISSING = MISSING
    colour: Colour | MISSING = MISSING
    description: str | MISSING = MISSING
    group: MoveGroup | MISSING = MISSING
    position: Position | MISSING = MISSING
    archived: bool | MISSING = Field(
        MISSING, description="Archive (true) or restore (false); moves are never deleted"
    )


def _move_row(move: Move, quick_key: int | None) -> dict:
    """A move row as MoveOut reads it: `quick_key` only on a quick move."""
    data = {name: getattr(move, name) for name in MoveOut.model_fields if name != "quick_key"}
    return data if quick_key is None else data | {"quick_key": quick_key}


class MoveOut(Out):
    """An instructional move; archived moves stay so that old notes keep their tag."""

    id: int
    framework_id: int
    name: str
    code: str
    colour: str
    description: str
    group: str
    position: int
    archived: bool
    quick_key: int | MISSING = Field(
        MISSING,
        ge=1,
        le=QUICK_KEYS,
        description="The number key that tags it on the review page; absent on other moves",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any) -> Any:
        return _move_row(value, value.quick_key) if isinstance(value, Move) else value


class _FrameworkMoves(Out):
    """Read from a Framework row: its moves, their quick keys found once for them all (each
    move's own `quick_key` would find the framework's quick moves again, for every move)."""

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any) -> Any:
        if not isinstance(value, Framework):
            return value
        keys = value.quick_keys
        data = {name: getattr(value, name) for name in cls.model_fields if name != "moves"}
        return data | {"moves": [_move_row(move, keys.get(move.id)) for move in value.moves]}


class MoveList(_FrameworkMoves):
    moves: list[MoveOut]


class FrameworkOut(_FrameworkMoves):
    id: int
    name: str
    description: str
    is_default: bool = Field(description="Used by cycles opened without a framework")
    moves: list[MoveOut] = Field(description="Every move in display order, archived ones too")


class FrameworkList(Out):
    frameworks: list[FrameworkOut]


# ---- cycles and goals ----


class GoalCreate(Body):
    """A target needs a metric and a direction; without a metric the goal is not measured."""

    statement: Statement
    move_ids: MoveIds = Field(default_factory=list)
    metric: GoalMetricValue | None = Field(None, description=METRIC_HELP)
    target: Target | None = None
    direction: GoalDirectionValue | None = Field(None, description="Required with a target")
    threshold_s: Threshold | None = None


class GoalUpdate(Body):
    """Only the fields sent change; `move_ids` replaces the linked moves. A new metric starts
    without the old target, direction and threshold unless they are sent with it; a null
    metric stops measuring the goal."""

    statement: Statement | MISSING = MISSING
    move_ids: MoveIds | MISSING = MISSING
    metric: GoalMetricValue | MISSING | None = Field(MISSING, description=METRIC_HELP)
    target: Target | MISSING | None = MISSING
    direction: GoalDirectionValue | MISSING | None = MISSING
    threshold_s: Threshold | MISSING | None = MISSING


def _goal_object(value):
    """A goal sent as its statement alone is a goal without moves."""
    if isinstance(value, str):
        return {"statement": value}
    if not isinstance(value, dict):
        raise ValueError("Send a statement, or an object with statement and move_ids.")
    return value


GoalSpec = Annotated[
    GoalCreate, BeforeValidator(_goal_object, json_schema_input_type=Statement | GoalCreate)
]


class CycleCreate(Body):
    """A coach names a teacher they coach; a teacher names one of their coaches."""

    title: Title
    teacher_id: Id | None = Field(None, description="Required when a coach or admin opens it")
    coach_id: Id | None = Field(None, description="Required when a teacher opens it")
    framework_id: Id | None = Field(None, description="Default: the default framework")
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = Field(None, description="On or after starts_on")
    status: CycleStatusValue = "planned"
    goals: list[GoalSpec] = Field(
        default_factory=list,
        max_length=MAX_GOALS,
        description="Each a statement, or {statement, move_ids} to link moves",
    )


class CycleUpdate(Body):
    """Only the fields sent change; null clears a date."""

    title: Title | MISSING = MISSING
    status: CycleStatusValue | MISSING = Field(
        MISSING, description="planned → active → closed; a closed cycle may be reopened (active)"
    )
    starts_on: IsoDate | MISSING | None = MISSING
    ends_on: IsoDate | MISSING | None = MISSING


class GoalOut(Out):
    """A goal; `baseline` is its figure at the first analysed lesson of the cycle that I may
    watch (null: not measured, or no lesson analysed yet)."""

    id: int
    cycle_id: int
    statement: str
    move_ids: list[int]
    metric: GoalMetricValue | None
    target: float | None
    direction: GoalDirectionValue | None
    threshold_s: float | None = Field(description="wait_ge_pct only; null: 3 seconds")
    baseline: float | None

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any, info: ValidationInfo) -> Any:
        """A Goal row's baseline comes from `context["baselines"]` (progress.baselines),
        which every answer with goals passes: the baseline depends on who is asking."""
        if not isinstance(value, Goal):
            return value
        data = {name: getattr(value, name) for name in cls.model_fields if name != "baseline"}
        return data | {"baseline": info.context["baselines"].get(value.id)}


class GoalList(Out):
    goals: list[GoalOut]


class CycleOut(Out):
    """A coaching cycle of one teacher with one coach, and its goals."""

    id: int
    title: str
    status: CycleStatusValue
    starts_on: date | None
    ends_on: date | None
    teacher: UserRef
    coach: UserRef | None = Field(description="null once the coach's account is deleted")
    framework_id: int
    goals: list[GoalOut]


class CycleList(Out):
    cycles: list[CycleOut]
