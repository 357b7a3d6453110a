// The entry every page loads (base.html): progressive enhancements shared by all pages.
// Helpers live in lib/; importing them starts nothing.

import { applyColours } from "./lib/colours.js";

applyColours();

// Forms that destroy something ask first.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});
