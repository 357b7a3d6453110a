// One file's upload: create its video (or resume the one it started), send its parts (see
// sender.js), then complete; its row says how it goes and offers Cancel and Try again.

import { titleFor } from "../lib/files.js";
import { api } from "../lib/http.js";
import { failureReport, newQuarter, percentOf, progressLine, smoothSpeed } from "./progress.js";
import { addRow } from "./row.js";
import { PartSender } from "./sender.js";
import { forget, remember, remembered } from "./store.js";
import { Cancelled } from "./transfer.js";

export class Upload {
  /** `page`: {form, list, rowTemplate, cycleSelect, consentBox, announce, queue}. */
  constructor(file, page) {
    this.file = file;
    this.page = page;
    this.state = "waiting"; // waiting | running | done | failed | cancelled
    this.videoId = null;
    this.sender = null; // a PartSender once the upload has its plan
    this.speed = 0; // bytes per second, smoothed
    this.el = addRow(page.rowTemplate, page.list, file);
    this.row = this.el.row;
    this.el.cancel.addEventListener("click", () => this.cancel());
    this.el.retry?.addEventListener("click", () => this.retry());
  }

  announce(text) {
    this.page.announce(`${this.file.name}: ${text}`);
  }

  setMeta(text, kind = "") {
    this.el.meta.textContent = text;
    this.row.dataset.state = kind || this.state;
  }

  get sentBytes() {
    return this.sender?.sentBytes ?? 0;
  }

  retry() {
    this.el.retry.hidden = true;
    this.state = "waiting";
    this.setMeta("Waiting…");
    this.page.queue.push(this);
    this.page.queue.pump();
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
      const parts = this.sender.parts;
      const result = await api("POST", `/api/v1/videos/${this.videoId}/upload/complete`, { parts });
      this.check();
      forget(this.file);
      this.finish(result);
    } catch (err) {
      if (err instanceof Cancelled || this.state === "cancelled") return;
      this.fail(err);
    } finally {
      this.stopTicker();
      this.sender?.abort();
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
    const { cycleSelect, consentBox } = this.page;
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

  /** Send the parts S3 does not hold yet, saying so when resuming. */
  async sendParts(plan) {
    this.sender = new PartSender(this.file, plan, {
      videoId: this.videoId,
      retryBaseMs: Number(this.page.form.dataset.retryBaseMs) || 1000,
      isCancelled: () => this.state === "cancelled",
    });
    const { etags, count } = this.sender;
    if (this.resumed && etags.size) {
      this.notice = `Resuming: ${etags.size} of ${count} parts were already uploaded.`;
      this.announce(this.notice);
    } else {
      this.page.announce(`Uploading ${this.file.name}.`);
    }
    this.startTicker();
    await this.sender.sendAll();
    this.update();
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

  /** Redraw the bar and the progress line; the speed is sampled at most every 0.4 s. */
  update() {
    if (this.state !== "running") return;
    const now = performance.now();
    const sent = this.sentBytes;
    const elapsed = (now - this.lastSample.time) / 1000;
    if (sent > this.lastSample.bytes || !this.movedAt) this.movedAt = now;
    if (elapsed >= 0.4) {
      const rate = Math.max(0, sent - this.lastSample.bytes) / elapsed;
      this.speed = smoothSpeed(this.speed, rate);
      this.lastSample = { time: now, bytes: sent };
    }
    const percent = percentOf(sent, this.file.size);
    this.el.bar.value = percent;
    const text = progressLine({
      percent,
      sent,
      size: this.file.size,
      speed: this.speed,
      stalledMs: now - this.movedAt,
    });
    const quarter = newQuarter(percent, this.announced);
    if (quarter) {
      this.announced = quarter;
      this.announce(`${quarter * 25}% uploaded.`);
    }
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
    this.announce(this.el.meta.textContent);
  }

  fail(err) {
    this.state = "failed";
    const { message, advice, retryable } = failureReport(err, Boolean(this.videoId));
    this.setMeta(message + advice, "failed");
    this.announce(message);
    if (this.el.retry) this.el.retry.hidden = !retryable;
  }

  async cancel() {
    if (this.state === "done" || this.state === "cancelled") return;
    const wasRunning = this.state === "running" || this.state === "failed";
    this.state = "cancelled";
    this.stopTicker();
    this.sender?.abort();
    this.page.queue.remove(this);
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
    this.announce("upload cancelled.");
  }

  async deleteVideo() {
    try {
      await api("DELETE", `/api/v1/videos/${this.videoId}`);
    } catch (err) {
      if (err.status !== 404) throw err;
    }
  }
}
