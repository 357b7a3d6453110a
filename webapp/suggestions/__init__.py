"""Suggested moments: notes a lesson's figures propose, for a coach or teacher to accept."""
