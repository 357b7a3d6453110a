// The review page: notes on one timeline for coach and teacher. Loads the notes, polls for what
// others add, draws the list and the timeline markers, follows playback, filters, and offers fast
// keyboard coding: N notes the current moment, [ and ] mark a range, 1–9 tag a move.

import { api } from "./lib/http.js";
import { isTyping, shortcutKey } from "./lib/keys.js";
import { formatTime } from "./lib/time.js";
import { drawMarkers, inlineForm, span, threadItem } from "./notes-view.js";
import { loadThumbnails, showThumbnail } from "./player/previews.js";

// Set by bootReview(): the page's review JSON, the <video>, its elements and lookups.
let data;
let video;
let ui;
let lookups;
let quickMoves;
const notes = new Map();
let since = null;

/** Start the review page's notes (the player is booted separately). */
export function bootReview(videoElement, reviewData) {
  data = reviewData;
  video = videoElement;
  ui = findElements();
  lookups = {
    moves: new Map(data.moves.map((m) => [m.id, m])),
    goals: new Map(data.goals.map((g) => [g.id, g])),
    kinds: new Map(data.kinds.map((k) => [k.value, k.label])),
  };
  quickMoves = new Map(data.moves.filter((m) => m.quick_key).map((m) => [String(m.quick_key), m]));
  wireFilters();
  wirePlayback();
  wireTimeline();
  wireList();
  wireComposer();
  wireKeys();
  wireDeepLinks();
  load().catch((err) => {
    ui.empty.hidden = false;
    ui.empty.textContent = `The notes could not be loaded: ${err.message}`;
  });
  setInterval(poll, data.poll_ms);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
}

function findElements() {
  const $ = (id) => document.getElementById(id);
  return {
    list: $("notes"),
    empty: $("notes-empty"),
    count: $("notes-count"),
    live: $("notes-live"),
    timeline: $("timeline"),
    playhead: $("timeline-playhead"),
    pending: $("timeline-pending"),
    tip: $("timeline-tip"),
    tipThumb: $("timeline-thumb"),
    tipText: $("timeline-tip-text"),
    open: $("note-open"),
    composer: $("composer"),
    composerTime: $("composer-time"),
    body: $("composer-body"),
    move: $("composer-move"),
    kind: $("composer-kind"),
    goal: $("composer-goal"),
    private: $("composer-private"),
    error: $("composer-error"),
    cancel: $("composer-cancel"),
    rangeClear: $("composer-range-clear"),
    rangeStatus: $("range-status"),
    prev: $("note-prev"),
    next: $("note-next"),
    follow: $("follow"),
    filters: {
      move: $("filter-move"),
      goal: $("filter-goal"),
      kind: $("filter-kind"),
      author: $("filter-author"),
      unresolved: $("filter-unresolved"),
    },
    filterClear: $("filter-clear"),
    filterSummary: $("filter-summary"),
  };
}

// Requests -------------------------------------------------------------------------------------
const noteUrl = (id) => data.urls.annotation.replace(/0$/, String(id));

/** Merge notes from the server; returns how many notes by other people are new or changed. */
function merge(items) {
  let fromOthers = 0;
  for (const item of items) {
    const known = notes.get(item.id);
    if (known && known.updated_at === item.updated_at) continue;
    if (item.deleted) {
      // a tombstone: only its id and time are left
      notes.delete(item.id);
      continue;
    }
    notes.set(item.id, item);
    if (item.author.id !== data.me.id && !known) fromOthers += 1;
  }
  return fromOthers;
}

async function load() {
  const page = await api("GET", data.urls.annotations);
  since = page.server_time;
  merge(page.annotations);
  render();
  markRead();
}

async function poll() {
  if (document.hidden || since === null) return;
  // Ask with some overlap, so a note saved while the last poll ran is never missed.
  const from = new Date(Date.parse(since) - 10_000).toISOString().replace(/Z$/, "");
  try {
    const page = await api("GET", `${data.urls.annotations}?since=${encodeURIComponent(from)}`);
    const changedBefore = notes.size;
    since = page.server_time;
    const fresh = merge(page.annotations);
    if (fresh || notes.size !== changedBefore || page.annotations.length) render();
    if (fresh) {
      ui.live.textContent = `${fresh} new ${fresh === 1 ? "note" : "notes"} from others.`;
      markRead();
    }
  } catch {
    /* offline for a moment: the next poll catches up */
  }
}

function markRead() {
  api("POST", data.urls.read).catch(() => {});
}

// Filters and list -------------------------------------------------------------------------------
function threads() {
  return [...notes.values()]
    .filter((n) => n.parent_id == null)
    .sort((a, b) => a.start_ms - b.start_ms || a.id - b.id);
}

function repliesByThread() {
  const replies = new Map();
  for (const note of notes.values()) {
    if (note.parent_id == null) continue;
    if (!replies.has(note.parent_id)) replies.set(note.parent_id, []);
    replies.get(note.parent_id).push(note);
  }
  for (const list of replies.values()) list.sort((a, b) => a.id - b.id);
  return replies;
}

function activeFilters() {
  const f = ui.filters;
  return {
    move: f.move.value ? Number(f.move.value) : null,
    goal: f.goal?.value ? Number(f.goal.value) : null,
    kind: f.kind.value || null,
    author: f.author.value ? Number(f.author.value) : null,
    unresolved: f.unresolved.checked,
  };
}

function visibleThreads() {
  const f = activeFilters();
  return threads().filter(
    (n) =>
      (f.move === null || n.move_id === f.move) &&
      (f.goal === null || n.goal_id === f.goal) &&
      (f.kind === null || n.kind === f.kind) &&
      (f.author === null || n.author.id === f.author) &&
      (!f.unresolved || !n.resolved),
  );
}

function refreshAuthorFilter() {
  const select = ui.filters.author;
  const chosen = select.value;
  const authors = new Map(threads().map((n) => [n.author.id, n.author.name]));
  select.replaceChildren(
    new Option("Anyone", ""),
    ...[...authors]
      .sort((a, b) => a[1].localeCompare(b[1]))
      .map(([id, name]) => new Option(name, id)),
  );
  select.value = authors.has(Number(chosen)) ? chosen : "";
}

let shown = [];
let openForm = null; // a reply or edit form being typed in: redraw after it closes
let redrawLater = false;
function render() {
  if (openForm?.form.isConnected) {
    redrawLater = true;
    return;
  }
  redrawLater = false;
  refreshAuthorFilter();
  shown = visibleThreads();
  const replies = repliesByThread();
  const context = { me: data.me, canAnnotate: data.can_annotate, lookups };
  ui.list.replaceChildren(...shown.map((n) => threadItem(n, replies.get(n.id) ?? [], context)));
  drawMarkers(ui.timeline, shown, data.duration_ms, lookups.moves);
  const total = threads().length;
  ui.count.textContent = shown.length === total ? `(${total})` : `(${shown.length} of ${total})`;
  ui.empty.hidden = shown.length > 0;
  ui.empty.textContent = total
    ? "No notes match these filters."
    : data.can_annotate
      ? "No notes yet. Press N, or “Add a note here”, at a moment worth talking about."
      : "No notes yet.";
  const active = Object.values(activeFilters()).filter((v) => v !== null && v !== false).length;
  ui.filterSummary.textContent = active ? `(${active} active)` : "";
  current = null;
  follow();
}

function wireFilters() {
  for (const control of Object.values(ui.filters)) control?.addEventListener("change", render);
  ui.filterClear.addEventListener("click", () => {
    for (const control of Object.values(ui.filters)) {
      if (!control) continue;
      if (control.type === "checkbox") control.checked = false;
      else control.value = "";
    }
    render();
  });
}

// Playback: seek, follow, previous/next --------------------------------------------------------
const nowMs = () => Math.round(video.currentTime * 1000);

function seekMs(ms) {
  video.currentTime = ms / 1000;
}

let current = null;
function follow() {
  const t = nowMs();
  const duration = data.duration_ms || 1;
  ui.playhead.style.left = `${(100 * t) / duration}%`;
  let found = null;
  for (const note of shown) {
    if (note.start_ms > t) break;
    const end = note.end_ms ?? note.start_ms + 5000;
    if (t <= end) found = note;
  }
  if (found?.id === current) return;
  ui.list.querySelector(".note.current")?.classList.remove("current");
  ui.list.querySelector('[aria-current="true"]')?.removeAttribute("aria-current");
  current = found?.id ?? null;
  if (!found) return;
  const item = document.getElementById(`note-${found.id}`);
  if (!item) return;
  item.classList.add("current");
  item.setAttribute("aria-current", "true");
  if (ui.follow.checked && !ui.list.contains(document.activeElement)) scrollIntoList(item);
}

/** Scroll the list box (not the page) so the item shows; on phones the list is not a box. */
function scrollIntoList(item) {
  const box = ui.list;
  if (box.scrollHeight <= box.clientHeight) return;
  const top = item.offsetTop - box.offsetTop;
  if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, top - 8);
  }
}

function jump(direction) {
  const t = nowMs();
  const target =
    direction > 0
      ? shown.find((n) => n.start_ms > t + 250)
      : [...shown].reverse().find((n) => n.start_ms < t - 1000);
  if (!target) {
    ui.live.textContent = direction > 0 ? "No later note." : "No earlier note.";
    return;
  }
  seekMs(target.start_ms);
  ui.live.textContent = `${span(target)}: ${target.body.slice(0, 120)}`;
}
function wirePlayback() {
  for (const type of ["timeupdate", "seeked"]) video.addEventListener(type, follow);
  ui.prev.addEventListener("click", () => jump(-1));
  ui.next.addEventListener("click", () => jump(1));
  video.addEventListener("timeupdate", () => {
    if (range.in !== null && range.out === null && !draft) showPendingRange();
  });
}

// Timeline hover and click -----------------------------------------------------------------------
function wireTimeline() {
  loadThumbnails();
  ui.timeline.addEventListener("click", (event) => {
    const marker = event.target.closest(".marker");
    if (marker) {
      const note = notes.get(Number(marker.dataset.id));
      if (note) seekMs(note.start_ms);
      return;
    }
    const rect = ui.timeline.getBoundingClientRect();
    if (rect.width) seekMs(((event.clientX - rect.left) / rect.width) * data.duration_ms);
  });
  ui.timeline.addEventListener("pointermove", (event) => {
    const rect = ui.timeline.getBoundingClientRect();
    const marker = event.target.closest(".marker");
    const note = marker && notes.get(Number(marker.dataset.id));
    const ms = note ? note.start_ms : ((event.clientX - rect.left) / rect.width) * data.duration_ms;
    showThumbnail(ui.tipThumb, ms / 1000);
    ui.tipText.textContent = note
      ? `${span(note)} · ${lookups.moves.get(note.move_id)?.name ?? lookups.kinds.get(note.kind)}: ${note.body.slice(0, 140)}`
      : formatTime(ms / 1000);
    ui.tip.hidden = false;
    const width = ui.tip.offsetWidth;
    const left = Math.max(0, Math.min(event.clientX - rect.left - width / 2, rect.width - width));
    ui.tip.style.left = `${left}px`;
  });
  ui.timeline.addEventListener("pointerleave", () => {
    ui.tip.hidden = true;
  });
}

// Acting on a note: seek, reply, resolve, edit, delete -----------------------------------------
function wireList() {
  ui.list.addEventListener("click", async (event) => {
    const control = event.target.closest("[data-action]");
    if (!control) return;
    const id = Number(control.closest("[data-id]").dataset.id);
    const note = notes.get(id);
    if (!note) return;
    const action = control.dataset.action;
    if (action === "seek") seekMs(note.start_ms);
    else if (action === "reply")
      showForm(control, "Your reply", "", "Send reply", (body) =>
        api("POST", data.urls.annotations, { parent_id: id, body }),
      );
    else if (action === "edit")
      showForm(control, "Edit the note", note.body, "Save", (body) =>
        api("PATCH", noteUrl(id), { body }),
      );
    else if (action === "resolve")
      act(() => api("PATCH", noteUrl(id), { resolved: !note.resolved }));
    else if (action === "delete" && window.confirm("Delete this note? Its replies go too.")) {
      act(async () => {
        await api("DELETE", noteUrl(id));
        for (const other of [...notes.values()]) {
          if (other.id === id || other.parent_id === id) notes.delete(other.id);
        }
      });
    } else if (action === "cancel-form") {
      closeForm();
    }
  });
}

async function act(request) {
  try {
    const saved = await request();
    if (saved) notes.set(saved.id, saved);
    closeForm();
    render();
  } catch (err) {
    ui.live.textContent = err.message;
    window.alert(err.message);
  }
}

function closeForm() {
  openForm?.form.remove();
  openForm = null;
  if (redrawLater) render();
}

function showForm(control, label, value, submitLabel, send) {
  closeForm();
  const item = control.closest("[data-id]");
  const form = inlineForm(label, value, submitLabel);
  item.append(form);
  openForm = { form };
  const text = form.querySelector("textarea");
  text.focus();
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      closeForm();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".field-error");
    try {
      const saved = await send(text.value);
      notes.set(saved.id, saved);
      closeForm();
      render();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
}

// Composing: N, [ ], number keys -----------------------------------------------------------------
let range = { in: null, out: null };
let draft = null; // {start_ms, end_ms, resume}

function showPendingRange() {
  const duration = data.duration_ms || 1;
  const start = draft ? draft.start_ms : range.in;
  const end = draft ? draft.end_ms : (range.out ?? (range.in !== null ? nowMs() : null));
  ui.pending.hidden = start === null || end === null || end <= start;
  if (ui.pending.hidden) return;
  ui.pending.style.left = `${(100 * start) / duration}%`;
  ui.pending.style.width = `${(100 * (end - start)) / duration}%`;
}

function markIn() {
  range = { in: nowMs(), out: null };
  say(`Range starts at ${formatTime(range.in / 1000)}. Press ] where it ends.`);
  showPendingRange();
}

function markOut() {
  if (range.in === null) return say("Press [ first, where the range starts.");
  if (nowMs() <= range.in) return say("The end of a range must come after its start.");
  range.out = nowMs();
  say(
    `Range ${span({ start_ms: range.in, end_ms: range.out })}. Press N or a number key to note it.`,
  );
  showPendingRange();
}

function say(message) {
  if (ui.rangeStatus) ui.rangeStatus.textContent = message;
}

function openComposer(move = null) {
  if (!ui.composer) return;
  if (!draft) {
    const t = nowMs();
    const end = range.out ?? (range.in !== null && t > range.in + 500 ? t : null);
    draft = {
      start_ms: range.in ?? t,
      end_ms: range.in !== null ? end : null,
      resume: !video.paused,
    };
    video.pause();
  }
  ui.composerTime.textContent =
    draft.end_ms == null ? `At ${formatTime(draft.start_ms / 1000)}` : `From ${span(draft)}`;
  ui.rangeClear.hidden = draft.end_ms == null;
  if (move) ui.move.value = String(move.id);
  ui.composer.hidden = false;
  ui.open.hidden = true;
  ui.error.hidden = true;
  showPendingRange();
  ui.body.focus();
}

function closeComposer(saved) {
  const resume = draft?.resume;
  draft = null;
  range = { in: null, out: null };
  ui.composer.hidden = true;
  ui.open.hidden = false;
  ui.composer.reset();
  say("");
  showPendingRange();
  ui.open.focus({ preventScroll: true });
  if (resume) video.play().catch(() => {});
  if (saved) ui.live.textContent = "Note saved.";
}

function wireComposer() {
  if (!ui.composer) return;
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
  ui.composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await api("POST", data.urls.annotations, {
        start_ms: draft.start_ms,
        end_ms: draft.end_ms,
        body: ui.body.value,
        kind: ui.kind.value,
        move_id: ui.move.value ? Number(ui.move.value) : null,
        goal_id: ui.goal?.value ? Number(ui.goal.value) : null,
        private: ui.private.checked,
      });
      notes.set(saved.id, saved);
      render();
      closeComposer(true);
    } catch (err) {
      ui.error.textContent = err.message;
      ui.error.hidden = false;
    }
  });
}

function wireKeys() {
  document.addEventListener("keydown", (event) => {
    if (isTyping(event)) return;
    const key = shortcutKey(event);
    const actions = { ",": () => jump(-1), ".": () => jump(1) };
    if (data.can_annotate) {
      Object.assign(actions, { n: () => openComposer(), "[": markIn, "]": markOut });
      const move = quickMoves.get(key);
      if (move) actions[key] = () => openComposer(move);
    }
    const action = actions[key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}

// Deep links: /videos/<id>#t=<ms> starts at that moment -------------------------------------------
function seekToHash() {
  const match = /^#t=(\d+)$/.exec(location.hash);
  if (!match) return;
  const go = () => seekMs(Number(match[1]));
  if (video.readyState >= 1) go();
  else video.addEventListener("loadedmetadata", go, { once: true });
}
function wireDeepLinks() {
  window.addEventListener("hashchange", seekToHash);
  seekToHash();
}
