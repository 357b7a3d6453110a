"""Lesson analysis of a video: its row, the job's queue, its state changes and its API."""
