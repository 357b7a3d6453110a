"""The `debrief` command: a Flask CLI group with the app's own commands."""

import os
import signal
import subprocess
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from webapp import db
from webapp.errors import DebriefError


def _create_app() -> Flask:
    from webapp import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Debrief: video observation and feedback for instructional coaching."""


def register(app: Flask) -> None:
    for command in (db_group, users_group, pair, demo, services, up, reconcile):
        app.cli.add_command(command)


def _fail(err: DebriefError):
    details = "".join(f"\n  {name}: {text}" for name, text in err.fields.items())
    raise click.ClickException(f"{err.message}{details}")


@click.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply migrations up to the newest; safe to run again."""
    db.upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database schema is up to date.")


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="teacher, coach or admin")
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--school", default="Demo School", show_default=True)
@with_appcontext
def users_create(email: str, name: str, role: str, password: str, school: str) -> None:
    """Create an account."""
    from webapp.auth import services as accounts
    from webapp.sharing import audit

    try:
        user = accounts.create_user(
            email=email,
            name=name,
            role=role,
            password=password,
            school=accounts.get_or_create_school(school),
        )
        audit.record(None, "admin.person.created", subject=user, role=user.role, via="cli")
        db.session().commit()
    except DebriefError as err:
        db.session().rollback()
        _fail(err)
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("pair")
@click.argument("coach_email")
@click.argument("teacher_email")
@click.option(
    "--accepted",
    is_flag=True,
    help="The teacher has already agreed (e.g. in writing): make the pairing active at once.",
)
@with_appcontext
def pair(coach_email: str, teacher_email: str, accepted: bool) -> None:
    """Ask for a pairing of a coach with a teacher; it is pending until the teacher accepts."""
    from webapp.auth import services as accounts
    from webapp.coaching import pairings

    coach, teacher = accounts.find_user(coach_email), accounts.find_user(teacher_email)
    for email, user in ((coach_email, coach), (teacher_email, teacher)):
        if user is None:
            raise click.ClickException(f"No account with the email {email}.")
    try:
        pairing = pairings.pair(coach, teacher, via="cli")
        if accepted:
            pairings.respond(pairing, teacher, accept=True, by_operator=True)
        db.session().commit()
    except DebriefError as err:
        db.session().rollback()
        _fail(err)
    if accepted:
        click.echo(f"{coach.name} now coaches {teacher.name}.")
    else:
        click.echo(
            f"Asked {teacher.name} to accept {coach.name} as their coach "
            "(on their home page); nothing is shared until they do."
        )


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo school, people, framework and cycle (idempotent)."""
    from webapp import demo as demo_data

    for line in demo_data.load():
        click.echo(line)


@click.command("services")
@with_appcontext
def services() -> None:
    """Start embedded Redis and S3 if none is configured, and keep them running."""
    from webapp import devservices
    from webapp.config import INSTANCE_DIR

    started = devservices.start_missing(current_app.config, INSTANCE_DIR)
    if not started:
        click.echo("Redis and S3 are configured or already running; nothing to start.")
        return
    for service in started:
        click.echo(f"{service.name} at {service.address} (log: {service.log_path})")
    _wait_then_stop(started, [])


@click.command("reconcile")
@with_appcontext
def reconcile() -> None:
    """Re-enqueue videos and analyses the database says are pending but no queue holds."""
    from webapp.maintenance import reconcile as reconcile_pending

    requeued = reconcile_pending()
    click.echo(f"Re-enqueued {len(requeued)} video(s)" + (f": {requeued}" if requeued else "."))


@click.command("up")
@click.option("--port", default=lambda: int(os.environ.get("PORT", 5000)), show_default="5000")
@with_appcontext
def up(port: int) -> None:
    """Start services, migrate, load demo data, then serve the app with a worker."""
    from webapp import demo as demo_data
    from webapp import devservices
    from webapp.config import INSTANCE_DIR

    started = devservices.start_missing(current_app.config, INSTANCE_DIR)
    for service in started:
        click.echo(f"Started {service.name} at {service.address}")
    try:
        db.upgrade(current_app.config["DATABASE_URL"])
        for line in demo_data.load():
            click.echo(line)
        debrief = [sys.executable, "-m", "webapp.cli"]
        children = [
            subprocess.Popen([*debrief, "worker"], start_new_session=True),
            subprocess.Popen(
                [*debrief, "run", "--host", "127.0.0.1", "--port", str(port), "--with-threads"],
                start_new_session=True,
            ),
        ]
    except BaseException:
        for service in started:
            service.stop()
        raise
    click.echo(
        f"\nDebrief is running at http://127.0.0.1:{port}\n"
        "Sign in as demo.teacher@example.org, demo.coach@example.org or "
        "demo.admin@example.org with the password `coachingdemo`.\nPress Ctrl-C to stop.\n"
    )
    _wait_then_stop(started, children)


def _wait_then_stop(services: list, children: list[subprocess.Popen]) -> None:
    """Block until Ctrl-C (or a child dies), then stop everything this command started."""
    stop = False

    def _request_stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _request_stop)
    try:
        while not stop and all(c.poll() is None for c in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    click.echo("Stopping…")
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    for child in children:
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
    for service in services:
        service.stop()


if __name__ == "__main__":
    main()
