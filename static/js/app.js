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

applyColours();
