// Entry of the debrief summary: its Print button (no inline handlers under the CSP).

for (const button of document.querySelectorAll('[data-action="print"]')) {
  button.addEventListener("click", () => window.print());
}
