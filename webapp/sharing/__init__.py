"""Sharing, audit, deletion, retention and consent: the teacher's control over a recording."""
