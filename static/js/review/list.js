// The notes list: drawing it (with the timeline markers and the counts), and acting on a note:
// seek, reply, resolve, edit, delete. While a reply or edit form is being typed in, redraws wait
// until it closes, so polling never throws away what someone is writing.

import { api } from "../lib/http.js";
import { drawMarkers, inlineForm, threadItem } from "../notes-view.js";
import { countActive, passesFilters, readFilters, refreshAuthorFilter } from "./filters.js";
import { dropNote, noteUrl, repliesByThread, threadsOf } from "./notes.js";

/** "(12)", or "(3 of 12)" while filters hide some. */
export function countLabel(shown, total) {
  return shown === total ? `(${total})` : `(${shown} of ${total})`;
}

/** What the list says when it shows no note. */
export function emptyMessage(total, canAnnotate) {
  if (total) return "No notes match these filters.";
  return canAnnotate
    ? "No notes yet. Press N, or “Add a note here”, at a moment worth talking about."
    : "No notes yet.";
}

/** Wire the list's buttons; returns {render}, which `onRendered` follows (playback). */
export function setUpList(review, { onRendered }) {
  const { ui, data, notes, lookups } = review;
  let openForm = null; // a reply or edit form being typed in
  let redrawLater = false;

  function render() {
    if (openForm?.isConnected) {
      redrawLater = true;
      return;
    }
    redrawLater = false;
    const threads = threadsOf(notes);
    refreshAuthorFilter(ui.filters.author, threads);
    const filters = readFilters(ui.filters);
    const shown = threads.filter((n) => passesFilters(n, filters));
    review.shown = shown;
    const replies = repliesByThread(notes);
    const context = { me: data.me, canAnnotate: data.can_annotate, lookups };
    ui.list.replaceChildren(...shown.map((n) => threadItem(n, replies.get(n.id) ?? [], context)));
    drawMarkers(ui.timeline, shown, data.duration_ms, lookups.moves);
    ui.count.textContent = countLabel(shown.length, threads.length);
    ui.empty.hidden = shown.length > 0;
    ui.empty.textContent = emptyMessage(threads.length, data.can_annotate);
    const active = countActive(filters);
    ui.filterSummary.textContent = active ? `(${active} active)` : "";
    onRendered();
  }

  function closeForm() {
    openForm?.remove();
    openForm = null;
    if (redrawLater) render();
  }

  /** Send a change from a note's buttons; keep the note the server answers with. */
  async function act(request) {
    try {
      const saved = await request();
      if (saved) notes.set(saved.id, saved);
      closeForm();
      render();
    } catch (err) {
      review.say(err.message);
      window.alert(err.message);
    }
  }

  /** A reply or edit form inside the note: Enter sends, Shift+Enter breaks the line, Esc closes. */
  function showForm(control, label, value, submitLabel, send) {
    closeForm();
    const item = control.closest("[data-id]");
    const form = inlineForm(label, value, submitLabel);
    item.append(form);
    openForm = form;
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

  ui.list.addEventListener("click", async (event) => {
    const control = event.target.closest("[data-action]");
    if (!control) return;
    const id = Number(control.closest("[data-id]").dataset.id);
    const note = notes.get(id);
    if (!note) return;
    const url = noteUrl(data.urls.annotation, id);
    const action = control.dataset.action;
    if (action === "seek") review.seekMs(note.start_ms);
    else if (action === "reply")
      showForm(control, "Your reply", "", "Send reply", (body) =>
        api("POST", data.urls.annotations, { parent_id: id, body }),
      );
    else if (action === "edit")
      showForm(control, "Edit the note", note.body, "Save", (body) => api("PATCH", url, { body }));
    else if (action === "resolve") act(() => api("PATCH", url, { resolved: !note.resolved }));
    else if (action === "delete" && window.confirm("Delete this note? Its replies go too.")) {
      act(async () => {
        await api("DELETE", url);
        dropNote(notes, id);
      });
    } else if (action === "cancel-form") {
      closeForm();
    }
  });

  return { render };
}
