// Drawing the review page's notes: list items with their replies and actions, and the markers
// and range bars on the timeline. Pure DOM building; review/ owns the state and the requests.
// Every user-written text goes through textContent, never innerHTML.

import { applyColours } from "./lib/colours.js";
import { formatTime } from "./lib/time.js";

/** "1:23" for a moment, "1:23–1:40" for a range. */
export function span(note) {
  const start = formatTime(note.start_ms / 1000);
  return note.end_ms == null ? start : `${start}–${formatTime(note.end_ms / 1000)}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function button(label, action, extra = {}) {
  const node = el("button", extra.className ?? "link-button", label);
  node.type = "button";
  node.dataset.action = action;
  if (extra.ariaLabel) node.setAttribute("aria-label", extra.ariaLabel);
  return node;
}

function ago(iso) {
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

function moveChip(move) {
  const chip = el("span", "move-chip", `${move.code} · ${move.name}`);
  chip.dataset.colour = move.colour;
  return chip;
}

/** The header line of a thread: time button, move, kind and flags. */
function threadHead(note, lookups) {
  const head = el("div", "note-head");
  const time = button(span(note), "seek", { className: "link-button note-time" });
  time.setAttribute("aria-label", `Play from ${span(note)}`);
  head.append(time);
  const move = lookups.moves.get(note.move_id);
  if (move) head.append(moveChip(move));
  head.append(el("span", `kind kind-${note.kind}`, lookups.kinds.get(note.kind) ?? note.kind));
  if (note.private) head.append(el("span", "badge badge-private", "Only me"));
  if (note.resolved) head.append(el("span", "badge badge-resolved", "Resolved"));
  return head;
}

function meta(note, lookups) {
  const line = el("p", "note-meta");
  line.append(el("strong", null, note.author.name), ` · ${ago(note.created_at)}`);
  if (note.edited) line.append(" · edited");
  const goal = lookups.goals.get(note.goal_id);
  if (goal) line.append(el("span", "note-goal", ` · Goal: ${goal.statement}`));
  return line;
}

function actions(note, me, canAnnotate) {
  const bar = el("div", "note-actions");
  const thread = note.parent_id == null;
  // Screen readers list many "Reply" buttons: say which note each one acts on.
  const about = `${thread ? "note" : "reply"} at ${span(note)} by ${note.author.name}`;
  const labelled = (label, action, className) =>
    button(label, action, { className, ariaLabel: `${label} ${about}` });
  if (thread && canAnnotate) {
    bar.append(
      labelled("Reply", "reply"),
      labelled(note.resolved ? "Reopen" : "Resolve", "resolve"),
    );
  }
  if (note.author.id === me.id) {
    bar.append(labelled("Edit", "edit"), labelled("Delete", "delete", "link-button danger"));
  }
  return bar;
}

function replyItem(reply, me, lookups) {
  const item = el("li", "reply");
  item.dataset.id = reply.id;
  item.append(meta(reply, lookups), el("p", "note-body", reply.body), actions(reply, me, false));
  return item;
}

/** One thread: its note, replies, and the buttons that act on it. */
export function threadItem(note, replies, context) {
  const { me, canAnnotate, lookups } = context;
  const item = el("li", "note");
  item.dataset.id = note.id;
  item.id = `note-${note.id}`;
  const move = lookups.moves.get(note.move_id);
  if (move) item.dataset.colour = move.colour;
  if (note.resolved) item.classList.add("resolved");
  const body = el("p", "note-body", note.body);
  item.append(threadHead(note, lookups), body, meta(note, lookups), actions(note, me, canAnnotate));
  if (replies.length) {
    const list = el("ul", "replies");
    list.setAttribute(
      "aria-label",
      `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`,
    );
    for (const reply of replies) list.append(replyItem(reply, me, lookups));
    item.append(list);
  }
  applyColours(item);
  if (item.dataset.colour) item.style.setProperty("--move-colour", item.dataset.colour);
  return item;
}

/** A small form (reply or edit) that sits inside a note until sent or cancelled. */
export function inlineForm(label, value, submitLabel) {
  const form = el("form", "inline-note-form stack");
  const id = `f-${Math.random().toString(36).slice(2)}`;
  const field = el("div", "field");
  const caption = el("label", null, label);
  caption.htmlFor = id;
  const text = el("textarea");
  text.id = id;
  text.rows = 2;
  text.maxLength = 5000;
  text.required = true;
  text.value = value;
  field.append(caption, text);
  const error = el("p", "field-error");
  error.setAttribute("role", "alert");
  error.hidden = true;
  const row = el("div", "actions");
  const submit = el("button", "button primary", submitLabel);
  submit.type = "submit";
  row.append(submit, button("Cancel", "cancel-form", { className: "button" }));
  form.append(field, error, row);
  return form;
}

/** Markers (moments) and bars (ranges) on the timeline; pointer helpers, the list is the a11y path. */
export function drawMarkers(timeline, threads, durationMs, moves) {
  for (const old of timeline.querySelectorAll(".marker")) old.remove();
  if (!durationMs) return;
  const fragment = document.createDocumentFragment();
  for (const note of threads) {
    const marker = el("button", note.end_ms == null ? "marker point" : "marker range");
    marker.type = "button";
    marker.tabIndex = -1;
    marker.setAttribute("aria-hidden", "true");
    marker.dataset.id = note.id;
    marker.style.left = `${(100 * note.start_ms) / durationMs}%`;
    if (note.end_ms != null) {
      marker.style.width = `${(100 * (note.end_ms - note.start_ms)) / durationMs}%`;
    }
    const move = moves.get(note.move_id);
    if (move) marker.style.setProperty("--move-colour", move.colour);
    fragment.append(marker);
  }
  timeline.append(fragment);
}
