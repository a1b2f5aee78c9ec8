import Foundation
import XCTest
@testable import Overens

/// The home page, the charts and the menu as site.yml sets them: numbers counted from
/// content, nothing assumed about how many goals or actions there are.
final class HomeAndChartTests: XCTestCase {
    func testHomePageSaysWhatTheAgreementIsAndCountsTheContent() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("site.yml", """
            languages: [sv, en]
            title: { sv: Testavtalet, en: The Test Agreement }
            tagline: { sv: Ett avtal om samverkan, en: An agreement on cooperation }
            since: 2010
            """)
        let files = box.files(Site.generate(box.options))
        let home = try XCTUnwrap(files["index.html"])
        XCTAssertTrue(home.contains("<h1>Ett avtal om samverkan</h1>"), home)
        XCTAssertTrue(home.contains("<span class=\"fact-value\">2010</span>"))
        XCTAssertTrue(home.contains("<span class=\"fact-value\">2</span> <span class=\"fact-label\">insatser (1 pågående)</span>"), home)
        XCTAssertTrue(home.contains("<span class=\"fact-value\">1</span> <span class=\"fact-label\">part</span>"), "one, not 'parter'")
        XCTAssertTrue(try XCTUnwrap(files["en/index.html"]).contains("<h1>An agreement on cooperation</h1>"))
    }

    func testTheChartCountsActionsPerGoalFromContent() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let files = box.files(Site.generate(box.options))
        let home = try XCTUnwrap(files["index.html"])
        // halsa is served by both actions, miljo by one.
        XCTAssertTrue(home.contains("<title id=\"chart-actions-per-goal-title\">Antal insatser per mål</title>"))
        XCTAssertTrue(home.contains("<desc id=\"chart-actions-per-goal-desc\">1. God hälsa: 2; 2. Frisk miljö: 1</desc>"), home)
        XCTAssertTrue(home.contains("<th scope=\"row\">1. <a href=\"mal/halsa.html\">God hälsa</a></th><td>2</td>"), home)
        XCTAssertTrue(home.contains("<text x=\"0\" y=\"13\" class=\"bar-label\">1 · God hälsa</text>"), "the number and name are in the picture, not only the colour")
        XCTAssertTrue(try XCTUnwrap(files["mal/index.html"]).contains("chart-actions-per-goal"))
        XCTAssertTrue(try XCTUnwrap(files["mal/halsa.html"]).contains("2 insatser") == false, "goal pages need no chart")
        XCTAssertTrue(try XCTUnwrap(files["mal/index.html"]).contains("<p class=\"meta\">2 insatser</p>"), "goal cards count their actions")
        XCTAssertTrue(try XCTUnwrap(files["mal/index.html"]).contains("<p class=\"meta\">1 insats</p>"))
    }

    func testStatusAndPartyChartsOnlyWhereTheContentHasThatData() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        var files = box.files(Site.generate(box.options))
        XCTAssertTrue(try XCTUnwrap(files["insatser/index.html"]).contains("chart-actions-by-status"), "idrott has a status")
        XCTAssertTrue(try XCTUnwrap(files["insatser/index.html"]).contains("chart-actions-per-party"))
        box.write("actions/idrott.sv.md", "---\ntitle: Idrott för alla\nnumber: 1\ngoals: [halsa]\n---\nText.\n")
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\n---\nSkog.\n")
        files = box.files(Site.generate(box.options))
        let actions = try XCTUnwrap(files["insatser/index.html"])
        XCTAssertFalse(actions.contains("chart-actions-by-status"), "no status anywhere: no status chart")
        XCTAssertFalse(actions.contains("chart-actions-per-party"))
        XCTAssertTrue(actions.contains("chart-actions-per-goal"))
    }

    func testAChartIsTheSameBytesForAnyNumberOfGoals() {
        let rows = (1...4).map { ChartRow(label: "Mål \($0)", value: $0 * 3, href: nil, goalClass: "goal-\($0)", position: $0) }
        let first = Views.barChart(rows, id: "c", title: "T", description: "D")
        XCTAssertEqual(first, Views.barChart(rows, id: "c", title: "T", description: "D"))
        XCTAssertEqual(first.components(separatedBy: "<rect").count - 1, 4)
        XCTAssertTrue(first.contains("viewBox=\"0 0 420 160\""), "four rows of 40")
        XCTAssertTrue(first.contains("width=\"384\""), "the largest bar fills the width")
        let long = Views.barChart([ChartRow(label: String(repeating: "ord ", count: 40), value: 1, href: nil, goalClass: nil, position: 1)], id: "l", title: "T", description: "D")
        XCTAssertEqual(long.components(separatedBy: "class=\"bar-label\"").count - 1, 2, "a long name takes two lines, no more")
        XCTAssertTrue(long.contains("…</text>"))
    }

    func testShortTitlesInTablesAndBreadcrumbs() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen och allt som växer där, i alla delar av regionen\nshort_title: Skogen\nnumber: 2\ngoals: [miljo, halsa]\n---\nSkog.\n")
        let files = box.files(Site.generate(box.options))
        let page = try XCTUnwrap(files["insatser/skog.html"])
        XCTAssertTrue(page.contains("<h1>Skogen och allt som växer där, i alla delar av regionen</h1>"), "the full title stays the heading")
        XCTAssertTrue(page.contains("<span aria-current=\"page\">Skogen</span>"), "the breadcrumb uses the short title")
    }

    func testTheMenuFollowsSiteYml() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("site.yml", """
            languages: [sv, en]
            title: { sv: Testavtalet, en: The Test Agreement }
            menu: [home, actions, goals, { page: om, label: { sv: Om, en: About us } }]
            contact: { organisation: Förbundet, phone: "+46 40 123 45" }
            """)
        let files = box.files(Site.generate(box.options))
        let home = try XCTUnwrap(files["index.html"])
        let nav = try XCTUnwrap(home.components(separatedBy: "main-nav").dropFirst().first?.components(separatedBy: "</nav>").first)
        let order = ["index.html", "insatser/index.html", "mal/index.html", "om.html"].map { nav.range(of: "href=\"\($0)\"")!.lowerBound }
        XCTAssertEqual(order, order.sorted(), "in site.yml's order")
        XCTAssertTrue(nav.contains(">Om</a>"))
        XCTAssertFalse(nav.contains("principer/index.html"), "sections site.yml leaves out are not in the menu")
        XCTAssertTrue(try XCTUnwrap(files["en/index.html"]).contains(">About us</a>"))
        assertBuildRefused("menu names page 'borta', which is not in content/pages/", file: "content/site.yml:3:21") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\nmenu: [home, goals, page:borta]\n")
        }
        assertBuildRefused("menu item 'nyheter' is not home, a section", file: "content/site.yml:3:14") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\nmenu: [home, nyheter]\n")
        }
    }
}
