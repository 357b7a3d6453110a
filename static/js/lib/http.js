// The one way our pages talk to the server: fetch with the session cookie, the CSRF header on
// writes, and errors that carry a message a person can act on.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The CSRF token for fetch() writes made with the session cookie. */
export function csrfToken() {
  return globalThis.document?.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** The message for a failed response: the server's own, or one that says what to do. */
export function errorMessage(status, data) {
  if (data?.error?.message) return data.error.message;
  if (status === 0) return "Could not reach Debrief. Check the connection and try again.";
  if (status === 401) return "Your session has ended. Sign in again.";
  return `The server answered ${status}. Try again in a moment.`;
}

const READERS = {
  json: (response) => response.json(),
  text: (response) => response.text(),
  none: async () => null,
};

/**
 * Send a request and read its body as `as` ("json", "text" or "none"). `body` is sent as JSON
 * unless it is a Blob or FormData. Throws ApiError (status 0 when the network failed).
 */
export async function request(method, url, { body, as = "json", headers = {} } = {}) {
  const sent = { Accept: as === "text" ? "*/*" : "application/json", ...headers };
  if (method !== "GET" && method !== "HEAD") sent["X-CSRFToken"] = csrfToken();
  const raw = body instanceof Blob || body instanceof FormData;
  if (body !== undefined && !raw) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: sent,
      credentials: "same-origin",
      body: body === undefined || raw ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, errorMessage(0));
  }
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    throw new ApiError(response.status, errorMessage(response.status, data));
  }
  if (response.status === 204) return null;
  return READERS[as](response).catch(() => null);
}

/** A JSON request to our API (the shape most callers want). */
export const api = (method, url, body) => request(method, url, { body });
