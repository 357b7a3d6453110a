"""Accessibility checks in the browser with axe-core (the npm dev dependency `make` installs)."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, the rules our pages promise.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page, include: str | None = None) -> list[dict]:
    """Run axe on the page (or the part `include` selects); its violations, one dict each."""
    if not AXE.exists():  # a failure, never a skip: `make` installs the npm dev dependencies
        pytest.fail(f"No axe-core at {AXE}: run `make install` (npm ci).", pytrace=False)
    # Evaluated through the debugging protocol, so the page's CSP (script-src 'self') allows it.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """([include, tags]) => axe.run(include ? {include: [include]} : document,
             {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
           .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(n => [n.target.join(" "), n.failureSummary])})))""",
        [include, TAGS],
    )
    return found


def assert_accessible(page, include: str | None = None) -> None:
    """Fail with every violation axe finds, saying where and why."""
    found = violations(page, include)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']}\n  "
        + "\n  ".join(f"{t}: {s}" for t, s in v["nodes"])
        for v in found
    ]
    assert not found, "axe found accessibility problems:\n" + "\n".join(lines)
