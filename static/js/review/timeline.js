// The notes timeline under the player: a click on a marker plays its note, anywhere else seeks
// there; hovering shows the storyboard tile with the note, or the time, under the pointer.

import { formatTime } from "../lib/time.js";
import { span } from "../notes-view.js";
import { loadThumbnails, showThumbnail } from "../player/previews.js";

/** The moment under the pointer at `clientX` on the timeline's box. */
export function msAtPointer(clientX, rect, durationMs) {
  return ((clientX - rect.left) / rect.width) * durationMs;
}

/** The tooltip's words: a note's time, move (or kind) and opening words; else the time. */
export function tipText(note, ms, lookups) {
  if (!note) return formatTime(ms / 1000);
  const label = lookups.moves.get(note.move_id)?.name ?? lookups.kinds.get(note.kind);
  return `${span(note)} · ${label}: ${note.body.slice(0, 140)}`;
}

/** Wire the timeline's clicks and hover tooltip. */
export function setUpTimeline(review) {
  const { ui, data, notes, lookups } = review;
  const noteOf = (marker) => (marker ? notes.get(Number(marker.dataset.id)) : undefined);
  loadThumbnails();
  ui.timeline.addEventListener("click", (event) => {
    const marker = event.target.closest(".marker");
    if (marker) {
      const note = noteOf(marker);
      if (note) review.seekMs(note.start_ms);
      return;
    }
    const rect = ui.timeline.getBoundingClientRect();
    if (rect.width) review.seekMs(msAtPointer(event.clientX, rect, data.duration_ms));
  });
  ui.timeline.addEventListener("pointermove", (event) => {
    const rect = ui.timeline.getBoundingClientRect();
    const note = noteOf(event.target.closest(".marker"));
    const ms = note ? note.start_ms : msAtPointer(event.clientX, rect, data.duration_ms);
    showThumbnail(ui.tipThumb, ms / 1000);
    ui.tipText.textContent = tipText(note, ms, lookups);
    ui.tip.hidden = false;
    const width = ui.tip.offsetWidth;
    const left = Math.max(0, Math.min(event.clientX - rect.left - width / 2, rect.width - width));
    ui.tip.style.left = `${left}px`;
  });
  ui.timeline.addEventListener("pointerleave", () => {
    ui.tip.hidden = true;
  });
}
