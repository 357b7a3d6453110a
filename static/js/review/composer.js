// Composing a note: N opens the composer at the current moment, [ and ] mark a range first, a
// move's quick key opens it with that move chosen. Playback pauses while the note is written and
// resumes after it is saved or cancelled. A suggested moment opens it pre-filled, and saving
// then accepts the suggestion instead of creating a note.

import { api } from "../lib/http.js";
import { formatTime } from "../lib/time.js";
import { span } from "../notes-view.js";

/** A [ press without its ] still makes a range when it began at least this long ago. */
const MIN_RANGE_MS = 500;

/** What a new note covers at `ms`: the marked range, [ up to now, or the moment now. */
export function draftSpan(range, ms) {
  if (range.in === null) return { start_ms: ms, end_ms: null };
  const end = range.out ?? (ms > range.in + MIN_RANGE_MS ? ms : null);
  return { start_ms: range.in, end_ms: end };
}

/** The pending range bar on the timeline as {start, end}, or null when there is none to show. */
export function pendingSpan(draft, range, ms) {
  const start = draft ? draft.start_ms : range.in;
  const end = draft ? draft.end_ms : (range.out ?? (range.in !== null ? ms : null));
  return start === null || end === null || end <= start ? null : { start, end };
}

/** Wire the composer; returns the actions the keyboard shortcuts use. */
export function setUpComposer(review, { render }) {
  const { ui, data, video, notes } = review;
  let range = { in: null, out: null };
  let draft = null; // {start_ms, end_ms, resume, save?}: the note being written

  function showPendingRange() {
    const pending = pendingSpan(draft, range, review.nowMs());
    ui.pending.hidden = !pending;
    if (!pending) return;
    const duration = data.duration_ms || 1;
    ui.pending.style.left = `${(100 * pending.start) / duration}%`;
    ui.pending.style.width = `${(100 * (pending.end - pending.start)) / duration}%`;
  }

  function say(message) {
    if (ui.rangeStatus) ui.rangeStatus.textContent = message;
  }

  function markIn() {
    range = { in: review.nowMs(), out: null };
    say(`Range starts at ${formatTime(range.in / 1000)}. Press ] where it ends.`);
    showPendingRange();
  }

  function markOut() {
    if (range.in === null) return say("Press [ first, where the range starts.");
    if (review.nowMs() <= range.in) return say("The end of a range must come after its start.");
    range.out = review.nowMs();
    say(
      `Range ${span({ start_ms: range.in, end_ms: range.out })}. Press N or a number key to note it.`,
    );
    showPendingRange();
  }

  /**
   * Open the composer at the moment (or marked range), with `move` chosen; `preset` opens it
   * pre-filled instead: {start_ms, end_ms, body, move_id, goal_id, save(fields) -> note,
   * returnFocus} (where focus goes back when it is cancelled).
   */
  function openComposer(move = null, preset = null) {
    if (!ui.composer) return;
    if (preset) {
      const writing = draft && ui.body.value.trim();
      if (writing && !window.confirm("Put away the note you are writing?")) return;
      if (draft) closeComposer(false);
      const { start_ms, end_ms = null, save, returnFocus } = preset;
      draft = { start_ms, end_ms, save, returnFocus, resume: !video.paused };
      video.pause();
      fillComposer(preset);
    } else if (!draft) {
      draft = { ...draftSpan(range, review.nowMs()), resume: !video.paused };
      video.pause();
    }
    const at =
      draft.end_ms == null ? `At ${formatTime(draft.start_ms / 1000)}` : `From ${span(draft)}`;
    ui.composerTime.textContent = draft.save ? `Suggested moment · ${at}` : at;
    ui.rangeClear.hidden = draft.end_ms == null || Boolean(draft.save); // a suggestion's span stays
    if (move) ui.move.value = String(move.id);
    ui.composer.hidden = false;
    ui.open.hidden = true;
    ui.error.hidden = true;
    showPendingRange();
    ui.body.focus();
  }

  /** A suggestion's words, move and goal; its kind is the server's (the kind field hides). */
  function fillComposer(preset) {
    ui.body.value = preset.body ?? "";
    ui.move.value = preset.move_id == null ? "" : String(preset.move_id);
    if (ui.goal) ui.goal.value = preset.goal_id == null ? "" : String(preset.goal_id);
    ui.kind.closest(".field").hidden = true;
  }

  function closeComposer(saved) {
    const resume = draft?.resume;
    const back = !saved && draft?.returnFocus?.isConnected ? draft.returnFocus : ui.open;
    draft = null;
    range = { in: null, out: null };
    ui.composer.hidden = true;
    ui.open.hidden = false;
    ui.composer.reset();
    ui.kind.closest(".field").hidden = false;
    say("");
    showPendingRange();
    back.focus({ preventScroll: true });
    if (resume) video.play().catch(() => {});
    if (saved) review.say("Note saved.");
  }

  async function save() {
    const fields = {
      body: ui.body.value,
      move_id: ui.move.value ? Number(ui.move.value) : null,
      goal_id: ui.goal?.value ? Number(ui.goal.value) : null,
      private: ui.private.checked,
    };
    try {
      const saved = draft.save
        ? await draft.save(fields)
        : await api("POST", data.urls.annotations, {
            start_ms: draft.start_ms,
            end_ms: draft.end_ms,
            kind: ui.kind.value,
            ...fields,
          });
      notes.set(saved.id, saved);
      render();
      closeComposer(true);
    } catch (err) {
      ui.error.textContent = err.message;
      ui.error.hidden = false;
    }
  }

  // While a range is being marked, its bar grows with playback.
  video.addEventListener("timeupdate", () => {
    if (range.in !== null && range.out === null && !draft) showPendingRange();
  });
  if (ui.composer) {
    ui.open.addEventListener("click", () => openComposer());
    ui.cancel.addEventListener("click", () => closeComposer(false));
    ui.rangeClear.addEventListener("click", () => {
      draft.end_ms = null;
      openComposer();
    });
    ui.body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        ui.composer.requestSubmit();
      }
    });
    ui.composer.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeComposer(false);
    });
    ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      save();
    });
  }
  return { openComposer, markIn, markOut };
}
