// Move colours arrive as data-colour attributes; the CSP forbids inline style attributes, so
// they are applied through CSSOM.

/** Set --move-colour from data-colour on every element under `root` that has one. */
export function applyColours(root = document) {
  for (const el of root.querySelectorAll("[data-colour]")) {
    const colour = el.dataset.colour;
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) el.style.setProperty("--move-colour", colour);
  }
}
