"""Background jobs run by rq workers: probing, transcoding, thumbnails, waveforms."""
