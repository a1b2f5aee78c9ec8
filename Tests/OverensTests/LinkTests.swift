import XCTest
@testable import Overens

final class CrossReferenceTests: XCTestCase {
    func testBacklinksAreComputedBothWays() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        let files = Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, String(decoding: $0.data, as: UTF8.self)) })
        // The health goal lists both actions; the environment goal only the forest.
        XCTAssertTrue(try XCTUnwrap(files["mal/halsa.html"], "mal/halsa.html is written").contains("href=\"../insatser/idrott.html\""))
        XCTAssertTrue(try XCTUnwrap(files["mal/halsa.html"], "mal/halsa.html is written").contains("href=\"../insatser/skog.html\""))
        XCTAssertFalse(try XCTUnwrap(files["mal/miljo.html"], "mal/miljo.html is written").contains("idrott.html"))
        // The party lists the actions it carries; the news item and the action name each other.
        XCTAssertTrue(try XCTUnwrap(files["parter/forbundet.html"], "parter/forbundet.html is written").contains("../insatser/skog.html"))
        XCTAssertTrue(try XCTUnwrap(files["insatser/idrott.html"], "insatser/idrott.html is written").contains("../nyheter/start.html"))
        XCTAssertTrue(try XCTUnwrap(files["nyheter/start.html"], "nyheter/start.html is written").contains("../insatser/idrott.html"))
        // English pages link English pages with English slugs.
        XCTAssertTrue(try XCTUnwrap(files["en/goals/health.html"], "en/goals/health.html is written").contains("href=\"../actions/sport.html\""))
    }

    func testInlineLinksResolvePerLanguage() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let files = Dictionary(uniqueKeysWithValues: Site.generate(box.options).files.map { ($0.path, String(decoding: $0.data, as: UTF8.self)) })
        XCTAssertTrue(try XCTUnwrap(files["insatser/idrott.html"], "insatser/idrott.html is written").contains("<a href=\"../mal/halsa.html\">målet</a>"))
        XCTAssertTrue(try XCTUnwrap(files["en/actions/sport.html"], "en/actions/sport.html is written").contains("<a href=\"../goals/health.html\">the goal</a>"))
    }

    func testUnknownReferencesAreReportedWhereWritten() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, nope]\nparties: [forbundet]\n---\nSe [x](party:ingen).\n")
        let result = Site.generate(box.options)
        let messages = result.errors.map(\.description)
        XCTAssertTrue(messages.contains { $0.hasPrefix(box.content + "/actions/skog.sv.md:4:16: error: unknown goal 'nope'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix(box.content + "/actions/skog.sv.md:7:") && $0.contains("unknown party 'ingen'") }, "\(messages)")
    }

    func testTranslationsMustAgreeOnNeutralFields() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.en.md", "---\ntitle: The forest\nnumber: 3\n---\n")
        let errors = Site.generate(box.options).errors
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?.location.line, 3)
        XCTAssertTrue(errors.first!.message.contains("'number' is '3' here but '2'"), errors.first!.message)
    }

    func testDuplicateActionNumber() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/tredje.sv.md", "---\ntitle: Tredje\nnumber: 2\ngoals: [miljo]\n---\n")
        let errors = Site.generate(box.options).errors
        // Either file may be the one just edited: each is told which other one has the number.
        XCTAssertTrue(errors.contains { $0.message.contains("action number 2 is also used by \(box.content)/actions/skog.sv.md") && $0.location.path.hasSuffix("tredje.sv.md") && $0.location.line == 3 }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.message.contains("action number 2 is also used by \(box.content)/actions/tredje.sv.md") && $0.location.path.hasSuffix("skog.sv.md") && $0.location.line == 3 }, "\(errors)")
        XCTAssertTrue(errors.allSatisfy { $0.message.contains("(3 is free)") }, "\(errors)")
    }

    func testSlugCollisionIsReported() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/annan.sv.md", "---\ntitle: Annan\nnumber: 9\ngoals: [miljo]\nslug: skog\n---\n")
        let errors = Site.generate(box.options).errors
        XCTAssertTrue(errors.contains { $0.message.contains("two pages would be written to insatser/skog.html") }, "\(errors)")
    }

    func testUntranslatedPageIsShownInTheDefaultLanguageWithANote() {
        let box = Sandbox()
        box.writeMinimalSite()
        try? FileManager.default.removeItem(atPath: box.content + "/news/start.en.md")
        let result = Site.generate(box.options)
        XCTAssertTrue(result.warnings.contains { $0.message.contains("no translation into en") })
        let page = String(decoding: result.files.first { $0.path == "en/news/start.html" }!.data, as: UTF8.self)
        XCTAssertTrue(page.contains("<html lang=\"en\">"))
        XCTAssertTrue(page.contains("<h1 lang=\"sv\">Start</h1>"), "the Swedish title is marked as Swedish")
        XCTAssertTrue(page.contains("<div class=\"body\" lang=\"sv\"><p>Nu börjar vi.</p>"), "the Swedish text is marked as Swedish")
        XCTAssertFalse(page.contains("<main id=\"main\" tabindex=\"-1\" lang=\"sv\">"), "the English words around it are not")
        XCTAssertTrue(page.contains("has not been translated into English"))
    }

    func testContentLinksMayNameAPlaceInThePage() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSe [avsnittet](goal:halsa#mal) och [fel](goal:saknas#mal).\n")
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors.map(\.message), ["unknown goal 'saknas'; expected one of: halsa, miljo"], "the fragment is not part of the id")
        XCTAssertEqual(result.errors.first?.location.line, 7, "the line of the link in the file")
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSe [avsnittet](goal:halsa#mal).\n")
        let page = Site.generate(box.options).files.first { $0.path == "insatser/skog.html" }.map { String(decoding: $0.data, as: UTF8.self) } ?? ""
        XCTAssertTrue(page.contains("href=\"../mal/halsa.html#mal\""), page)
    }

    func testNeighboursAreThePagesThatListAnEntry() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let graph = try XCTUnwrap(SiteSession(box.options).link(changed: nil).renderer?.graph)
        func keys(_ pairs: [(Kind, String)]) -> Set<EntryKey> { Set(pairs.map { EntryKey(kind: $0.0, id: $0.1) }) }
        XCTAssertEqual(graph.neighbours(of: keys([(.action, "idrott")])), keys([(.goal, "halsa"), (.party, "forbundet"), (.news, "start")]))
        XCTAssertEqual(graph.neighbours(of: keys([(.goal, "halsa")])), keys([(.action, "idrott"), (.action, "skog")]))
        XCTAssertEqual(graph.neighbours(of: keys([(.news, "start")])), keys([(.action, "idrott")]))
        XCTAssertEqual(graph.neighbours(of: keys([(.page, "om")])), [])
    }

    func testWarningsForCheck() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("goals/ensam.sv.md", "---\ntitle: Ensam\norder: 3\n---\n")
        box.write("goals/ensam.en.md", "---\ntitle: Alone\n---\n")
        box.write("actions/utan.sv.md", "---\ntitle: Utan part\nnumber: 5\ngoals: [halsa]\n---\n")
        box.write("actions/utan.en.md", "---\ntitle: Without party\n---\n")
        let warnings = Site.generate(box.options).warnings.map(\.message)
        XCTAssertTrue(warnings.contains { $0.contains("no action serves goal 'ensam'") }, "\(warnings)")
        // Who carries an action is a fact a source must give: none named is no problem.
        XCTAssertFalse(warnings.contains { $0.contains("utan") }, "\(warnings)")
    }
}
