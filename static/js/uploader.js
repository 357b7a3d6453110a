// The upload page: parts go straight from the browser to S3 through presigned URLs.
//
// For each file: check it here before any byte moves (against the server's size limit and
// accepted extensions, read from the form's data attributes), create the video
// (POST /api/v1/videos), PUT every part with XMLHttpRequest (progress events, 4 in flight,
// retries with backoff, fresh URLs before they expire and on 403), then complete. Each part URL
// is signed for the part's exact length (the Blob slice's size, which the browser sends as
// Content-Length). A reload resumes: the video id is remembered per file in localStorage and
// GET /api/v1/videos/{id}/upload tells which parts S3 already holds.

import { api } from "./lib/http.js";
import { humanSize, limitsFrom, problemWith, titleFor } from "./lib/files.js";
import { formatDuration as duration } from "./lib/time.js";

const PARTS_IN_FLIGHT = 4;
const FILES_AT_ONCE = 2;
const MAX_RETRIES = 5;
const STORE_PREFIX = "debrief.upload:";

// The page's elements, found by bootUploader().
let form;
let dropZone;
let input;
let list;
let rowTemplate;
let cycleSelect;
let announcer;
let consentBox;

/** Tell screen readers about milestones only, not every progress tick. */
function announce(text) {
  if (!announcer) return;
  announcer.textContent = "";
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

const storeKey = (file) => `${STORE_PREFIX}${file.name}:${file.size}:${file.lastModified}`;

function remembered(file) {
  try {
    const saved = JSON.parse(localStorage.getItem(storeKey(file)) || "null");
    return saved && Number.isInteger(saved.videoId) ? saved : null;
  } catch {
    return null;
  }
}

function remember(file, videoId) {
  try {
    const { name, size, lastModified } = file;
    localStorage.setItem(storeKey(file), JSON.stringify({ videoId, name, size, lastModified }));
  } catch {
    /* private mode or full: resuming is a convenience */
  }
}

function forget(file) {
  try {
    localStorage.removeItem(storeKey(file));
  } catch {
    /* ignore */
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Cancelled extends Error {}

/** One file: its row on the page and its upload. */
class Upload {
  constructor(file) {
    this.file = file;
    this.state = "waiting"; // waiting | running | done | failed | cancelled
    this.videoId = null;
    this.xhrs = new Set();
    this.loaded = new Map(); // part number -> bytes sent of that part so far
    this.doneBytes = 0;
    this.speed = 0; // bytes per second, smoothed
    this.row = this.makeRow();
  }

  makeRow() {
    const row = rowTemplate.content.firstElementChild.cloneNode(true);
    const $ = (role) => row.querySelector(`[data-role="${role}"]`);
    this.el = {
      name: $("name"),
      size: $("size"),
      bar: $("bar"),
      meta: $("meta"),
      cancel: $("cancel"),
      retry: $("retry"),
      open: $("open"),
    };
    this.el.name.textContent = this.file.name;
    this.el.size.textContent = humanSize(this.file.size);
    this.el.bar.setAttribute("aria-label", `Upload progress of ${this.file.name}`);
    this.el.cancel.setAttribute("aria-label", `Cancel upload of ${this.file.name}`);
    this.el.cancel.addEventListener("click", () => this.cancel());
    if (this.el.retry) {
      this.el.retry.setAttribute("aria-label", `Try again to upload ${this.file.name}`);
      this.el.retry.addEventListener("click", () => {
        this.el.retry.hidden = true;
        this.state = "waiting";
        this.setMeta("Waiting…");
        queue.push(this);
        pump();
      });
    }
    list.prepend(row);
    return row;
  }

  setMeta(text, kind = "") {
    this.el.meta.textContent = text;
    this.row.dataset.state = kind || this.state;
  }

  get percent() {
    let sent = this.doneBytes;
    for (const bytes of this.loaded.values()) sent += bytes;
    return this.file.size ? Math.min(100, (sent / this.file.size) * 100) : 0;
  }

  get sentBytes() {
    let sent = this.doneBytes;
    for (const bytes of this.loaded.values()) sent += bytes;
    return sent;
  }

  async run() {
    this.state = "running";
    this.row.dataset.state = "running";
    this.setMeta("Starting…");
    try {
      const plan = await this.plan();
      await this.sendParts(plan);
      this.check();
      this.setMeta("Finishing the upload…");
      const parts = [...this.etags.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([part_number, etag]) => ({ part_number, etag }));
      const result = await api("POST", `/api/v1/videos/${this.videoId}/upload/complete`, { parts });
      this.check();
      forget(this.file);
      this.finish(result);
    } catch (err) {
      if (err instanceof Cancelled || this.state === "cancelled") return;
      this.fail(err);
    } finally {
      this.stopTicker();
      for (const xhr of this.xhrs) xhr.abort();
      this.xhrs.clear();
    }
  }

  check() {
    if (this.state === "cancelled") throw new Cancelled();
  }

  /** Resume the upload this file started before, or create a new video. */
  async plan() {
    const saved = remembered(this.file);
    if (saved) {
      this.videoId = saved.videoId; // so Cancel removes it even while we ask
      try {
        const plan = await api("GET", `/api/v1/videos/${saved.videoId}/upload`);
        this.check();
        this.resumed = true;
        return plan;
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        if (err.status !== 404 && err.status !== 409) throw err;
        this.videoId = null;
        forget(this.file); // finished, deleted or not ours any more: start again
      }
    }
    const body = {
      title: titleFor(this.file.name),
      filename: this.file.name,
      size_bytes: this.file.size,
      content_type: this.file.type || "",
    };
    if (cycleSelect?.value) body.cycle_id = Number(cycleSelect.value);
    if (consentBox) body.consent = consentBox.checked;
    const created = await api("POST", "/api/v1/videos", body);
    this.videoId = created.id;
    remember(this.file, created.id);
    if (this.state === "cancelled") {
      await this.deleteVideo();
      throw new Cancelled();
    }
    return created.upload;
  }

  async sendParts(plan) {
    const partSize = plan.part_size;
    const count = Math.max(1, Math.ceil(this.file.size / partSize));
    const lengthOf = (n) => Math.min(partSize, this.file.size - (n - 1) * partSize);
    this.keepUrls(plan);
    this.etags = new Map();
    this.doneBytes = 0;
    this.loaded.clear();
    for (const part of plan.uploaded || []) {
      // Reuse a stored part only when it is whole; otherwise send it again.
      if (part.part_number <= count && part.size === lengthOf(part.part_number)) {
        this.etags.set(part.part_number, part.etag);
        this.doneBytes += part.size;
      }
    }
    const todo = [];
    for (let n = 1; n <= count; n++) if (!this.etags.has(n)) todo.push(n);
    if (this.resumed && this.etags.size) {
      this.notice = `Resuming: ${this.etags.size} of ${count} parts were already uploaded.`;
      announce(`${this.file.name}: ${this.notice}`);
    } else {
      announce(`Uploading ${this.file.name}.`);
    }
    this.startTicker();
    const worker = async () => {
      while (todo.length) {
        this.check();
        const n = todo.shift();
        const start = (n - 1) * partSize;
        const etag = await this.sendPart(n, this.file.slice(start, start + lengthOf(n)));
        this.etags.set(n, etag);
        this.loaded.delete(n);
        this.doneBytes += lengthOf(n);
      }
    };
    const workers = [];
    for (let i = 0; i < Math.min(PARTS_IN_FLIGHT, todo.length); i++) workers.push(worker());
    // Stop the others as soon as one part gives up.
    await new Promise((resolve, reject) => {
      let left = workers.length;
      if (!left) resolve();
      for (const w of workers) {
        w.then(
          () => {
            if (--left === 0) resolve();
          },
          (err) => {
            todo.length = 0;
            reject(err);
          },
        );
      }
    });
    this.update();
  }

  /** PUT one part, retrying with exponential backoff; fresh URLs when S3 says 403. */
  async sendPart(n, blob) {
    const base = Number(form.dataset.retryBaseMs) || 1000;
    let lastError = "";
    for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
      this.check();
      if (attempt > 0) {
        await sleep(base * 2 ** (attempt - 1));
        this.check();
      }
      let status = 0;
      try {
        if (performance.now() > this.urlsExpire) await this.refreshUrls();
        const etag = await this.put(n, blob);
        if (etag) return etag;
        lastError = "storage did not return the part's checksum (ETag)";
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        status = err.status || 0;
        lastError = status ? `storage answered ${status}` : "the connection dropped";
      }
      this.loaded.set(n, 0);
      if (status === 403) {
        await this.refreshUrls(); // the presigned URL expired: ask for new ones
      }
    }
    const error = new Error(
      `Part ${n} could not be sent after ${MAX_RETRIES} retries (${lastError}).`,
    );
    error.resumable = true;
    throw error;
  }

  put(n, blob) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhrs.add(xhr);
      xhr.open("PUT", this.urls.get(n));
      xhr.upload.addEventListener("progress", (event) => {
        this.loaded.set(n, event.loaded);
      });
      xhr.addEventListener("load", () => {
        this.xhrs.delete(xhr);
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(xhr.getResponseHeader("ETag"));
        } else {
          reject(Object.assign(new Error("part failed"), { status: xhr.status }));
        }
      });
      const failed = () => {
        this.xhrs.delete(xhr);
        reject(this.state === "cancelled" ? new Cancelled() : new Error("network"));
      };
      xhr.addEventListener("error", failed);
      xhr.addEventListener("abort", failed);
      xhr.addEventListener("timeout", failed);
      xhr.send(blob);
    });
  }

  /** Keep a plan's part URLs, and when to renew them: a minute before they expire. */
  keepUrls(plan) {
    this.urls = new Map(plan.parts.map((p) => [p.part_number, p.url]));
    this.urlsExpire = performance.now() + ((plan.expires_in || 3600) - 60) * 1000;
  }

  refreshUrls() {
    // One request for all the parts waiting on a fresh URL.
    if (!this.refreshing) {
      this.refreshing = api("GET", `/api/v1/videos/${this.videoId}/upload`)
        .then((plan) => this.keepUrls(plan))
        .catch(() => {
          /* the next attempt reports the failure */
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  startTicker() {
    this.lastSample = { time: performance.now(), bytes: this.sentBytes };
    this.movedAt = performance.now();
    this.update();
    this.ticker = setInterval(() => this.update(), 500);
  }

  stopTicker() {
    clearInterval(this.ticker);
    this.ticker = null;
  }

  update() {
    if (this.state !== "running") return;
    const now = performance.now();
    const sent = this.sentBytes;
    const elapsed = (now - this.lastSample.time) / 1000;
    if (sent > this.lastSample.bytes || !this.movedAt) this.movedAt = now;
    if (elapsed >= 0.4) {
      const rate = Math.max(0, sent - this.lastSample.bytes) / elapsed;
      this.speed = this.speed ? this.speed * 0.7 + rate * 0.3 : rate;
      this.lastSample = { time: now, bytes: sent };
    }
    const percent = this.percent;
    this.el.bar.value = percent;
    const parts = [`${Math.floor(percent)}%`, `${humanSize(sent)} of ${humanSize(this.file.size)}`];
    if (now - this.movedAt > 8000) {
      parts.push("waiting for the network…");
    } else if (this.speed > 1024) {
      parts.push(`${(this.speed / 1e6).toFixed(1)} MB/s`);
      const left = (this.file.size - sent) / this.speed;
      if (left > 0.5) parts.push(`about ${duration(left)} left`);
    }
    const quarter = Math.floor(percent / 25);
    if (quarter > (this.announced ?? 0) && quarter < 4) {
      this.announced = quarter;
      announce(`${this.file.name}: ${quarter * 25}% uploaded.`);
    }
    const text = parts.join(" · ");
    this.setMeta(this.notice ? `${this.notice} ${text}` : text, "running");
    this.el.bar.setAttribute("aria-valuetext", `${Math.floor(percent)}%`);
  }

  finish(result) {
    this.state = "done";
    this.el.bar.value = 100;
    this.el.cancel.hidden = true;
    this.el.open.href = `/videos/${this.videoId}`;
    this.el.open.hidden = false;
    if (result?.status === "failed") {
      this.setMeta(`Uploaded, but ${result.error || "the file could not be accepted."}`, "failed");
    } else {
      this.setMeta("Uploaded — processing. You can open it now; it updates by itself.", "done");
    }
    announce(`${this.file.name}: ${this.el.meta.textContent}`);
  }

  fail(err) {
    this.state = "failed";
    const message = err?.message || "The upload failed.";
    const resume =
      this.videoId && err?.resumable
        ? " The parts already sent are kept: try again, or choose the same file later to resume."
        : "";
    this.setMeta(message + resume, "failed");
    announce(`${this.file.name}: ${message}`);
    // Worth another go after a network or storage failure, not after a refusal.
    const retryable = err?.resumable || !err?.status || err.status >= 500;
    if (this.el.retry) this.el.retry.hidden = !retryable;
  }

  async cancel() {
    if (this.state === "done" || this.state === "cancelled") return;
    const wasRunning = this.state === "running" || this.state === "failed";
    this.state = "cancelled";
    this.stopTicker();
    for (const xhr of this.xhrs) xhr.abort();
    this.xhrs.clear();
    const waiting = queue.indexOf(this);
    if (waiting >= 0) queue.splice(waiting, 1);
    this.el.cancel.hidden = true;
    if (this.el.retry) this.el.retry.hidden = true;
    this.setMeta("Cancelling…", "cancelled");
    forget(this.file);
    if (wasRunning && this.videoId) {
      try {
        await this.deleteVideo();
      } catch (err) {
        this.setMeta(
          `Cancelled, but the partial upload could not be removed: ${err.message}`,
          "failed",
        );
        return;
      }
    }
    this.setMeta("Cancelled. Nothing was kept.", "cancelled");
    announce(`${this.file.name}: upload cancelled.`);
  }

  async deleteVideo() {
    try {
      await api("DELETE", `/api/v1/videos/${this.videoId}`);
    } catch (err) {
      if (err.status !== 404) throw err;
    }
  }
}

// The queue of files: FILES_AT_ONCE upload at the same time, the rest wait their turn.
const queue = [];
const active = new Set();
const uploads = [];

function pump() {
  while (active.size < FILES_AT_ONCE && queue.length) {
    const upload = queue.shift();
    active.add(upload);
    upload.run().finally(() => {
      active.delete(upload);
      pump();
    });
  }
}

function refuse(file, message) {
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  row.dataset.state = "refused";
  row.querySelector('[data-role="name"]').textContent = file.name;
  row.querySelector('[data-role="size"]').textContent = humanSize(file.size);
  row.querySelector('[data-role="bar"]').remove();
  const meta = row.querySelector('[data-role="meta"]');
  meta.textContent = message;
  meta.setAttribute("role", "alert");
  const cancel = row.querySelector('[data-role="cancel"]');
  cancel.textContent = "Dismiss";
  cancel.setAttribute("aria-label", `Dismiss the message about ${file.name}`);
  cancel.addEventListener("click", () => {
    row.remove();
    input.focus();
  });
  row.querySelector('[data-role="retry"]')?.remove();
  list.prepend(row);
}

/** The school may require the consent box ticked before anything is sent. */
function consentMissing() {
  return consentBox?.dataset.required === "true" && !consentBox.checked;
}

function addFiles(files) {
  const limits = limitsFrom(form.dataset);
  for (const file of files) {
    if (consentMissing()) {
      refuse(
        file,
        "Your school requires you to confirm its consent policy first: tick the " +
          "box above, then choose the file again.",
      );
      consentBox.focus();
      continue;
    }
    const problem = problemWith(file, limits);
    if (problem) {
      refuse(file, problem);
      continue;
    }
    const same = uploads.find(
      (u) =>
        storeKey(u.file) === storeKey(file) && (u.state === "running" || u.state === "waiting"),
    );
    if (same) {
      refuse(file, `${file.name} is already uploading.`);
      continue;
    }
    const upload = new Upload(file);
    uploads.push(upload);
    queue.push(upload);
  }
  pump();
}

/** Start the upload page: the file input, the drop zone, and the unload guard. */
export function bootUploader() {
  form = document.getElementById("upload-form");
  dropZone = document.getElementById("drop-zone");
  input = document.getElementById("file-input");
  list = document.getElementById("upload-list");
  rowTemplate = document.getElementById("upload-row");
  cycleSelect = document.getElementById("cycle-select");
  announcer = document.getElementById("upload-status");
  consentBox = document.getElementById("consent");
  if (!form || !input) return;
  wirePicker();
  window.addEventListener("beforeunload", (event) => {
    if (uploads.some((u) => u.state === "running" || u.state === "waiting")) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need this to show the prompt
    }
  });
}

function wirePicker() {
  input.addEventListener("change", () => {
    addFiles([...input.files]);
    input.value = ""; // so choosing the same file again fires another change
  });

  for (const type of ["dragenter", "dragover"]) {
    dropZone.addEventListener(type, (event) => {
      if (![...(event.dataTransfer?.types || [])].includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      dropZone.classList.add("dragover");
    });
  }
  for (const type of ["dragleave", "dragend"]) {
    dropZone.addEventListener(type, (event) => {
      if (type === "dragleave" && dropZone.contains(event.relatedTarget)) return;
      dropZone.classList.remove("dragover");
    });
  }
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragover");
    addFiles([...(event.dataTransfer?.files || [])]);
  });
  // A file dropped next to the zone must not navigate away from the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());

  form.addEventListener("submit", (event) => event.preventDefault());
}
