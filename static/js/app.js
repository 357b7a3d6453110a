// Progressive enhancements shared by every page. Loaded as a module; no inline scripts (CSP).

/** Apply data-colour attributes through CSSOM, since the CSP forbids inline style attributes. */
export function applyColours(root = document) {
  for (const el of root.querySelectorAll("[data-colour]")) {
    const colour = el.dataset.colour;
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) el.style.setProperty("--move-colour", colour);
  }
}

/** The CSRF token for fetch() writes made with the session cookie. */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A JSON request to our API with the session cookie; errors carry the server's message. */
export async function api(method, url, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "Could not reach Debrief. Check the connection and try again.");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    /* not JSON */
  }
  if (!response.ok) {
    const message = data?.error?.message ||
      (response.status === 401 ? "Your session has ended. Sign in again." :
        `The server answered ${response.status}. Try again in a moment.`);
    throw new ApiError(response.status, message);
  }
  return data;
}

applyColours();
