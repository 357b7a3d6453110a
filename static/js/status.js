// Live status of videos that are uploading or being processed, on the list and watch pages.
// Polls GET /api/v1/videos/{id} every 2 s while the tab is visible; reloads the page once when
// there is something new to show (the player, or the failure card).

import { request } from "./lib/http.js";

const POLL_MS = 2000;
const PENDING = new Set(["uploading", "queued", "processing"]);

function setBadge(badge, status, progress) {
  if (!badge) return;
  badge.className = badge.className.replace(/\bstatus-\w+/g, "").trim() + ` status-${status}`;
  const showProgress = status === "queued" || status === "processing";
  let holder = badge.querySelector('[data-role="progress"]');
  const label = status + (showProgress ? " " : "");
  if (badge.firstChild?.nodeType === Node.TEXT_NODE) badge.firstChild.textContent = label;
  else badge.prepend(document.createTextNode(label));
  if (showProgress) {
    if (!holder) {
      holder = document.createElement("span");
      holder.dataset.role = "progress";
      badge.append(holder);
    }
    holder.textContent = `${progress}%`;
  } else if (holder) {
    holder.remove();
  }
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
        setBadge(item.querySelector('[data-role="status"]'), video.status, video.progress);
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
      update(video) {
        state.dataset.status = video.status;
        setBadge(
          document.querySelector('.page-head [data-role="status"]'),
          video.status,
          video.progress,
        );
        if (bar && video.status !== "uploading") bar.value = video.progress;
        if (text && video.status !== "uploading") {
          text.textContent = `${video.progress}% — this page updates by itself.`;
        }
        if (heading && video.status !== "uploading") heading.textContent = "Preparing your video";
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
      const quickCopy = !watch.playable && Boolean(video.playback?.mp4);
      if ((finished && video.status !== watch.status) || quickCopy) {
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
