// The debrief summary's Print button (no inline handlers under the CSP).
for (const button of document.querySelectorAll('[data-action="print"]')) {
  button.addEventListener("click", () => window.print());
}
