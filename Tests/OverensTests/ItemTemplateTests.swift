import Foundation
import XCTest
@testable import Overens

/// Item templates (`templates/items/`): a list's links drawn once per entry, language and
/// folder. A theme that moves its list items there must get the same pages.
final class ItemTemplateTests: XCTestCase {
    /// The fixture theme with each list partial's item moved to `templates/items/<name>`.
    private func themeWithItems(_ box: Sandbox) throws -> [String] {
        let partials = box.theme + "/templates/partials/"
        try FileManager.default.createDirectory(atPath: box.theme + "/templates/items", withIntermediateDirectories: true)
        var moved: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: partials).sorted() {
            let text = try String(contentsOfFile: partials + name, encoding: .utf8)
            guard let open = text.range(of: "{{#links}}\n  "), let close = text.range(of: "\n{{/links}}", range: open.upperBound..<text.endIndex) else { continue }
            let item = String(name.dropLast(".mustache".count))
            box.write(box.theme + "/templates/items/\(name)", String(text[open.upperBound..<close.lowerBound]))
            box.write(partials + name, text.replacingCharacters(in: open.upperBound..<close.lowerBound, with: "{{{item.\(item)}}}"))
            moved.append(item)
        }
        // The actions table's cells: one per goal and answer, whatever the row.
        let actions = box.theme + "/templates/actions.mustache"
        var table = try String(contentsOfFile: actions, encoding: .utf8)
        var cell = 0
        while let open = table.range(of: "{{#cells}}"), let close = table.range(of: "{{/cells}}", range: open.upperBound..<table.endIndex) {
            cell += 1
            box.write(box.theme + "/templates/items/cell-\(cell).mustache", String(table[open.upperBound..<close.lowerBound]))
            table.replaceSubrange(open.lowerBound..<close.upperBound, with: "{{#each_cell}}{{{item.cell-\(cell)}}}{{/each_cell}}")
            moved.append("cell-\(cell)")
        }
        box.write(actions, table.replacingOccurrences(of: "each_cell", with: "cells"))
        return moved
    }

    /// Leading white space aside: an item's inner lines do not take the indentation of the
    /// partial that includes the list, which is all that may differ.
    private func unindented(_ html: String) -> String {
        html.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " || $0 == "\t" } }.joined(separator: "\n")
    }

    func testAThemeWithItemTemplatesMakesTheSamePages() throws {
        let inline = Sandbox(copyTheme: true)
        inline.writeMinimalSite()
        let items = Sandbox(copyTheme: true)
        items.writeMinimalSite()
        let moved = try themeWithItems(items)
        XCTAssertTrue(Set(["links", "summary-links", "action-list", "cards", "cell-1", "cell-2"]).isSubset(of: moved), "\(moved)")

        XCTAssertEqual(Site.build(inline.options).errors.map(\.description), [])
        XCTAssertEqual(Site.build(items.options).errors.map(\.description), [])
        let pages = snapshot(inline.output).keys.filter { $0.hasSuffix(".html") }.sorted()
        XCTAssertGreaterThan(pages.count, 20)
        for page in pages {
            XCTAssertEqual(unindented(items.read(page)), unindented(inline.read(page)), page)
        }
        // The same action, listed from two folders: each page links to it from where it is.
        let fromGoal = attributeValues("href", in: items.read("mal/halsa.html"))
        let fromSection = attributeValues("href", in: items.read("insatser/index.html"))
        XCTAssertTrue(fromGoal.contains("../insatser/idrott.html"), "\(fromGoal)")
        XCTAssertTrue(fromSection.contains("idrott.html"), "\(fromSection)")
        XCTAssertTrue(items.read("en/goals/health.html").contains(">Sport for all<"))
        // The table has both answers for a goal: action 1 serves only the first goal.
        let table = items.read("insatser/index.html")
        XCTAssertTrue(table.contains("class=\"yes ") && table.contains("class=\"no\""), table)
    }

    func testAnItemTemplateThatDoesNotExistIsReportedAtItsTag() {
        assertBuildRefused("no item template 'lnk'", line: 4, file: "theme/templates/partials/links.mustache") { box in
            box.write(box.theme + "/templates/items/link.mustache", "<li><a href=\"{{href}}\">{{title}}</a></li>")
            box.write(box.theme + "/templates/partials/links.mustache", "{{^empty}}\n<ul>\n{{#links}}\n  {{{item.lnk}}}\n{{/links}}\n</ul>\n{{/empty}}\n")
        }
    }

    func testAnItemTemplateMaySeeOnlyTheLinkAndItsFolder() {
        // The page's title differs from page to page of a folder: an item drawn once cannot show it.
        assertBuildRefused("item template uses 'page_title'", line: 2, file: "theme/templates/items/link.mustache") { box in
            box.write(box.theme + "/templates/items/link.mustache", "<li><a href=\"{{href}}\">{{title}}</a>\n{{page_title}}</li>")
            box.write(box.theme + "/templates/partials/links.mustache", "{{^empty}}\n<ul>\n{{#links}}\n  {{{item.link}}}\n{{/links}}\n</ul>\n{{/empty}}\n")
        }
        // An item that drew items could go on for ever.
        assertBuildRefused("item template uses 'item'", line: 1, file: "theme/templates/items/link.mustache") { box in
            box.write(box.theme + "/templates/items/other.mustache", "<b>{{title}}</b>")
            box.write(box.theme + "/templates/items/link.mustache", "<li>{{{item.other}}}</li>")
            box.write(box.theme + "/templates/partials/links.mustache", "{{^empty}}\n<ul>\n{{#links}}\n  {{{item.link}}}\n{{/links}}\n</ul>\n{{/empty}}\n")
        }
    }

    func testItemsAreKeptForTheLastFoldersOnly() {
        // A large site would otherwise keep a copy of each item for every folder listing it.
        let cache = ItemCache()
        let key = ItemKey(template: "items/link", kind: .action, id: "idrott")
        var drawn = 0
        func html(_ folder: String) -> String {
            cache.html(ItemFolder(language: "sv", folder: Substring(folder)), key) { drawn += 1; return "<li>\(folder)</li>" }
        }
        XCTAssertEqual(html("mal/"), "<li>mal/</li>")
        XCTAssertEqual(html("mal/"), "<li>mal/</li>")
        XCTAssertEqual(drawn, 1, "drawn once while its folder is kept")
        for folder in (1...ItemCache.folders).map({ "f\($0)/" }) { _ = html(folder) }
        XCTAssertEqual(html("mal/"), "<li>mal/</li>", "drawn again, the same, once its folder was let go")
        XCTAssertEqual(drawn, ItemCache.folders + 2)
    }
}
