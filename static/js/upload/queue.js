// The queue of files: a few upload at the same time (each already sends parts side by side),
// the rest wait their turn.

export class UploadQueue {
  /** `atOnce` uploads run together; an upload is anything with run() returning a promise. */
  constructor(atOnce) {
    this.atOnce = atOnce;
    this.waiting = [];
    this.active = new Set();
  }

  /** Line an upload up; pump() starts it when there is room. */
  push(upload) {
    this.waiting.push(upload);
  }

  /** Take an upload out of the line (it was cancelled before its turn). */
  remove(upload) {
    const at = this.waiting.indexOf(upload);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** Start waiting uploads while there is room; each one's end makes room for the next. */
  pump() {
    while (this.active.size < this.atOnce && this.waiting.length) {
      const upload = this.waiting.shift();
      this.active.add(upload);
      upload.run().finally(() => {
        this.active.delete(upload);
        this.pump();
      });
    }
  }
}
