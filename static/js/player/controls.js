// Our own controls under the video: play/pause, ±10 s, the seek bar, time, speed, captions and
// full screen. Returns the actions the keyboard shortcuts and the waveform reuse.

import { formatTime } from "../lib/time.js";

/** Wire the controls in `els` to `video`; returns {togglePlay, seekTo, seekBy, …}. */
export function setUpControls(player, video, els) {
  // While the preview grows, the bar spans the whole lesson; only what is ready can be seen.
  const lesson = Number(player.dataset.duration) || 0;
  const previewing = () => player.dataset.preview === "true";
  const duration = () => {
    const known = Number.isFinite(video.duration) ? video.duration : 0;
    return previewing() ? Math.max(lesson, known) : known;
  };
  let dragging = false;

  function render() {
    const end = duration();
    const now = formatTime(video.currentTime);
    els.time.textContent = `${now} / ${formatTime(end)}`;
    if (!dragging && end) els.scrub.value = String(Math.round((video.currentTime / end) * 1000));
    els.scrub.setAttribute("aria-valuetext", `${now} of ${formatTime(end)}`);
  }

  function renderPlayState() {
    const playing = !video.paused && !video.ended;
    els.play.textContent = playing ? "Pause" : "Play";
    els.play.setAttribute("aria-label", playing ? "Pause (space or K)" : "Play (space or K)");
    player.classList.toggle("playing", playing);
  }

  function seekTo(seconds) {
    const end = duration();
    video.currentTime = Math.max(0, readyUpTo(end ? Math.min(seconds, end) : seconds));
    render();
  }

  /** The time to seek to: `seconds`, or while previewing the end of what is ready so far. */
  function readyUpTo(seconds) {
    if (!previewing()) return seconds;
    const ready = video.seekable.length ? video.seekable.end(video.seekable.length - 1) : 0;
    const beyond = seconds > ready - 1;
    if (els.previewLimit) {
      els.previewLimit.hidden = !beyond;
      els.previewLimit.textContent = beyond
        ? `Only the first ${formatTime(ready)} is ready so far; the rest is still being prepared.`
        : "";
    }
    return beyond ? Math.max(0, ready - 1) : seconds;
  }
  const seekBy = (delta) => seekTo(video.currentTime + delta);

  function togglePlay() {
    if (video.paused || video.ended) {
      video.play()?.catch(() => {
        /* interrupted by a pause or a source change */
      });
    } else {
      video.pause();
    }
  }

  els.play.addEventListener("click", togglePlay);
  els.back.addEventListener("click", () => seekBy(-10));
  els.forward.addEventListener("click", () => seekBy(10));
  video.addEventListener("click", togglePlay);
  for (const type of ["play", "pause", "ended"]) video.addEventListener(type, renderPlayState);
  for (const type of ["timeupdate", "durationchange", "loadedmetadata", "seeked"]) {
    video.addEventListener(type, render);
  }
  els.scrub.addEventListener("input", () => {
    dragging = true;
    if (duration()) video.currentTime = readyUpTo((Number(els.scrub.value) / 1000) * duration());
  });
  els.scrub.addEventListener("change", () => {
    dragging = false;
    render();
  });
  for (const type of ["pointerup", "blur"]) {
    els.scrub.addEventListener(type, () => {
      dragging = false;
    });
  }
  setUpSpeed(video, els.speed);
  const toggleFullscreen = setUpFullscreen(player, video, els.fullscreen);
  const toggleCaptions = setUpCaptions(els.captions, els.captionsTrack);

  render();
  renderPlayState();
  return { duration, seekTo, seekBy, togglePlay, toggleFullscreen, toggleCaptions };
}

function setUpSpeed(video, select) {
  select.addEventListener("change", () => {
    video.playbackRate = Number(select.value) || 1;
  });
  video.addEventListener("ratechange", () => {
    const option = [...select.options].find((o) => Number(o.value) === video.playbackRate);
    if (option) select.value = option.value;
  });
}

function setUpFullscreen(player, video, button) {
  function toggle() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (player.requestFullscreen) {
      player.requestFullscreen().catch(() => {});
    } else if (video.webkitEnterFullscreen) {
      video.webkitEnterFullscreen(); // iPhone Safari: only the video element goes full screen
    }
  }
  button.addEventListener("click", toggle);
  document.addEventListener("fullscreenchange", () => {
    const full = document.fullscreenElement === player;
    // Our controls sit outside the player: show the native ones while full screen.
    video.controls = full;
    button.textContent = full ? "Exit full screen" : "Full screen";
  });
  return toggle;
}

/** Captions (when the owner added some): loaded for the transcript, shown on demand. */
function setUpCaptions(button, trackElement) {
  const track = trackElement?.track;
  if (track) track.mode = "hidden";
  function toggle() {
    if (!button || !track) return;
    const on = track.mode !== "showing";
    track.mode = on ? "showing" : "hidden";
    button.setAttribute("aria-pressed", String(on));
  }
  button?.addEventListener("click", toggle);
  return toggle;
}
