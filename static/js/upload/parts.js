// The arithmetic of a multipart upload: how a file is cut into parts, which parts S3 already
// holds, and when to retry or renew URLs. Pure, so node's test runner covers it.

/** The number of parts (at least one, so an upload always has a part to complete). */
export function partCount(size, partSize) {
  return Math.max(1, Math.ceil(size / partSize));
}

/** The byte length of part `n` (from 1): the last part holds what is left. */
export function partLength(n, size, partSize) {
  return Math.min(partSize, size - (n - 1) * partSize);
}

/**
 * The parts S3 already holds that can be kept: {etags: part number -> ETag, bytes}. A part is
 * kept only when it is whole; a short one (cut off by a dropped connection) is sent again.
 */
export function reusableParts(uploaded, size, partSize) {
  const count = partCount(size, partSize);
  const etags = new Map();
  let bytes = 0;
  for (const part of uploaded || []) {
    if (part.part_number <= count && part.size === partLength(part.part_number, size, partSize)) {
      etags.set(part.part_number, part.etag);
      bytes += part.size;
    }
  }
  return { etags, bytes };
}

/** The part numbers still to send, in order. */
export function partsToSend(count, etags) {
  const todo = [];
  for (let n = 1; n <= count; n++) if (!etags.has(n)) todo.push(n);
  return todo;
}

/** The body of the complete request: every part's ETag, in part order. */
export function completedParts(etags) {
  return [...etags.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([part_number, etag]) => ({ part_number, etag }));
}

/** The wait before retry `attempt` (1, 2, …): exponential backoff from `baseMs`. */
export function retryDelay(baseMs, attempt) {
  return baseMs * 2 ** (attempt - 1);
}

/** When (on the performance.now() clock) to renew URLs: a minute before they expire. */
export function renewAt(now, expiresInSeconds) {
  return now + ((expiresInSeconds || 3600) - 60) * 1000;
}
