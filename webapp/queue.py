"""The rq queue the web process enqueues to, always after the database commit.

Jobs are JSON, never pickles: rq would unpickle whatever it finds in Redis, so anyone able to
write to Redis could run code on a worker. Jobs carry only ids, which JSON holds fine. Every
Queue, Worker and Job.fetch names SERIALIZER.
"""

from flask import current_app
from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

SERIALIZER = JSONSerializer


def connection() -> Redis:
    app = current_app
    if "redis" not in app.extensions:
        app.extensions["redis"] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=5, health_check_interval=30
        )
    return app.extensions["redis"]


def get_queue() -> Queue:
    return Queue(current_app.config["QUEUE_NAME"], connection=connection(), serializer=SERIALIZER)
