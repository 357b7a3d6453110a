// The lesson figures panel: the analysis's state (asked again every few seconds while it waits
// or runs), its figures once done, the analyser's caveats, and "Run the analysis again" (owner
// and accepted coaches) and "Delete analysis" (owner only) for those the page shows them to.

import { api } from "../lib/http.js";
import { figureRows, isInProgress, POLL_MS, provenance, rerunLabel, stateText } from "./figures.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function figureItem(row) {
  const item = el("div", `figure figure-${row.key}`);
  const value = el("dd");
  value.append(el("span", "figure-value", row.value));
  if (row.detail) value.append(" ", el("span", "figure-detail", row.detail));
  item.append(el("dt", null, row.label), value);
  return item;
}

/** Wire the panel; returns {load()}. Every analysis it gets goes to `onAnalysis`. */
export function setUpFigures(review, ui, { onAnalysis }) {
  const url = review.data.urls.analysis;
  let timer = null;

  function draw(analysis) {
    const done = analysis.status === "done" && analysis.metrics;
    ui.panel.dataset.status = analysis.status;
    ui.state.textContent = stateText(analysis);
    ui.state.hidden = !ui.state.textContent;
    ui.state.classList.toggle("field-error", analysis.status === "failed");
    ui.progress.hidden = !isInProgress(analysis);
    ui.progress.value = analysis.progress ?? 0;
    ui.figures.replaceChildren(...(done ? figureRows(analysis.metrics).map(figureItem) : []));
    ui.figures.hidden = !done;
    ui.caveat.hidden = !done;
    ui.notes.replaceChildren(...(analysis.notes ?? []).map((note) => el("li", null, note)));
    ui.notes.hidden = !ui.notes.children.length;
    ui.provenance.textContent = provenance(analysis);
    if (ui.rerun) {
      ui.rerun.textContent = rerunLabel(analysis);
      ui.rerun.hidden = isInProgress(analysis);
    }
    // There is something to delete once an analysis was made (or tried).
    if (ui.remove) ui.remove.hidden = !analysis.updated_at || isInProgress(analysis);
  }

  function show(analysis) {
    draw(analysis);
    onAnalysis(analysis);
    clearTimeout(timer);
    if (isInProgress(analysis)) timer = setTimeout(load, POLL_MS);
  }

  async function load() {
    try {
      show(await api("GET", url));
    } catch (err) {
      ui.state.hidden = false;
      ui.state.textContent = `The lesson figures could not be loaded: ${err.message}`;
      timer = setTimeout(load, POLL_MS * 3); // offline for a moment: try again later
    }
  }

  function fail(err) {
    ui.error.textContent = err.message;
    ui.error.hidden = false;
  }

  ui.rerun?.addEventListener("click", async () => {
    ui.error.hidden = true;
    try {
      show(await api("POST", url));
      review.say("The analysis will run again.");
    } catch (err) {
      if (err.status === 403) ui.rerun.remove(); // the page offered what the server refuses
      fail(err);
    }
  });
  ui.remove?.addEventListener("click", async () => {
    const question =
      "Delete this lesson's analysis: its figures, turns, questions and automatic transcript? This cannot be undone.";
    if (!window.confirm(question)) return;
    ui.error.hidden = true;
    try {
      await api("DELETE", url);
      review.say("The analysis was deleted.");
      await load();
    } catch (err) {
      fail(err);
    }
  });

  return { load, show };
}
