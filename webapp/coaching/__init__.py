"""Pairings, frameworks of instructional moves, coaching cycles and goals."""
