"""The request layer owns the transaction: one commit per successful request, else a rollback.

Views, services and models only flush. After a request answers below 400 the session commits
once; a 4xx/5xx answer or an exception rolls it back (indico's request handler). Side effects
that must only happen when the data really committed (enqueueing a job, deleting stored
objects, bumping a cache) are registered with `after_commit` and run once COMMIT succeeded, or
are dropped with a rollback (warehouse's after-commit tasks). CLI commands and jobs commit
where their unit of work ends; the same `after_commit` actions follow their commits.
"""

import logging
from collections.abc import Callable
from functools import wraps

from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from webapp.db import session as current_session
from webapp.errors import DebriefError

log = logging.getLogger(__name__)
PENDING = "after_commit"


def after_commit(action: Callable[[], object], *, session: Session | None = None) -> None:
    """Run `action` once the current transaction has committed; never if it rolls back."""
    session = session or current_session()
    if not session.in_transaction():
        session.connection()  # begin one now, so that its rollback too drops the action
    session.info.setdefault(PENDING, []).append(action)


def init_app(app: Flask, maker: sessionmaker) -> None:
    event.listen(maker, "after_commit", _run_pending)
    event.listen(maker, "after_transaction_end", _drop_pending)
    app.after_request(_finish)  # registered first, so it runs after every other hook
    app.teardown_request(_abandon)


# Refusals of the person rather than of their input (who they are, what they may see, how
# often they may try): never turned into a form's answer.
ACCESS_STATUSES = (401, 403, 404, 429)


def on_error(respond: Callable[..., object]):
    """For form views: refused input rolls the request's work back, then `respond` answers.

    `respond(err, **view_args)` says what was wrong (a flash, the form again), so the page
    answers instead of an error page. Refusals of the person (ACCESS_STATUSES) pass through.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except DebriefError as err:
                if err.status in ACCESS_STATUSES:
                    raise
                current_session().rollback()
                return respond(err, **kwargs)

        return wrapped

    return decorator


def _finish(response):
    """Commit what a successful request did; roll back what a refused one did."""
    session: Session | None = g.get("db_session")
    if session is not None:
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
    return response


def _abandon(exc) -> None:
    """An exception never commits: drop whatever the request had flushed."""
    session: Session | None = g.get("db_session")
    if exc is not None and session is not None:
        session.rollback()


def _run_pending(session: Session) -> None:
    """The data is committed: each action now runs once; one failing does not stop the rest.

    A failure is logged, not raised: the commit stands, and what an action would have done is
    caught up by the reconciler (jobs) or the sweeper (stored objects).
    """
    for action in session.info.pop(PENDING, []):
        try:
            action()
        except Exception:
            log.exception("after-commit action %r failed", action)


def _drop_pending(session: Session, transaction) -> None:
    """A transaction ended without committing (rolled back or closed): its actions never run."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)
