"""Run axe-core (vendored, MPL-2.0) in the page and return its serious and critical violations.

`serve_axe(context)` lets a browser context load axe-core from the page's own origin (a route answered by the
test), so that it runs under the portal's Content-Security-Policy (script-src 'self') without bypassing it.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"
RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def serve_axe(context) -> None:
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))


def serious_violations(page, *, served: bool = False) -> list[dict]:
    if served:
        page.add_script_tag(url=AXE_URL)
    else:
        page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
