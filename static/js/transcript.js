// The transcript beside the player: the owner's captions as a list that follows playback, with
// search, click-to-seek, and the upload/remove controls for the caption file.

import { csrfToken } from "./app.js";
import { formatTime } from "./player.js";

const video = document.getElementById("video");
const list = document.getElementById("transcript");
const search = document.getElementById("transcript-search");
const count = document.getElementById("transcript-count");
const fileInput = document.getElementById("captions-file");
const removeButton = document.getElementById("captions-remove");
const error = document.getElementById("captions-error");
const review = JSON.parse(document.getElementById("review-data")?.textContent || "{}");

/** Cues of a WebVTT file as [{start, end, text}] in seconds; markup dropped, entities decoded. */
export function parseCues(text) {
  const seconds = (stamp) => stamp.trim().split(":").map(Number).reduce((t, p) => t * 60 + p, 0);
  const decode = document.createElement("textarea");
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n{2,}/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((l) => l.includes("-->"));
    if (at < 0) continue;
    const [from, to] = lines[at].split("-->");
    decode.innerHTML = lines.slice(at + 1).join(" ").replace(/<[^>]*>/g, "");
    cues.push({ start: seconds(from), end: seconds(to.trim().split(/\s+/)[0]), text: decode.value });
  }
  return cues;
}

let cues = [];
let items = [];

function renderCues() {
  items = cues.map((cue) => {
    const item = document.createElement("li");
    const play = document.createElement("button");
    play.type = "button";
    play.className = "cue";
    const time = document.createElement("span");
    time.className = "cue-time";
    time.textContent = formatTime(cue.start);
    const words = document.createElement("span");
    words.className = "cue-text";
    words.textContent = cue.text;
    play.append(time, " ", words);
    play.addEventListener("click", () => { video.currentTime = cue.start; });
    item.append(play);
    return item;
  });
  list.replaceChildren(...items);
}

/** Show only lines containing the query, with the matches marked. */
function filter() {
  const query = search.value.trim().toLowerCase();
  let shown = 0;
  cues.forEach((cue, i) => {
    const words = items[i].querySelector(".cue-text");
    const at = query ? cue.text.toLowerCase().indexOf(query) : -1;
    items[i].hidden = Boolean(query) && at < 0;
    if (at >= 0) {
      const mark = document.createElement("mark");
      mark.textContent = cue.text.slice(at, at + query.length);
      words.replaceChildren(cue.text.slice(0, at), mark, cue.text.slice(at + query.length));
    } else {
      words.textContent = cue.text;
    }
    if (!items[i].hidden) shown += 1;
  });
  count.textContent = query ? `${shown} of ${cues.length} lines match “${search.value.trim()}”.` : "";
}

let currentIndex = -1;
function follow() {
  const t = video.currentTime;
  const index = cues.findIndex((cue) => t >= cue.start && t < cue.end);
  if (index === currentIndex) return;
  items[currentIndex]?.classList.remove("current");
  currentIndex = index;
  const item = items[index];
  if (!item) return;
  item.classList.add("current");
  if (!search.value && list.scrollHeight > list.clientHeight && !list.contains(document.activeElement)) {
    list.scrollTop = Math.max(0, item.offsetTop - list.offsetTop - list.clientHeight / 3);
  }
}

if (list && video) {
  fetch(list.dataset.src, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error())))
    .then((text) => {
      cues = parseCues(text);
      renderCues();
      video.addEventListener("timeupdate", follow);
      search.addEventListener("input", filter);
    })
    .catch(() => { count.textContent = "The transcript could not be loaded; reload to try again."; });
}

async function send(method, body, filename = "") {
  const url = `${review.urls.captions}?filename=${encodeURIComponent(filename)}`;
  const response = await fetch(url, {
    method, body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
  });
  if (response.ok) {
    location.reload();
    return;
  }
  const payload = await response.json().catch(() => null);
  error.textContent = payload?.error?.message || `Upload failed (${response.status}); try again.`;
  error.hidden = false;
}

fileInput?.addEventListener("change", () => {
  const file = fileInput.files[0];
  if (file) send("PUT", file, file.name);
});
removeButton?.addEventListener("click", () => {
  if (window.confirm("Remove the captions and transcript from this video?")) send("DELETE");
});
