import Mustache
import XCTest
@testable import Overens

/// The typed view models answer the names the theme uses, with the values a reader sees.
final class ViewModelTests: XCTestCase {
    var box: Sandbox!
    var renderer: Renderer!

    override func setUpWithError() throws {
        box = Sandbox()
        box.writeMinimalSite()
        // An English page left untranslated: shown in Swedish words.
        box.write("pages/kontakt.sv.md", "---\ntitle: Kontakt\n---\nSkriv till oss.\n")
        let bag = DiagnosticBag()
        let loaded = try XCTUnwrap(ContentLoader.load(contentDirectory: box.content, diagnostics: bag))
        let config = try XCTUnwrap(SiteConfig.parse(loaded.configText, path: loaded.configPath, diagnostics: bag))
        let graph = SiteGraph.link(config: config, files: loaded.files.compactMap { ContentParser.parse($0, diagnostics: bag) }, diagnostics: bag)
        let theme = try XCTUnwrap(Theme.load(directory: box.theme, languages: config.languages, diagnostics: bag))
        renderer = try XCTUnwrap(Renderer(graph: graph, theme: theme, diagnostics: bag))
        XCTAssertFalse(bag.hasErrors)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: box.root)
    }

    /// A dotted name as swift-mustache follows it from the page root.
    func value(_ page: PageView, _ dotted: String, recorder: MissRecorder = MissRecorder()) -> Any? {
        var node: Any? = Strict(view: page, recorder: recorder)
        for part in dotted.split(separator: ".") { node = (node as? MustacheParent)?.child(named: String(part)) }
        return node
    }

    func entryPage(_ kind: Kind, _ id: String, _ language: String) throws -> PageView {
        renderer.page(for: .entry(try XCTUnwrap(renderer.graph.entry(kind, id)), language))
    }

    func t(_ key: String, _ language: String = "sv") -> String { renderer.theme.string(language, key) }

    func testEveryPageKindHasTheFrame() throws {
        var pages = [renderer.page(for: .home("sv")), renderer.page(for: .search("sv")), renderer.page(for: .notFound)]
        for kind in [Kind.goal, .action, .principle, .party, .news] { pages.append(renderer.page(for: .section(kind, "sv"))) }
        pages.append(try entryPage(.page, "om", "sv"))
        XCTAssertEqual(pages.map(\.template), ["home", "search", "404", "section", "actions", "section", "section", "section", "page"])
        for page in pages {
            XCTAssertEqual(value(page, "lang") as? String, "sv", page.template)
            XCTAssertEqual(value(page, "t.nav.home") as? String, t("nav.home"), page.template)
            XCTAssertEqual(value(page, "site.title") as? String, "Testavtalet", page.template)
            XCTAssertEqual((value(page, "nav") as? [NavItem])?.first?.label, t("nav.home"), page.template)
            for key in Renderer.sharedFrameKeys { XCTAssertNotNil(value(page, key), "\(page.template): \(key)") }
        }
    }

    func testHomeAndSections() throws {
        let home = renderer.page(for: .home("en"))
        XCTAssertEqual((value(home, "goals.links") as? [LinkView])?.map(\.title), ["Good health", "Clean environment"])
        XCTAssertEqual(value(home, "actions_count") as? Int, 2)
        XCTAssertEqual(value(home, "has_news") as? Bool, true)
        XCTAssertEqual(value(home, "page_title") as? String, "The Test Agreement")

        let actions = renderer.page(for: .section(.action, "sv"))
        let rows = try XCTUnwrap(value(actions, "rows") as? [ActionRow])
        XCTAssertEqual(rows.map(\.link.title), ["Idrott för alla", "Skogen"])
        XCTAssertEqual(rows[0].cells.map(\.yes), [true, false], "Idrott serves only the first goal")
        XCTAssertEqual(rows[0].cells[0].child(named: "goal_class") as? String, "goal-1")
        XCTAssertEqual(value(actions, "groups") as? Bool, false, "only parties are grouped")

        let parties = renderer.page(for: .section(.party, "sv"))
        let groups = try XCTUnwrap(value(parties, "groups") as? [ListGroup])
        XCTAssertEqual(groups.map(\.label), [t("sectors.nonprofit")])
        XCTAssertEqual(groups[0].items.links.first?.child(named: "sector") as? String, t("sector.nonprofit"))
        XCTAssertNil(rows[0].link.child(named: "sector"), "only party links have a sector")
    }

    func testItemPages() throws {
        let action = try entryPage(.action, "idrott", "en")
        XCTAssertEqual(value(action, "page_title") as? String, "Sport for all")
        XCTAssertEqual(value(action, "number") as? Int, 1)
        XCTAssertEqual(value(action, "status.key") as? String, "ongoing")
        XCTAssertEqual(value(action, "status.label") as? String, t("status.ongoing", "en"))
        XCTAssertEqual((value(action, "goals.links") as? [LinkView])?.map(\.href), ["../goals/health.html"])
        XCTAssertEqual((value(action, "news.links") as? [LinkView])?.map(\.id), ["start"])
        XCTAssertEqual(value(action, "summary") as? Bool, false, "no summary: {{#summary}} skips it")
        XCTAssertTrue((value(action, "body") as? String ?? "").contains("href=\"../goals/health.html\""))

        let goal = try entryPage(.goal, "miljo", "sv")
        XCTAssertEqual(value(goal, "goal_class") as? String, "goal-2")
        XCTAssertEqual(value(goal, "position") as? Int, 2)
        XCTAssertEqual((value(goal, "actions.links") as? [LinkView])?.map(\.id), ["skog"])

        let party = try entryPage(.party, "forbundet", "sv")
        XCTAssertEqual(value(party, "kicker") as? String, "\(t("sector.nonprofit")) · \(t("joined")) 2012")
        XCTAssertEqual(value(party, "website") as? Bool, false)
        XCTAssertEqual((value(party, "actions.links") as? [LinkView])?.count, 2)

        let news = try entryPage(.news, "start", "sv")
        XCTAssertEqual(value(news, "date_iso") as? String, "2025-05-27")
        XCTAssertEqual((value(news, "actions.links") as? [LinkView])?.map(\.id), ["idrott"])
    }

    func testAnUntranslatedPageSaysSoAndLinksSayInWhichLanguage() throws {
        let page = try entryPage(.page, "kontakt", "en")
        XCTAssertEqual(value(page, "is_fallback") as? Bool, true)
        XCTAssertEqual(value(page, "content_lang") as? String, "sv")
        XCTAssertNotNil(value(page, "fallback_language_name") as? String)
        XCTAssertNil(value(try entryPage(.page, "om", "en"), "fallback_language_name"))
        let footer = try XCTUnwrap(value(page, "footer_pages") as? [LinkView])
        XCTAssertEqual(footer.first { $0.id == "kontakt" }?.child(named: "text_lang") as? String, "sv")
        XCTAssertEqual(footer.first { $0.id == "om" }?.child(named: "text_lang") as? Bool, false)
    }

    func testANameNoViewHasIsRecordedAtTheRootAndUnderDottedNodes() throws {
        let page = try entryPage(.action, "idrott", "sv")
        let recorder = MissRecorder()
        XCTAssertNil(value(page, "page_titel", recorder: recorder))
        XCTAssertNil(value(page, "t.nav.hem", recorder: recorder))
        XCTAssertNil(value(page, "site.titel", recorder: recorder))
        XCTAssertNotNil(value(page, "t.nav.home", recorder: recorder))
        XCTAssertEqual(recorder.misses, ["page_titel", "hem", "titel"])
    }

    func testAMisspeltVariableInATemplateFailsTheBuildAtItsLine() throws {
        let copy = Sandbox(copyTheme: true)
        defer { try? FileManager.default.removeItem(atPath: copy.root) }
        copy.writeMinimalSite()
        let template = copy.theme + "/templates/goal.mustache"
        let text = try String(contentsOfFile: template, encoding: .utf8)
        try text.replacingOccurrences(of: "{{{body}}}", with: "{{{body}}}{{page_titel}}").write(toFile: template, atomically: true, encoding: .utf8)
        let errors = Site.build(copy.options).errors
        let error = try XCTUnwrap(errors.first { $0.message.contains("'page_titel'") }, "\(errors)")
        XCTAssertEqual(error.location.path, template)
        XCTAssertGreaterThan(error.location.line, 1)

        let cached = Sandbox(copyTheme: true)
        defer { try? FileManager.default.removeItem(atPath: cached.root) }
        cached.writeMinimalSite()
        let nav = cached.theme + "/templates/cached/nav.mustache"
        try (String(contentsOfFile: nav, encoding: .utf8) + "{{page_title}}\n").write(toFile: nav, atomically: true, encoding: .utf8)
        let cachedErrors = Site.build(cached.options).errors
        XCTAssertTrue(cachedErrors.contains { $0.location.path == nav && $0.message.contains("'page_title'") }, "\(cachedErrors)")
    }
}
