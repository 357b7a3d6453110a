// Storyboard previews: the tile for a moment, over the seek bar and the notes timeline. The
// storyboard is a WebVTT metadata track on the <video>, read through the browser's TextTrack.

import { formatTime } from "../lib/time.js";
import { parseTile, tileAt, trackCues } from "../lib/vtt.js";

let tiles = [];
let loading = null;

/** Load the storyboard once for the page (the seek bar and the notes timeline share it). */
export function loadThumbnails(trackElement = document.getElementById("thumbnails-track")) {
  if (loading || !trackElement?.src) return loading;
  const base = trackElement.src;
  loading = trackCues(trackElement).then((cues) => {
    tiles = (cues ?? [])
      .map((cue) => ({ start: cue.startTime, end: cue.endTime, ...parseTile(cue.text, base) }))
      .filter((tile) => tile.url);
    // Warm the cache so the first hover shows a picture, not an empty box.
    for (const src of new Set(tiles.map((t) => t.url))) new Image().src = src;
  });
  return loading;
}

/** Show the storyboard tile for a moment in `box` (hidden when there is none). */
export function showThumbnail(box, seconds) {
  const tile = tileAt(tiles, seconds);
  box.hidden = !tile;
  if (!tile) return;
  box.style.backgroundImage = `url("${tile.url.replace(/"/g, "%22")}")`;
  box.style.backgroundPosition = `-${tile.x}px -${tile.y}px`;
  box.style.width = `${tile.w}px`;
  box.style.height = `${tile.h}px`;
}

/** The tooltip over the seek bar: the tile and the time under the pointer or the thumb. */
export function setUpScrubPreview({ scrub, preview, thumb, previewTime }, duration) {
  let dragging = false;

  function show(fraction) {
    const seconds = fraction * duration();
    if (!duration()) return;
    showThumbnail(thumb, seconds);
    previewTime.textContent = formatTime(seconds);
    preview.hidden = false;
    // Keep the tooltip inside the seek bar's box.
    const track = scrub.getBoundingClientRect();
    const wrap = scrub.parentElement.getBoundingClientRect();
    const width = preview.offsetWidth;
    const left = track.left - wrap.left + fraction * track.width - width / 2;
    preview.style.left = `${Math.max(0, Math.min(left, wrap.width - width))}px`;
  }
  const hide = () => {
    preview.hidden = true;
  };

  scrub.addEventListener("input", () => {
    dragging = true;
    show(Number(scrub.value) / 1000);
  });
  for (const type of ["change", "pointerup", "blur"]) {
    scrub.addEventListener(type, () => {
      dragging = false;
      if (type !== "change") hide();
    });
  }
  scrub.addEventListener("pointermove", (event) => {
    const rect = scrub.getBoundingClientRect();
    if (rect.width) show(Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)));
  });
  scrub.addEventListener("pointerleave", () => {
    if (!dragging) hide();
  });
}
