// Moving the bytes: one part PUT with XMLHttpRequest (fetch has no upload progress), and a pool
// of workers that send parts side by side and all stop when one gives up.

/** Thrown when the person cancels; an upload that sees it stops quietly. */
export class Cancelled extends Error {}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PUT `blob` to a presigned `url`; resolves to the ETag header (null when storage hides it).
 * The request sits in `xhrs` while it runs, so a cancel can abort it; `onProgress(bytes)` hears
 * how much is sent; an abort rejects with Cancelled when `isCancelled()` says so.
 */
export function putPart(url, blob, { xhrs, onProgress, isCancelled }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhrs.add(xhr);
    xhr.open("PUT", url);
    xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    xhr.addEventListener("load", () => {
      xhrs.delete(xhr);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.getResponseHeader("ETag"));
      } else {
        reject(Object.assign(new Error("part failed"), { status: xhr.status }));
      }
    });
    const failed = () => {
      xhrs.delete(xhr);
      reject(isCancelled() ? new Cancelled() : new Error("network"));
    };
    xhr.addEventListener("error", failed);
    xhr.addEventListener("abort", failed);
    xhr.addEventListener("timeout", failed);
    xhr.send(blob);
  });
}

/**
 * Run `work(item)` over `todo` (which it empties) with up to `size` at a time. Rejects with the
 * first failure and empties `todo`, so the other workers stop after their current item.
 */
export async function runPool(todo, size, work) {
  const worker = async () => {
    while (todo.length) await work(todo.shift());
  };
  const workers = [];
  for (let i = 0; i < Math.min(size, todo.length); i++) workers.push(worker());
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
}
