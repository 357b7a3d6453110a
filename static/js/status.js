// Live status of videos that are uploading or being processed, on the list and watch pages.
// Polls GET /api/v1/videos/{id} every 2 s while the tab is visible; reloads the page once when
// there is something new to show (the player, or the failure card). When the video becomes
// ready while its preview or quick copy plays, it tells the player instead ("video-ready").

import { request } from "./lib/http.js";

const POLL_MS = 2000;
const PENDING = new Set(["uploading", "queued", "processing"]);

/** A processing percentage as every badge and notice shows it: the API's `progress`, 0 to 100. */
export function percentText(progress) {
  return `${progress}%`;
}

/** Write `progress` into every percentage under `root` (a list item, or the whole watch page). */
export function showProgress(root, progress) {
  for (const holder of root.querySelectorAll('[data-role="progress"]')) {
    holder.textContent = percentText(progress);
  }
}

function progressHolder() {
  const holder = document.createElement("span");
  holder.dataset.role = "progress";
  return holder;
}

/** The badge's status, with a place for the percentage while queued or processing. */
function setBadge(badge, status) {
  if (!badge) return;
  badge.className = badge.className.replace(/\bstatus-\w+/g, "").trim() + ` status-${status}`;
  const pending = status === "queued" || status === "processing";
  const holder = badge.querySelector('[data-role="progress"]');
  const label = status + (pending ? " " : "");
  if (badge.firstChild?.nodeType === Node.TEXT_NODE) badge.firstChild.textContent = label;
  else badge.prepend(document.createTextNode(label));
  if (pending && !holder) badge.append(progressHolder());
  else if (!pending && holder) holder.remove();
}

/** One watched video: what the page shows, and how to update it. */
function watchers() {
  const found = [];
  for (const item of document.querySelectorAll(
    "ul[data-poll-status] li[data-video-id][data-status]",
  )) {
    found.push({
      id: item.dataset.videoId,
      url: `/api/v1/videos/${item.dataset.videoId}`,
      status: item.dataset.status,
      playable: true, // list items have no player to bring in
      update(video) {
        item.dataset.status = video.status;
        setBadge(item.querySelector('[data-role="status"]'), video.status);
        showProgress(item, video.progress);
      },
    });
  }
  const state = document.getElementById("video-state");
  if (state) {
    const bar = document.getElementById("processing-bar");
    const text = document.getElementById("processing-text");
    const heading = document.getElementById("processing-h");
    found.push({
      id: state.dataset.videoId,
      url: state.dataset.api,
      status: state.dataset.status,
      playable: state.dataset.playable === "true",
      hasPlayer: state.dataset.playable === "true" && Boolean(document.getElementById("player")),
      update(video) {
        state.dataset.status = video.status;
        setBadge(document.querySelector('.page-head [data-role="status"]'), video.status);
        if (video.status !== "uploading") {
          if (bar) bar.value = video.progress;
          if (text && !text.querySelector('[data-role="progress"]')) {
            text.replaceChildren(progressHolder(), " — this page updates by itself.");
          }
          if (heading) heading.textContent = "Preparing your video";
        }
        showProgress(document, video.progress);
      },
    });
  }
  return found.filter((w) => PENDING.has(w.status) && w.url);
}

let watching = [];
let timer = null;
let reloading = false;
let polling = false;

async function poll() {
  timer = null;
  if (polling || document.hidden || reloading || !watching.length) return;
  polling = true;
  await Promise.all(
    watching.map(async (watch) => {
      let video;
      try {
        video = await request("GET", watch.url);
      } catch (err) {
        if (err.status === 404 || err.status === 401) watch.gone = true;
        return; // otherwise offline for a moment: try again on the next tick
      }
      watch.update(video);
      const finished = video.status === "ready" || video.status === "failed";
      const nowPlayable = Boolean(video.playback?.mp4 || video.playback?.hls);
      if (video.status === "ready" && watch.hasPlayer && watch.status !== "ready") {
        // Something already plays here: the player switches to the complete stream in place.
        document.dispatchEvent(new CustomEvent("video-ready", { detail: video }));
      } else if ((finished && video.status !== watch.status) || (!watch.playable && nowPlayable)) {
        reloading = true;
      }
      watch.status = video.status;
    }),
  );
  polling = false;
  watching = watching.filter((w) => !w.gone && PENDING.has(w.status));
  if (reloading) {
    window.location.reload();
    return;
  }
  schedule();
}

function schedule() {
  if (!timer && !polling && !document.hidden && !reloading && watching.length) {
    timer = setTimeout(poll, POLL_MS);
  }
}

/** Follow the pending videos on this page (list items, or the watch page's state). */
export function watchVideoStatus() {
  watching = watchers();
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!timer && !polling) {
      poll(); // catch up at once when the tab comes back
    }
  });
  schedule();
}
