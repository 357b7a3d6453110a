// The transcript beside the player: the owner's captions as a list that follows playback, with
// search, click-to-seek, and the upload/remove controls for the caption file. The captions are
// the player's own <track>, so the browser parses the WebVTT once for both.

import { request } from "./lib/http.js";
import { formatTime } from "./lib/time.js";
import { cueText, trackCues } from "./lib/vtt.js";

/** Where `query` first occurs in `text` ignoring case, as [before, match, after], or null. */
export function splitMatch(text, query) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return null;
  return [text.slice(0, at), text.slice(at, at + query.length), text.slice(at + query.length)];
}

function cueItem(cue, video) {
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
  play.addEventListener("click", () => {
    video.currentTime = cue.start;
  });
  item.append(play);
  return item;
}

/** The list, its search box and its following of playback. */
function showTranscript(video, list, cues) {
  const search = document.getElementById("transcript-search");
  const count = document.getElementById("transcript-count");
  const items = cues.map((cue) => cueItem(cue, video));
  list.replaceChildren(...items);

  search.addEventListener("input", () => {
    const query = search.value.trim();
    let shown = 0;
    cues.forEach((cue, i) => {
      const words = items[i].querySelector(".cue-text");
      const parts = splitMatch(cue.text, query);
      items[i].hidden = Boolean(query) && !parts;
      if (parts) {
        const mark = document.createElement("mark");
        mark.textContent = parts[1];
        words.replaceChildren(parts[0], mark, parts[2]);
      } else {
        words.textContent = cue.text;
      }
      if (!items[i].hidden) shown += 1;
    });
    count.textContent = query ? `${shown} of ${cues.length} lines match “${query}”.` : "";
  });

  let current = -1;
  video.addEventListener("timeupdate", () => {
    const t = video.currentTime;
    const index = cues.findIndex((cue) => t >= cue.start && t < cue.end);
    if (index === current) return;
    items[current]?.classList.remove("current");
    current = index;
    const item = items[index];
    if (!item) return;
    item.classList.add("current");
    const scrolls = list.scrollHeight > list.clientHeight;
    if (!search.value && scrolls && !list.contains(document.activeElement)) {
      list.scrollTop = Math.max(0, item.offsetTop - list.offsetTop - list.clientHeight / 3);
    }
  });
}

/** Upload (PUT) or remove (DELETE) the caption file, then reload to show the result. */
function setUpCaptionFile(urls) {
  const fileInput = document.getElementById("captions-file");
  const removeButton = document.getElementById("captions-remove");
  const error = document.getElementById("captions-error");
  async function send(method, body, filename = "") {
    const url = `${urls.captions}?filename=${encodeURIComponent(filename)}`;
    try {
      await request(method, url, { body, as: "none" });
      location.reload();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  }
  fileInput?.addEventListener("change", () => {
    const file = fileInput.files[0];
    if (file) send("PUT", file, file.name);
  });
  removeButton?.addEventListener("click", () => {
    if (window.confirm("Remove the captions and transcript from this video?")) send("DELETE");
  });
}

/** Start the transcript card of the review page (data: the page's review JSON). */
export function bootTranscript(video, data) {
  if (data?.urls?.captions) setUpCaptionFile(data.urls);
  const list = document.getElementById("transcript");
  const track = document.getElementById("captions-track");
  if (!list || !video || !track) return;
  trackCues(track).then((loaded) => {
    if (!loaded) {
      document.getElementById("transcript-count").textContent =
        "The transcript could not be loaded; reload to try again.";
      return;
    }
    const cues = loaded.map((cue) => ({
      start: cue.startTime,
      end: cue.endTime,
      text: cueText(cue),
    }));
    showTranscript(video, list, cues);
  });
}
