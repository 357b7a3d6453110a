"""Debrief: video observation and feedback for instructional coaching."""

from pathlib import Path

from flask import Flask

from webapp import config, db, errors, http, transaction

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints. No migrations or I/O at import time."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.request_class = http.Request  # bodies bounded per view (MAX_CONTENT_LENGTH)
    settings = config.load_settings(test_config)
    config.validate(settings)
    app.config.from_mapping(settings)
    app.url_map.converters["int"] = http.BoundedIntConverter  # before any route is added

    db.init_app(app)
    transaction.init_app(app, app.extensions["db_sessionmaker"])
    from webapp.auth import login

    login.init_app(app)
    errors.register(app)
    _register_blueprints(app)
    from webapp.annotations import timeline_cache

    timeline_cache.init_app(app)

    from webapp import cli, security

    security.init_app(app)
    cli.register(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from webapp.admin.pages import bp as admin_pages
    from webapp.analysis.api import api as analysis_api
    from webapp.annotations.api import api as annotations_api
    from webapp.annotations.pages import bp as annotations_pages
    from webapp.auth.api import api as auth_api
    from webapp.auth.pages import bp as auth_pages
    from webapp.coaching.api import api as coaching_api
    from webapp.coaching.pages import bp as coaching_pages
    from webapp.home import bp as home
    from webapp.library.search_views import api as search_api
    from webapp.library.search_views import bp as search_pages
    from webapp.openapi import bp as api_docs
    from webapp.program.api import api as program_api
    from webapp.program.pages import bp as program_pages
    from webapp.sharing.api import api as sharing_api
    from webapp.sharing.pages import bp as sharing_pages
    from webapp.suggestions.api import api as suggestions_api
    from webapp.video.api import api as video_api
    from webapp.video.pages import bp as video_pages

    for blueprint in (
        home,
        auth_pages,
        auth_api,
        coaching_pages,
        coaching_api,
        admin_pages,
        api_docs,
        video_pages,
        video_api,
        annotations_api,
        annotations_pages,
        analysis_api,
        sharing_pages,
        sharing_api,
        suggestions_api,
        program_pages,
        program_api,
        search_pages,
        search_api,
    ):
        app.register_blueprint(blueprint)
