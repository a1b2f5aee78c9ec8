"""axe-core (WCAG 2.0/2.1 A and AA) on every generated page, both languages."""
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


def test_axe_every_page(driver, html_pages, url, axe_source):
    set_width(driver, 1280)
    problems = []
    version = None
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
    REPORT["axe_version"] = version
    REPORT["axe_pages"] = len(html_pages)
    print("axe-core %s, %d pages" % (version, len(html_pages)))
    assert version, "axe-core did not run"
    assert not problems, "%d axe violations (axe-core %s):\n%s" % (
        len(problems), version, "\n".join(problems))
