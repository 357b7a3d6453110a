"""`debrief worker`: registered by the worker package (entry point "flask.commands"), so the
web app never imports the worker."""

import click
from flask import current_app
from flask.cli import with_appcontext

from worker.runner import run_worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an rq worker on the app's queues: processing first, then lesson analysis."""
    run_worker(current_app._get_current_object(), burst=burst)
