"""axe-core (from the npm registry, ``npm ci`` at the repo root) run inside the test browser.

egov sends a strict CSP (``script-src 'self'``), which blocks the inline ``<script>`` that
Playwright's ``add_script_tag(path=...)`` writes. Rather than switch the CSP off for the whole
context (``bypass_csp=True`` would also hide a real CSP refusal from the console check), the
context serves axe.min.js at a same-origin URL through ``page.route``: the product's CSP stays
exactly as in production and allows the script as 'self'.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__test-tooling__/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# CI installs it (.ci/run), so there a missing axe-core fails instead of skipping.
axe_available = pytest.mark.skipif(
    not AXE_JS.exists() and not os.environ.get("CI"),
    reason="axe-core is not installed: run `npm ci --no-audit --no-fund` at the repo root (CI does)",
)


def serve_axe(page: Any) -> None:
    """Answer the same-origin tooling URL with the installed axe-core, for every page of the context."""
    body = AXE_JS.read_bytes()
    page.context.route(
        f"**{AXE_URL_PATH}",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=body),
    )


def check(page: Any, name: str) -> list[str]:
    """Run axe on the page as it is now; the serious and critical violations, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=f"{origin}{AXE_URL_PATH}")
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = [
            f"\n    {' '.join(map(str, node['target']))}: {' '.join(node['failureSummary'].split())[:300]}"
            for node in violation["nodes"][:8]
        ]
        found.append(
            f"{name} [{page.url}]: {violation['impact']} {violation['id']}: {violation['help']}{''.join(nodes)}"
        )
    # axe only "needs review" an aria-describedby naming a missing element, so an error message or
    # hint silently detached from its field passes it; this finds such references and duplicate ids.
    for problem in page.evaluate(IDREFS_JS):
        found.append(f"{name} [{page.url}]: serious broken-idref: {problem}")
    return found


IDREFS_JS = """() => {
  const problems = [];
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}="${id}" names no element`);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    if (!document.getElementById(label.htmlFor)) problems.push(`label for="${label.htmlFor}" names no element`);
  }
  return problems;
}"""
