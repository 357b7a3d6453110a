"""Sharing fixtures: a teacher with a paired coach, a peer, an admin and a stranger."""

from dataclasses import dataclass

import pytest

from tests.conftest import bearer


@dataclass
class People:
    owner: object
    coach: object
    peer: object
    admin: object
    stranger: object
    headers: dict


@pytest.fixture
def people(client, make_user, pair_users):
    users = {
        "owner": make_user("teacher", name="Olive Owner"),
        "coach": make_user("coach", name="Cora Coach"),
        "peer": make_user("teacher", name="Pete Peer"),
        "admin": make_user("admin", name="Ada Admin"),
        "stranger": make_user("teacher", name="Sam Stranger"),
    }
    pair_users(users["coach"], users["owner"])
    headers = {role: bearer(client, user.email) for role, user in users.items()}
    return People(**users, headers=headers)


def share(client, headers, video_id, email, **body):
    """POST a share through the API and return the reply."""
    return client.post(
        f"/api/v1/videos/{video_id}/shares", json={"email": email, **body}, headers=headers
    )


def audit_rows(app, **where):
    """Every audit row (as JSON), oldest first, optionally filtered by column values."""
    from sqlalchemy import select

    from webapp import db
    from webapp.sharing.models import AuditEvent
    from webapp.sharing.schemas import AuditEventOut

    with app.app_context():
        query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        events = db.session().scalars(query)
        return [AuditEventOut.model_validate(e).model_dump(mode="json") for e in events]
