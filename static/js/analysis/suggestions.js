// The suggested moments panel: moments the analysis found worth talking about. Its time seeks
// there; Accept opens the note composer pre-filled (saving accepts the suggestion, and the note
// it makes joins the list); Dismiss puts it away (remembered for the video).

import { applyColours } from "../lib/colours.js";
import { api } from "../lib/http.js";
import { span } from "../notes-view.js";
import {
  emptySuggestions,
  kindLabel,
  openCount,
  replaceSuggestion,
  suggestionUrl,
  visibleSuggestions,
} from "./moments.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function action(label, name, about, className = "button") {
  const node = el("button", className, label);
  node.type = "button";
  node.dataset.action = name;
  node.setAttribute("aria-label", `${label} the suggestion at ${about}`);
  return node;
}

function suggestionItem(s, { lookups, canAnnotate }) {
  const item = el("li", `suggestion suggestion-${s.state}`);
  item.dataset.id = s.id;
  const head = el("div", "suggestion-head");
  const time = el("button", "link-button note-time", span(s));
  time.type = "button";
  time.dataset.action = "seek";
  time.setAttribute("aria-label", `Play from ${span(s)}`);
  head.append(time, el("span", "kind", kindLabel(s.kind)));
  const move = lookups.moves.get(s.move_id);
  if (move) {
    const chip = el("span", "move-chip", `${move.code} · ${move.name}`);
    chip.dataset.colour = move.colour;
    head.append(chip);
  }
  if (s.state === "dismissed") head.append(el("span", "badge", "Dismissed"));
  item.append(head, el("p", "suggestion-text", s.text));
  const goal = lookups.goals.get(s.goal_id);
  if (goal) item.append(el("p", "note-meta", `Goal: ${goal.statement}`));
  if (canAnnotate && s.state === "open") {
    const bar = el("div", "actions suggestion-actions");
    bar.append(
      action("Accept", "accept", span(s), "button primary"),
      action("Dismiss", "dismiss", span(s)),
    );
    item.append(bar);
  }
  applyColours(item);
  return item;
}

/** Wire the panel; returns {reload()}, which shows it. */
export function setUpSuggestions(review, ui, { openComposer }) {
  const { data, lookups } = review;
  let items = [];

  function draw() {
    const shown = visibleSuggestions(items, ui.showDismissed.checked);
    const context = { lookups, canAnnotate: data.can_annotate };
    ui.list.replaceChildren(...shown.map((s) => suggestionItem(s, context)));
    ui.count.textContent = items.length ? `(${openCount(items)})` : "";
    ui.empty.hidden = shown.length > 0;
    ui.empty.textContent = emptySuggestions(items, ui.showDismissed.checked);
    ui.toggle.hidden = !items.some((s) => s.state === "dismissed");
  }

  async function reload() {
    try {
      items = (await api("GET", data.urls.suggestions)).suggestions;
      ui.panel.hidden = false;
      draw();
    } catch (err) {
      ui.panel.hidden = false;
      ui.empty.hidden = false;
      ui.empty.textContent = `The suggested moments could not be loaded: ${err.message}`;
    }
  }

  /** Focus what follows a suggestion that leaves the list, so the keyboard is not lost. */
  function focusAfter(id) {
    const next = ui.list.querySelector(`[data-id="${id}"]`)?.nextElementSibling?.dataset.id;
    draw();
    const target = next && ui.list.querySelector(`[data-id="${next}"] [data-action="accept"]`);
    (target || ui.heading).focus();
  }

  function accept(s, control) {
    review.seekMs(s.start_ms);
    openComposer(null, {
      start_ms: s.start_ms,
      end_ms: s.end_ms,
      body: s.text,
      move_id: s.move_id,
      goal_id: s.goal_id,
      returnFocus: control,
      save: async (fields) => {
        const note = await api("POST", suggestionUrl(data.urls.accept, s.id), fields);
        items = replaceSuggestion(items, { id: s.id, state: "accepted", annotation_id: note.id });
        draw();
        return note;
      },
    });
  }

  async function dismiss(s) {
    try {
      const updated = await api("POST", suggestionUrl(data.urls.dismiss, s.id));
      items = replaceSuggestion(items, updated ?? { id: s.id, state: "dismissed" });
      focusAfter(s.id);
      review.say("Suggestion dismissed.");
    } catch (err) {
      review.say(err.message);
      window.alert(err.message);
    }
  }

  ui.list.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control) return;
    const s = items.find((x) => x.id === Number(control.closest("[data-id]").dataset.id));
    if (!s) return;
    if (control.dataset.action === "seek") review.seekMs(s.start_ms);
    else if (control.dataset.action === "accept") accept(s, control);
    else if (control.dataset.action === "dismiss") dismiss(s);
  });
  ui.showDismissed.addEventListener("change", draw);

  return { reload };
}
