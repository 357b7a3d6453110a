// Sending one file's parts straight to S3 through presigned URLs: 4 in flight, each retried
// with exponential backoff, fresh URLs before they expire and on 403. Each part URL is signed
// for the part's exact length: the Blob slice's size, which the browser sends as Content-Length.

import { api } from "../lib/http.js";
import {
  completedParts,
  partCount,
  partLength,
  partsToSend,
  renewAt,
  retryDelay,
  reusableParts,
} from "./parts.js";
import { Cancelled, putPart, runPool, sleep } from "./transfer.js";

const PARTS_IN_FLIGHT = 4;
const MAX_RETRIES = 5;

export class PartSender {
  /** `plan` is the server's upload plan; the parts S3 already holds whole are kept. */
  constructor(file, plan, { videoId, retryBaseMs, isCancelled }) {
    this.file = file;
    this.videoId = videoId;
    this.retryBaseMs = retryBaseMs;
    this.isCancelled = isCancelled;
    this.partSize = plan.part_size;
    this.count = partCount(file.size, this.partSize);
    this.xhrs = new Set();
    this.loaded = new Map(); // part number -> bytes sent of that part so far
    this.keepUrls(plan);
    const reused = reusableParts(plan.uploaded, file.size, this.partSize);
    this.etags = reused.etags; // part number -> ETag of every part S3 holds
    this.doneBytes = reused.bytes;
  }

  get sentBytes() {
    let sent = this.doneBytes;
    for (const bytes of this.loaded.values()) sent += bytes;
    return sent;
  }

  /** The parts in the order the complete request lists them. */
  get parts() {
    return completedParts(this.etags);
  }

  check() {
    if (this.isCancelled()) throw new Cancelled();
  }

  /** Send every part S3 does not hold yet; the first part that gives up stops the others. */
  async sendAll() {
    const lengthOf = (n) => partLength(n, this.file.size, this.partSize);
    await runPool(partsToSend(this.count, this.etags), PARTS_IN_FLIGHT, async (n) => {
      this.check();
      const start = (n - 1) * this.partSize;
      const etag = await this.sendPart(n, this.file.slice(start, start + lengthOf(n)));
      this.etags.set(n, etag);
      this.loaded.delete(n);
      this.doneBytes += lengthOf(n);
    });
  }

  /** PUT one part, retrying with exponential backoff; fresh URLs when S3 says 403. */
  async sendPart(n, blob) {
    let lastError = "";
    for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
      this.check();
      if (attempt > 0) {
        await sleep(retryDelay(this.retryBaseMs, attempt));
        this.check();
      }
      let status = 0;
      try {
        if (performance.now() > this.urlsExpire) await this.refreshUrls();
        const etag = await putPart(this.urls.get(n), blob, {
          xhrs: this.xhrs,
          onProgress: (bytes) => this.loaded.set(n, bytes),
          isCancelled: this.isCancelled,
        });
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

  /** Keep a plan's part URLs, and when to renew them. */
  keepUrls(plan) {
    this.urls = new Map(plan.parts.map((p) => [p.part_number, p.url]));
    this.urlsExpire = renewAt(performance.now(), plan.expires_in);
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

  /** Stop every request in flight. */
  abort() {
    for (const xhr of this.xhrs) xhr.abort();
    this.xhrs.clear();
  }
}
