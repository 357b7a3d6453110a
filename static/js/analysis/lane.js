// The analysis lane under the notes timeline: talk bands (teacher above, student below, not sure
// across, silence as the gaps) and question ticks (open ones filled, closed ones hollow). Hover
// or focus shows the words; a click or Enter seeks there; a band, once chosen, can have its
// speaker corrected (speaker.js). Bands and ticks are two rows of buttons with one tab stop each:
// the arrow keys, Home and End move along a row.

import { msAtPointer } from "../review/timeline.js";
import { bandLayout, bandText, rovingIndex, tickLayout, tickText } from "./layout.js";

function button(className, label, left, width) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = className;
  node.tabIndex = -1;
  node.setAttribute("aria-label", label);
  node.style.left = `${left}%`;
  if (width != null) node.style.width = `${width}%`;
  return node;
}

/** The lesson's length: the video's, else the analysis's. */
export function laneDuration(data, analysis) {
  return data.duration_ms || Math.round((analysis.metrics?.duration_s ?? 0) * 1000);
}

/** Wire the lane; returns {draw, hide, focusBand}. `onBand(band)` follows a chosen band. */
export function setUpLane(review, ui, { onBand }) {
  let bands = [];
  let ticks = [];
  let cues = [];
  let duration = 0;

  function draw(analysis) {
    duration = laneDuration(review.data, analysis);
    const focused = document.activeElement;
    const refocus = ui.lane.contains(focused)
      ? { row: focused.parentElement, at: [...focused.parentElement.children].indexOf(focused) }
      : null;
    cues = analysis.transcript;
    bands = bandLayout(analysis.turns, duration);
    ticks = tickLayout(analysis.questions, duration);
    ui.bands.replaceChildren(
      ...bands.map((band) => {
        const node = button(
          `band band-${band.speaker}`,
          bandText(band, cues),
          band.left,
          band.width,
        );
        node.dataset.index = band.index;
        if (band.corrected) node.classList.add("corrected");
        return node;
      }),
    );
    ui.ticks.replaceChildren(
      ...ticks.map((q, at) => {
        const node = button(`tick ${q.open ? "tick-open" : "tick-closed"}`, tickText(q), q.left);
        node.dataset.at = at;
        return node;
      }),
    );
    for (const row of [ui.bands, ui.ticks]) row.hidden = row.children.length === 0;
    ui.bandsEmpty.hidden = bands.length > 0;
    rove(ui.bands, 0);
    rove(ui.ticks, 0);
    if (refocus) {
      const again = refocus.row.children[refocus.at] ?? refocus.row.lastElementChild;
      if (again) focusItem(refocus.row, [...refocus.row.children].indexOf(again));
    }
    ui.wrap.hidden = false;
    follow();
  }

  /** Make item `at` of a row its one tab stop. */
  function rove(row, at) {
    [...row.children].forEach((child, i) => {
      child.tabIndex = i === at ? 0 : -1;
    });
  }

  function focusItem(row, at) {
    rove(row, at);
    row.children[at]?.focus();
  }

  function itemOf(target) {
    const band = target.closest(".band");
    if (band) {
      const index = Number(band.dataset.index);
      return { kind: "band", node: band, band: bands.find((b) => b.index === index) };
    }
    const tick = target.closest(".tick");
    if (tick) return { kind: "tick", node: tick, question: ticks[Number(tick.dataset.at)] };
    return null;
  }

  function showTip(node) {
    ui.tipText.textContent = node.getAttribute("aria-label");
    ui.tip.hidden = false;
    const box = ui.lane.getBoundingClientRect();
    const at = node.getBoundingClientRect();
    const width = ui.tip.offsetWidth;
    const centre = at.left - box.left + at.width / 2;
    ui.tip.style.left = `${Math.max(0, Math.min(centre - width / 2, box.width - width))}px`;
  }

  function hideTip() {
    ui.tip.hidden = true;
  }

  function follow() {
    if (duration) ui.playhead.style.left = `${(100 * review.nowMs()) / duration}%`;
  }

  ui.lane.addEventListener("click", (event) => {
    const item = itemOf(event.target);
    if (!item) {
      // Between bands (a silence) seeks there, as the notes timeline does.
      const rect = ui.bands.getBoundingClientRect();
      if (rect.width) review.seekMs(msAtPointer(event.clientX, rect, duration));
      return;
    }
    const row = item.node.parentElement;
    rove(row, [...row.children].indexOf(item.node));
    if (item.kind === "tick") {
      review.seekMs(item.question.start_ms);
      review.say(tickText(item.question));
    } else if (item.band) {
      review.seekMs(item.band.start_ms);
      onBand(item.band, item.node);
    }
  });
  ui.lane.addEventListener("keydown", (event) => {
    const item = itemOf(event.target);
    if (!item) return;
    if (event.key === "Escape") return hideTip();
    const row = item.node.parentElement;
    const at = rovingIndex(event.key, [...row.children].indexOf(item.node), row.children.length);
    if (at === null) return;
    event.preventDefault(); // the arrows are the player's seek keys elsewhere on the page
    focusItem(row, at);
  });
  for (const type of ["pointerover", "focusin"]) {
    ui.lane.addEventListener(type, (event) => {
      const item = itemOf(event.target);
      if (item) showTip(item.node);
      else hideTip();
    });
  }
  ui.lane.addEventListener("pointerleave", hideTip);
  ui.lane.addEventListener("focusout", hideTip);
  for (const type of ["timeupdate", "seeked"]) review.video.addEventListener(type, follow);

  return {
    draw,
    hide() {
      ui.wrap.hidden = true;
      hideTip();
    },
    /** Focus the band of the turn at `index` (after a redraw too), making it the tab stop. */
    focusBand(index) {
      const node = ui.bands.querySelector(`[data-index="${index}"]`);
      if (node) focusItem(ui.bands, [...ui.bands.children].indexOf(node));
    },
  };
}
