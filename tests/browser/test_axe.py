"""axe-core (WCAG 2.0/2.1 A and AA) on every generated page, both languages."""
import pytest

from conftest import REPORT, set_width

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({version: axe.version, violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))}))
  .catch(e => done({error: String(e)}));
"""


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_every_page(driver, html_pages, url, axe_source, width):
    """At a desktop's width and at a small phone's: some rules (a scrolling region a
    keyboard cannot reach, text clipped) fail only on a narrow screen."""
    set_width(driver, width)
    problems = []
    version = None
    try:
        for page in html_pages:
            driver.get(url(page))
            if not driver.execute_script("return typeof window.axe === 'object'"):
                driver.execute_script(axe_source)
            result = driver.execute_async_script(RUN_AXE, TAGS)
            if "error" in result:
                problems.append("%s: axe.run failed: %s" % (page, result["error"]))
                continue
            version = result["version"]
            for v in result["violations"]:
                for node in v["nodes"]:
                    problems.append("%s: %s (%s) at %s\n    %s" % (
                        page, v["id"], v["impact"], node["target"],
                        (node["summary"] or "").replace("\n", " ")))
    finally:
        set_width(driver, 1280)
    REPORT["axe_version"] = version
    REPORT["axe_pages"] = len(html_pages)
    REPORT.setdefault("axe_widths", []).append(width)
    print("axe-core %s, %d pages at %d px" % (version, len(html_pages), width))
    assert version, "axe-core did not run"
    assert not problems, "%d axe violations at %d px (axe-core %s):\n%s" % (
        len(problems), width, version, "\n".join(problems))
