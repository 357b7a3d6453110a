"""The OpenAPI document for /api/v1; a test fails when a route is missing from it."""

from flask import Blueprint, jsonify

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

ERROR = {"$ref": "#/components/schemas/Error"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(
    summary: str,
    *,
    ok: int = 200,
    body: dict | None = None,
    response: dict | None = None,
    errors: tuple[int, ...] = (401,),
    public: bool = False,
    content: str = "application/json",
    request_content: str = "application/json",
) -> dict:
    """One operation: its summary, request body, success response and error responses."""
    op: dict = {"summary": summary, "responses": {}}
    success: dict = {"description": "Success"}
    if response is not None:
        success["content"] = {content: {"schema": response}}
    op["responses"][str(ok)] = success
    for status in errors:
        op["responses"][str(status)] = {
            "description": "Error",
            "content": {"application/json": {"schema": ERROR}},
        }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {request_content: {"schema": body}}}
    if public:
        op["security"] = []
    return op


def _not_modified(op: dict) -> dict:
    """Document the bodiless 304 of a conditional GET."""
    op["responses"]["304"] = {"description": "Not modified since the ETag sent"}
    return op


def _with_query(op: dict, **params: dict) -> dict:
    """Document optional query parameters of an operation."""
    op["parameters"] = [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in params.items()
    ]
    return op


def _obj(required: list[str] | None = None, **props) -> dict:
    schema = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def _list_of(key: str, schema: dict) -> dict:
    return _obj([key], **{key: {"type": "array", "items": schema}})


STR = {"type": "string"}
INT = {"type": "integer"}
NULL_INT = {"type": ["integer", "null"]}
NULL_STR = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
ID_PARAM = {"in": "path", "required": True, "schema": INT}
INT_LIST = {"type": "array", "items": INT}
CYCLE_STATUS = {"enum": ["planned", "active", "closed"]}
ACCEPT_OR_DECLINE = {"enum": ["accept", "decline"]}

SCHEMAS = {
    "Error": _obj(
        ["error"],
        error=_obj(["code", "message"], code=STR, message=STR, fields={"type": "object"}),
    ),
    "UserRef": _obj(["id", "name", "role"], id=INT, name=STR, role=STR),
    "Me": _obj(
        ["id", "email", "name", "role"],
        id=INT,
        email=STR,
        name=STR,
        role=STR,
        school=_obj(id=INT, name=STR),
    ),
    "Pairing": _obj(
        ["id", "coach", "teacher", "status", "active"],
        id=INT,
        coach=_ref("UserRef"),
        teacher=_ref("UserRef"),
        # Only an active pairing grants the coach anything; only the teacher makes it active.
        status={"enum": ["pending", "active", "declined", "ended"]},
        active=BOOL,
        started_at=STR,
        accepted_at=NULL_STR,
        ended_at=NULL_STR,
    ),
    "Move": _obj(
        ["id", "name", "code", "colour"],
        id=INT,
        framework_id=INT,
        name=STR,
        code=STR,
        colour=STR,
        description=STR,
        group=STR,
        position=INT,
        archived=BOOL,
        quick_key={"type": "integer", "minimum": 1, "maximum": 9},
    ),
    "Framework": _obj(
        ["id", "name", "moves"],
        id=INT,
        name=STR,
        description=STR,
        is_default=BOOL,
        moves={"type": "array", "items": _ref("Move")},
    ),
    "Goal": _obj(
        ["id", "statement"],
        id=INT,
        cycle_id=INT,
        statement=STR,
        move_ids={"type": "array", "items": INT},
    ),
    "Cycle": _obj(
        ["id", "title", "status"],
        id=INT,
        title=STR,
        status=STR,
        starts_on=NULL_STR,
        ends_on=NULL_STR,
        teacher=_ref("UserRef"),
        coach={"oneOf": [_ref("UserRef"), {"type": "null"}]},  # null once the coach is deleted
        framework_id=INT,
        goals={"type": "array", "items": _ref("Goal")},
    ),
    "Playback": _obj(
        ["hls", "mp4", "poster", "thumbnails_vtt", "peaks"],
        hls=NULL_STR,
        mp4=NULL_STR,
        poster=NULL_STR,
        thumbnails_vtt=NULL_STR,
        peaks=NULL_STR,
    ),
    "Video": _obj(
        ["id", "title", "status", "progress", "playback"],
        id=INT,
        title=STR,
        status={"enum": ["uploading", "queued", "processing", "ready", "failed"]},
        progress=INT,
        error=NULL_STR,
        duration_ms=NULL_INT,
        width=NULL_INT,
        height=NULL_INT,
        has_video={"type": ["boolean", "null"]},
        has_audio={"type": ["boolean", "null"]},
        owner=_ref("UserRef"),
        cycle_id=NULL_INT,
        filename=STR,
        size_bytes=INT,
        renditions={"type": "array", "items": {"type": "object"}},
        created_at=STR,
        playback=_ref("Playback"),
        consent=_obj(
            ["confirmed_at", "policy_version"], confirmed_at=NULL_STR, policy_version=NULL_INT
        ),
    ),
    "UploadPlan": _obj(
        ["upload_id", "part_size", "expires_in", "parts"],
        upload_id=STR,
        part_size=INT,
        expires_in=INT,  # seconds each part URL stays valid
        parts={  # each URL admits a body of exactly `size` bytes
            "type": "array",
            "items": _obj(["part_number", "size", "url"], part_number=INT, size=INT, url=STR),
        },
        uploaded={
            "type": "array",
            "items": _obj(["part_number", "etag"], part_number=INT, etag=STR, size=INT),
        },
    ),
    "Annotation": _obj(
        ["id", "video_id", "author", "start_ms", "body", "kind"],
        id=INT,
        video_id=INT,
        author=_ref("UserRef"),
        start_ms=INT,
        end_ms=NULL_INT,
        body=STR,
        kind={"enum": ["comment", "strength", "question", "next_step"]},
        move_id=NULL_INT,
        goal_id=NULL_INT,
        parent_id=NULL_INT,
        private=BOOL,
        resolved=BOOL,
        edited=BOOL,
        deleted=BOOL,
        created_at=STR,
        updated_at=STR,
    ),
    # What a deleted note leaves in ?since= answers: its text and tags are erased.
    "AnnotationTombstone": _obj(
        ["id", "deleted", "updated_at"], id=INT, deleted={"const": True}, updated_at=STR
    ),
    "Accepted": _obj(["id", "status"], id=INT, status=STR, error=NULL_STR),
}

VIDEO_ID = [{"name": "video_id", **ID_PARAM}]

ANNOTATION_BODY = _obj(
    start_ms=INT,
    end_ms=NULL_INT,
    body=STR,
    kind=STR,
    move_id=NULL_INT,
    goal_id=NULL_INT,
    parent_id=NULL_INT,
    private=BOOL,
    resolved=BOOL,
)

PATHS: dict[str, dict] = {
    "/api/v1/videos/{video_id}/annotations": {
        "parameters": VIDEO_ID,
        "get": _not_modified(
            _with_query(
                _op(
                    "Annotations and replies in time order (?since= for changes, deleted "
                    "notes as tombstones); ?limit= and ?cursor= page through them (next_cursor "
                    "is null on the last page); without them the whole timeline comes at once "
                    "with an ETag, and If-None-Match answers 304 when nothing changed",
                    response=_obj(
                        ["annotations", "next_cursor"],
                        server_time=STR,
                        next_cursor=NULL_STR,
                        annotations={
                            "type": "array",
                            "items": {"anyOf": [_ref("Annotation"), _ref("AnnotationTombstone")]},
                        },
                    ),
                    errors=(401, 404, 422),
                ),
                since=STR,
                cursor=STR,
                limit={"type": "integer", "minimum": 1, "maximum": 1000},
            )
        ),
        "post": _op(
            "Mark a moment or range, or reply (parent_id); 429 when the video holds "
            "MAX_NOTES_PER_VIDEO notes or I added NOTES_PER_MINUTE in the last minute",
            ok=201,
            body=ANNOTATION_BODY,
            response=_ref("Annotation"),
            errors=(401, 403, 404, 413, 422, 429),
        ),
    },
    "/api/v1/videos/{video_id}/annotations.vtt": {
        "parameters": VIDEO_ID,
        "get": _op(
            "WebVTT metadata track, one cue per annotation (JSON payload)",
            content="text/vtt",
            response={"type": "string"},
            errors=(401, 404),
        ),
    },
    "/api/v1/videos/{video_id}/annotations.csv": {
        "parameters": VIDEO_ID,
        "get": _with_query(
            _op(
                "CSV, one row per annotation; my private notes only with ?private=1",
                content="text/csv",
                response={"type": "string"},
                errors=(401, 404),
            ),
            private={"enum": ["0", "1"]},
        ),
    },
    "/api/v1/videos/{video_id}/annotations/read": {
        "parameters": VIDEO_ID,
        "post": _op(
            "I have read this video's notes up to now (clears its unread count)",
            ok=204,
            errors=(401, 404),
        ),
    },
    "/api/v1/videos/{video_id}/captions": {
        "parameters": VIDEO_ID,
        "put": _op(
            "Attach captions or a transcript: WebVTT or SRT as the raw body (?filename=) "
            "or a multipart field named file; at most 2 MB",
            ok=201,
            body={"type": "string"},
            request_content="text/vtt",
            response=_obj(["cues", "url"], cues=INT, url=STR),
            errors=(401, 403, 404, 413, 422),
        ),
        "delete": _op("Remove the captions", ok=204, errors=(401, 403, 404)),
    },
    "/api/v1/annotations/{annotation_id}": {
        "parameters": [{"name": "annotation_id", **ID_PARAM}],
        "patch": _op(
            "Edit my note (while I may comment on the video), or resolve / reopen a thread",
            body=ANNOTATION_BODY,
            response=_ref("Annotation"),
            errors=(401, 403, 404, 422),
        ),
        "delete": _op("Delete my note and its replies", ok=204, errors=(401, 403, 404)),
    },
    "/api/v1/videos": {
        "get": _op("Videos visible to me", response=_list_of("videos", _ref("Video"))),
        "post": _op(
            "Create a video and its presigned multipart upload; consent: true confirms the "
            "school's consent policy (400 consent_required when the school requires it)",
            ok=201,
            body=_obj(
                ["title", "filename", "size_bytes"],
                title=STR,
                filename=STR,
                size_bytes=INT,
                content_type=STR,
                cycle_id=NULL_INT,
                consent=BOOL,
            ),
            response={"allOf": [_ref("Video"), _obj(["upload"], upload=_ref("UploadPlan"))]},
            errors=(400, 401, 422),
        ),
    },
    "/api/v1/videos/{video_id}": {
        "parameters": VIDEO_ID,
        "get": _op("One video", response=_ref("Video"), errors=(401, 404)),
        "patch": _op(
            "Rename a video or file it under a cycle",
            body=_obj(title=STR, cycle_id=NULL_INT),
            response=_ref("Video"),
            errors=(401, 403, 404, 422),
        ),
        "delete": _op("Delete the video and every stored object", ok=204, errors=(401, 403, 404)),
    },
    "/api/v1/videos/{video_id}/upload": {
        "parameters": VIDEO_ID,
        "get": _op(
            "Fresh part URLs and the parts already stored (resume)",
            response=_ref("UploadPlan"),
            errors=(401, 403, 404, 409),
        ),
    },
    "/api/v1/videos/{video_id}/upload/complete": {
        "parameters": VIDEO_ID,
        "post": _op(
            "Assemble the parts and queue processing",
            ok=202,
            body=_obj(
                ["parts"],
                parts={
                    "type": "array",
                    "items": _obj(["part_number", "etag"], part_number=INT, etag=STR),
                },
            ),
            response=_ref("Accepted"),
            errors=(401, 403, 404, 409, 422),
        ),
    },
    "/api/v1/videos/{video_id}/source": {
        "parameters": VIDEO_ID,
        "put": _op(
            "Stream the raw recording (for scripts)",
            ok=202,
            body={"type": "string", "format": "binary"},
            request_content="application/octet-stream",
            response=_ref("Accepted"),
            errors=(401, 403, 404, 409, 422),
        ),
    },
    "/api/v1/videos/{video_id}/retry": {
        "parameters": VIDEO_ID,
        "post": _op(
            "Process a failed video again",
            ok=202,
            response=_ref("Video"),
            errors=(401, 403, 404, 409),
        ),
    },
    "/api/v1/openapi.json": {
        "get": _op("This document", public=True, errors=(), response={"type": "object"}),
    },
    "/api/v1/tokens": {
        "get": _op(
            "My API tokens, never their secrets",
            response=_list_of(
                "tokens",
                _obj(
                    ["id", "name", "created_at", "last_used_at"],
                    id=INT,
                    name=STR,
                    created_at=STR,
                    last_used_at=NULL_STR,
                ),
            ),
        ),
        "post": _op(
            "Exchange email and password for a bearer token (429 with Retry-After when "
            "this address has failed too often for this account, or for any)",
            ok=201,
            public=True,
            body=_obj(["email", "password"], email=STR, password=STR, name=STR),
            response=_obj(["token"], token=STR),
            errors=(401, 413, 422, 429),
        ),
    },
    "/api/v1/tokens/{token_id}": {
        "parameters": [{"name": "token_id", **ID_PARAM}],
        "delete": _op("Revoke one of my tokens", ok=204, errors=(401, 404)),
    },
    "/api/v1/me": {"get": _op("The authenticated user", response=_ref("Me"))},
    "/api/v1/pairings": {
        "get": _op("Pairings visible to me", response=_list_of("pairings", _ref("Pairing"))),
        "post": _op(
            "Ask a teacher to accept a coach: an admin names any coach (default: themselves),"
            " a coach asks for themselves and a teacher of their school. The pairing is"
            " pending until the teacher accepts it.",
            ok=201,
            body=_obj(["teacher_id"], coach_id=INT, teacher_id=INT),
            response=_ref("Pairing"),
            errors=(401, 403, 404, 409, 422),
        ),
    },
    "/api/v1/pairings/{pairing_id}/{answer}": {
        "parameters": [
            {"name": "pairing_id", **ID_PARAM},
            {"name": "answer", "in": "path", "required": True, "schema": ACCEPT_OR_DECLINE},
        ],
        "post": _op(
            "The teacher accepts or declines a pending pairing",
            response=_ref("Pairing"),
            errors=(401, 403, 404, 409),
        ),
    },
    "/api/v1/pairings/{pairing_id}/end": {
        "parameters": [{"name": "pairing_id", **ID_PARAM}],
        "post": _op(
            "End an active pairing or withdraw a pending one (its teacher, coach or an admin)",
            response=_ref("Pairing"),
            errors=(401, 404),
        ),
    },
    "/api/v1/frameworks": {
        "get": _op(
            "Frameworks with their moves", response=_list_of("frameworks", _ref("Framework"))
        ),
        "post": _op(
            "Create a framework (admin)",
            ok=201,
            body=_obj(["name"], name=STR, description=STR),
            response=_ref("Framework"),
            errors=(401, 403, 409, 422),
        ),
    },
    "/api/v1/frameworks/{framework_id}/moves": {
        "parameters": [{"name": "framework_id", **ID_PARAM}],
        "get": _op(
            "Moves of a framework", response=_list_of("moves", _ref("Move")), errors=(401, 404)
        ),
        "post": _op(
            "Add a move (admin)",
            ok=201,
            body=_obj(
                ["name", "code", "colour"],
                name=STR,
                code=STR,
                colour=STR,
                description=STR,
                group=STR,
            ),
            response=_ref("Move"),
            errors=(401, 403, 404, 409, 422),
        ),
    },
    "/api/v1/cycles": {
        "get": _op("Cycles I take part in", response=_list_of("cycles", _ref("Cycle"))),
        "post": _op(
            "Open a cycle with a teacher I coach",
            ok=201,
            body=_obj(
                ["title"],
                teacher_id=INT,
                coach_id=INT,
                framework_id=INT,
                title=STR,
                starts_on=NULL_STR,
                ends_on=NULL_STR,
                status=CYCLE_STATUS,
                goals={
                    "type": "array",
                    "maxItems": 3,
                    "items": {
                        "oneOf": [STR, _obj(["statement"], statement=STR, move_ids=INT_LIST)]
                    },
                },
            ),
            response=_ref("Cycle"),
            errors=(401, 404, 422),
        ),
    },
    "/api/v1/cycles/{cycle_id}": {
        "parameters": [{"name": "cycle_id", **ID_PARAM}],
        "get": _op("One cycle with its goals", response=_ref("Cycle"), errors=(401, 404)),
        "patch": _op(
            "Change a cycle's title, dates or status (planned → active → closed, or reopen)",
            body=_obj(title=STR, starts_on=NULL_STR, ends_on=NULL_STR, status=CYCLE_STATUS),
            response=_ref("Cycle"),
            errors=(401, 403, 404, 422),
        ),
    },
    "/api/v1/goals/{goal_id}": {
        "parameters": [{"name": "goal_id", **ID_PARAM}],
        "patch": _op(
            "Reword a goal or replace its linked moves",
            body=_obj(statement=STR, move_ids=INT_LIST),
            response=_ref("Goal"),
            errors=(401, 403, 404, 422),
        ),
    },
    "/api/v1/moves/{move_id}": {
        "parameters": [{"name": "move_id", **ID_PARAM}],
        "patch": _op(
            "Edit, reorder, archive or restore a move (admin; moves are never deleted)",
            body=_obj(
                name=STR,
                code=STR,
                colour=STR,
                description=STR,
                group=STR,
                position=INT,
                archived=BOOL,
            ),
            response=_ref("Move"),
            errors=(401, 403, 404, 409, 422),
        ),
    },
    "/api/v1/cycles/{cycle_id}/goals": {
        "parameters": [{"name": "cycle_id", **ID_PARAM}],
        "get": _op("Goals of a cycle", response=_list_of("goals", _ref("Goal")), errors=(401, 404)),
        "post": _op(
            "Add a goal to a cycle",
            ok=201,
            body=_obj(["statement"], statement=STR, move_ids={"type": "array", "items": INT}),
            response=_ref("Goal"),
            errors=(401, 403, 404, 422),
        ),
    },
}


def register_paths(paths: dict[str, dict], schemas: dict[str, dict] | None = None) -> None:
    """Let a feature package add its routes to the document."""
    PATHS.update(paths)
    SCHEMAS.update(schemas or {})


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Debrief API",
            "version": "1",
            "description": "Video observation and feedback for instructional coaching. "
            "Authenticate with `Authorization: Bearer <token>` from POST /api/v1/tokens. "
            "A browser session may be used instead; its writes then need the page's CSRF "
            "token in an `X-CSRFToken` header (400 `csrf_failed` without it). Repeated failed "
            "sign-ins answer 429 with Retry-After. JSON and form bodies over 1 MB answer 413 "
            "`too_large` (PUT …/source takes up to MAX_UPLOAD_BYTES, captions 2 MB).",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": SCHEMAS,
        },
        "paths": PATHS,
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(document())
