"""The signed-in landing page for each role, and the navigation that goes with it."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from webapp.auth.models import Role
from webapp.coaching import pairings
from webapp.coaching import services as coaching
from webapp.library.listing import LibraryQuery, page_of_videos
from webapp.program import feedback
from webapp.sharing import audit
from webapp.video.listing import list_context

RECENT_VIDEOS = 5
PAIRING_HISTORY = 20

bp = Blueprint("home", __name__)

NAV = {
    Role.TEACHER: [
        ("home.index", "Home"),
        ("video_pages.list_videos", "My videos"),
        ("video_pages.upload", "Upload"),
        ("coaching_pages.list_cycles", "My cycles"),
    ],
    Role.COACH: [
        ("home.index", "Home"),
        ("video_pages.list_videos", "Teachers' videos"),
        ("coaching_pages.list_cycles", "Cycles"),
    ],
    Role.ADMIN: [
        ("home.index", "Program"),
        ("admin.people", "People"),
        ("admin.pairings", "Pairings"),
        ("admin.frameworks", "Frameworks"),
        ("video_pages.list_videos", "Shared with me"),
    ],
}


@bp.app_context_processor
def _navigation():
    def nav_items():
        if not current_user.is_authenticated:
            return []
        endpoints = current_app.view_functions
        return [(e, label) for e, label in NAV[current_user.role] if e in endpoints]

    return {"nav_items": nav_items}


@bp.get("/")
def index():
    """Send people to the home page of their role."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.overview"))
    recent = page_of_videos(current_user, LibraryQuery(), limit=RECENT_VIDEOS)
    lessons = list_context(recent.videos, current_user)
    if current_user.role == Role.TEACHER:
        return render_template(
            "home/teacher.html",
            requests=pairings.requests_to(current_user),
            coachings=[p for p in pairings.open_pairings(current_user, as_coach=False) if p.active],
            history=audit.pairing_history(current_user, limit=PAIRING_HISTORY),
            cycles=coaching.cycles_for(current_user),
            awaiting_feedback=feedback.awaiting(current_user),
            **lessons,
        )
    return render_template(
        "home/coach.html",
        coachings=pairings.open_pairings(current_user, as_coach=True),
        teachers_to_ask=[(u.id, u.name) for u in pairings.teachers_to_ask(current_user)],
        cycles=coaching.cycles_for(current_user),
        summary=feedback.coach_summary(current_user),
        questions=feedback.QUESTIONS,
        **lessons,
    )
