"""Timestamped annotations and threaded replies on a video, and their exports."""
