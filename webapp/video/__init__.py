"""Videos: upload to object storage, processing state, renditions and playback."""
