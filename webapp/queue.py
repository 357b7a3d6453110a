"""The rq queue the web process enqueues to, always after the database commit."""

from flask import current_app
from redis import Redis
from rq import Queue


def connection() -> Redis:
    app = current_app
    if "redis" not in app.extensions:
        app.extensions["redis"] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=5, health_check_interval=30
        )
    return app.extensions["redis"]


def get_queue() -> Queue:
    return Queue(current_app.config["QUEUE_NAME"], connection=connection())
