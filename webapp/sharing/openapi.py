"""The sharing and audit routes in /api/v1/openapi.json (registered by the API blueprint)."""

from webapp.api_docs import BOOL, ID_PARAM, INT, NULL_STR, STR, _obj, _op, _ref

_PERSON = _obj(["name", "role"], id={"type": ["integer", "null"]}, name=STR, role=STR)

SCHEMAS = {
    "Share": _obj(
        ["id", "video_id", "user", "permission", "expires_at", "active"],
        id=INT,
        video_id=INT,
        user=_ref("UserRef"),
        email=STR,
        permission={"enum": ["view", "comment"]},
        expires_at=NULL_STR,
        created_at=STR,
        revoked_at=NULL_STR,
        active=BOOL,
    ),
    "AuditEvent": _obj(
        ["id", "action", "created_at", "actor"],
        id=INT,
        action=STR,
        created_at=STR,
        actor={"oneOf": [_PERSON, {"type": "null"}]},
        subject={"oneOf": [_PERSON, {"type": "null"}]},
        video_id={"type": ["integer", "null"]},
        detail={"type": "object"},
    ),
}

_VIDEO = [{"name": "video_id", **ID_PARAM}]

PATHS = {
    "/api/v1/videos/{video_id}/shares": {
        "parameters": _VIDEO,
        "get": _op(
            "Everyone the video is or was shared with (owner only)",
            response=_obj(["shares"], shares={"type": "array", "items": _ref("Share")}),
            errors=(401, 403, 404),
        ),
        "post": _op(
            "Share with a person by email, to view or comment, optionally until expires_at "
            "(a date means through that day, UTC); sharing again replaces the terms",
            ok=201,
            body=_obj(
                ["email"],
                email=STR,
                permission={"enum": ["view", "comment"]},
                expires_at=NULL_STR,
            ),
            response=_ref("Share"),
            errors=(401, 403, 404, 422),
        ),
    },
    "/api/v1/videos/{video_id}/shares/{share_id}": {
        "parameters": [*_VIDEO, {"name": "share_id", **ID_PARAM}],
        "delete": _op(
            "Revoke a share; it stops working from the next request (owner only)",
            ok=204,
            errors=(401, 403, 404),
        ),
    },
    "/api/v1/videos/{video_id}/audit": {
        "parameters": _VIDEO,
        "get": _op(
            "Who viewed, shared and revoked the video, and when (owner only; ?page=)",
            response=_obj(
                ["events", "next_page"],
                events={"type": "array", "items": _ref("AuditEvent")},
                next_page={"type": ["integer", "null"]},
            ),
            errors=(401, 403, 404),
        ),
    },
}
