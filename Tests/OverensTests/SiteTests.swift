import XCTest
@testable import Overens

/// Builds the real content/ and reads every page as a reader's browser would.
final class RealSiteTests: XCTestCase {
    // XCTest runs one test at a time.
    nonisolated(unsafe) static var built: (root: String, result: BuildResult)?

    func site() throws -> (root: String, result: BuildResult) {
        if let built = Self.built { return built }
        let output = TestFolders.make("real")
        let result = Site.build(BuildOptions(content: Repo.content, theme: Repo.theme, output: output))
        XCTAssertEqual(result.errors, [], "the real content builds without errors")
        Self.built = (output, result)
        return (output, result)
    }

    /// Every HTML file the build wrote, read back from disk.
    func pages() throws -> [(path: String, html: String)] {
        let (root, _) = try site()
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        return (walker.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") }.sorted().map { path in
            (path, (try? String(contentsOfFile: root + "/" + path, encoding: .utf8)) ?? "")
        }
    }

    func testEveryInternalLinkResolvesToAFile() throws {
        let (root, _) = try site()
        let config = try XCTUnwrap(SiteConfig.parse(try String(contentsOfFile: Repo.content + "/site.yml", encoding: .utf8), path: "site.yml", diagnostics: DiagnosticBag()))
        // 404.html is shown at any address: its links are absolute paths under base_url's.
        var basePath = try XCTUnwrap(config.baseURL.flatMap { URL(string: $0)?.path })
        if !basePath.hasSuffix("/") { basePath += "/" }
        var broken: [String] = []
        for (path, html) in try pages() {
            for link in attributeValues("href", in: html) + attributeValues("src", in: html) {
                if link.hasPrefix("#") || link.hasPrefix("mailto:") || link.contains("://") { continue }
                var target = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                var dir = (path as NSString).deletingLastPathComponent
                if link.hasPrefix("/") {
                    guard path == "404.html", target.hasPrefix(basePath) else { broken.append("\(path) → \(link) (absolute)"); continue }
                    target = String(target.dropFirst(basePath.count))
                    dir = ""
                }
                let resolved = URL(fileURLWithPath: root + "/" + dir + "/" + target).standardizedFileURL.path
                var isDir: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: resolved, isDirectory: &isDir)
                if !exists || isDir.boolValue || !resolved.hasPrefix(root + "/") { broken.append("\(path) → \(link)") }
            }
        }
        XCTAssertEqual(broken, [])
    }

    func testEveryPageHasTheRightLanguage() throws {
        let (_, result) = try site()
        let config = try XCTUnwrap(SiteConfig.parse(try String(contentsOfFile: Repo.content + "/site.yml", encoding: .utf8), path: "site.yml", diagnostics: DiagnosticBag()))
        for (path, html) in try pages() {
            let first = String(path.split(separator: "/").first ?? "")
            let expected = config.languages.dropFirst().contains(first) ? first : config.defaultLanguage
            XCTAssertTrue(html.contains("<html lang=\"\(expected)\">"), path)
        }
        XCTAssertGreaterThan(result.pages[config.defaultLanguage] ?? 0, 50)
    }

    func testActionsLinkTheirGoalsAndGoalsListExactlyTheirActions() throws {
        let (root, _) = try site()
        let bag = DiagnosticBag()
        let loaded = try XCTUnwrap(ContentLoader.load(contentDirectory: Repo.content, diagnostics: bag))
        let config = try XCTUnwrap(SiteConfig.parse(loaded.configText, path: loaded.configPath, diagnostics: bag))
        let graph = SiteGraph.link(config: config, files: loaded.files.compactMap { ContentParser.parse($0, diagnostics: bag) }, diagnostics: bag)
        let theme = try XCTUnwrap(Theme.load(directory: Repo.theme, languages: config.languages, diagnostics: bag))
        let paths = try XCTUnwrap(Renderer(graph: graph, theme: theme, diagnostics: bag)).paths
        XCTAssertEqual(graph.all(.action).count, 20, "all twenty actions of the development plan")
        XCTAssertEqual(graph.all(.goal).count, 6)
        XCTAssertEqual(graph.all(.principle).count, 6)
        for language in config.languages {
            for action in graph.all(.action) {
                let from = paths.page(action, language)
                let html = try String(contentsOfFile: root + "/" + from, encoding: .utf8)
                for goal in action.fields.goals {
                    let href = Paths.relative(from: from, to: paths.page(try XCTUnwrap(graph.entry(.goal, goal.id)), language))
                    XCTAssertTrue(html.contains("href=\"\(href)\""), "\(from) links goal \(goal.id)")
                }
            }
            for goal in graph.all(.goal) {
                let from = paths.page(goal, language)
                let html = try String(contentsOfFile: root + "/" + from, encoding: .utf8)
                let section = html.components(separatedBy: "id=\"actions-heading\"").last!.components(separatedBy: "</section>").first!
                let linked = Set(attributeValues("href", in: section))
                let expected = Set(graph.all(.action).filter { $0.fields.goals.contains { $0.id == goal.id } }.map { Paths.relative(from: from, to: paths.page($0, language)) })
                XCTAssertEqual(linked, expected, "\(from) lists exactly its actions")
            }
        }
    }

    func testTranslationLinksAndHreflangArePairs() throws {
        let all = try pages()
        let byPath = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0.html) })
        func alternates(_ path: String, _ html: String) -> Set<String> {
            Set(html.components(separatedBy: "<link rel=\"alternate\" hreflang=\"").dropFirst().map { chunk -> String in
                let lang = String(chunk.prefix { $0 != "\"" })
                let href = attributeValues("href", in: " " + chunk).first ?? ""
                return lang + " " + (href.contains("://") ? sitePath(of: href) : resolve(href, from: path))
            })
        }
        for (path, html) in all where path != "404.html" {
            // hreflang alternates: each page names itself and its translations, and each of those names the same set.
            let mine = alternates(path, html)
            XCTAssertGreaterThanOrEqual(mine.count, 2, path)
            XCTAssertTrue(mine.contains { $0.hasSuffix(" " + path) }, "\(path) names itself")
            for entry in mine {
                let target = String(entry.split(separator: " ", maxSplits: 1)[1])
                guard let other = byPath[target] else { XCTFail("\(path): alternate \(entry) is no page"); continue }
                XCTAssertEqual(alternates(target, other), mine, "\(target) and \(path) name each other")
            }
            // The language switcher links the same page in the other language, and that page links back.
            let switcher = html.components(separatedBy: "class=\"language-switcher\"").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
            for href in attributeValues("href", in: switcher) {
                let target = resolve(href, from: path)
                guard let other = byPath[target] else { XCTFail("\(path): switcher \(href) is no page"); continue }
                let back = other.components(separatedBy: "class=\"language-switcher\"").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
                XCTAssertTrue(attributeValues("href", in: back).map { resolve($0, from: target) }.contains(path), "\(target) switches back to \(path)")
            }
        }
    }

    func testTwoBuildsAreByteIdentical() throws {
        let a = Site.generate(BuildOptions(content: Repo.content, theme: Repo.theme))
        let b = Site.generate(BuildOptions(content: Repo.content, theme: Repo.theme))
        XCTAssertEqual(a.files.map(\.path), b.files.map(\.path))
        XCTAssertEqual(a.files.map(\.data), b.files.map(\.data))
    }

    func testTheCommittedSiteMatchesAFreshBuild() throws {
        let fresh = Site.generate(BuildOptions(content: Repo.content, theme: Repo.theme))
        var differing: [String] = []
        for file in fresh.files where FileManager.default.contents(atPath: Repo.root + "/site/" + file.path) != file.data {
            differing.append(file.path)
        }
        XCTAssertEqual(differing, [], "run 'make site' and commit site/")
    }

    /// The next editor keeps the content true from docs/SOURCES.md: every entry is there.
    func testSourcesDocumentNamesEveryContentEntry() throws {
        let sources = try String(contentsOfFile: Repo.root + "/docs/SOURCES.md", encoding: .utf8)
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: Repo.content))
        var missing: [String] = []
        for case let path as String in walker where path.hasSuffix(".md") {
            let id = String((path as NSString).lastPathComponent.prefix { $0 != "." })
            if !sources.contains(id) { missing.append(path) }
        }
        XCTAssertEqual(missing, [], "docs/SOURCES.md says nothing of these")
    }

    func testEveryFactBearingEntryNamesAPublishedSource() throws {
        let result = try site().result
        XCTAssertEqual(result.errors, [])
        let linked = SiteSession(BuildOptions(content: Repo.content, theme: Repo.theme)).link(changed: nil)
        let graph = try XCTUnwrap(linked.renderer?.graph)
        XCTAssertFalse(graph.all(.document).isEmpty)
        for kind in [Kind.action, .goal, .principle, .party] {
            for entry in graph.all(kind) {
                XCTAssertFalse(entry.fields.sources.isEmpty, "\(kind) \(entry.id) names a source")
                for source in entry.fields.sources {
                    let document = try XCTUnwrap(graph.entry(.document, source.id), "\(source.id) is a document")
                    for language in graph.config.languages {
                        let page = try site().root + "/" + linked.renderer!.paths.page(document, language)
                        XCTAssertTrue(FileManager.default.fileExists(atPath: page), "\(page) is published")
                    }
                }
            }
        }
    }

    func testStrictCheckPassesOnTheRealContent() throws {
        let result = Site.generate(BuildOptions(content: Repo.content, theme: Repo.theme))
        XCTAssertEqual(result.diagnostics.map(\.description), [])
    }

    // Helpers: resolve a relative href against a page's site path.
    func resolve(_ href: String, from path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let joined = URL(fileURLWithPath: "/" + dir + "/" + href).standardizedFileURL.path
        return String(joined.dropFirst())
    }

    func sitePath(of url: String) -> String {
        guard let base = try? String(contentsOfFile: Repo.content + "/site.yml", encoding: .utf8).split(separator: "\n").first(where: { $0.hasPrefix("base_url:") }) else { return url }
        let prefix = base.dropFirst("base_url:".count).trimmingCharacters(in: .whitespaces)
        return url.hasPrefix(prefix) ? String(url.dropFirst(prefix.count)) : url
    }
}

/// Another region's agreement builds from its own content with no code change.
final class OtherRegionTests: XCTestCase {
    func testAnotherRegionBuildsWithItsOwnContent() throws {
        let box = Sandbox()
        box.write("site.yml", """
            languages: [sv, en]
            title: { sv: Överenskommelsen Norrbotten, en: The Norrbotten Agreement }
            strategy: { sv: Regional utvecklingsstrategi för Norrbotten, en: Norrbotten's regional development strategy }
            """)
        box.write("goals/arktis.sv.md", "---\ntitle: Ett attraktivt Norrbotten\norder: 1\n---\nMål.\n")
        box.write("goals/arktis.en.md", "---\ntitle: An attractive Norrbotten\nslug: attractive\n---\nGoal.\n")
        box.write("goals/kompetens.sv.md", "---\ntitle: Kompetensförsörjning\norder: 2\n---\nMål.\n")
        box.write("actions/sok.sv.md", "---\ntitle: Samverkan och överenskommelse (SÖK)\nnumber: 1\ngoals: [arktis, kompetens]\nparties: [region-norrbotten]\n---\nProjektet [SÖK](goal:kompetens).\n")
        box.write("actions/sok.en.md", "---\ntitle: Cooperation and agreement\nslug: cooperation\n---\nThe project.\n")
        box.write("parties/region-norrbotten.sv.md", "---\ntitle: Region Norrbotten\nsector: public\n---\nRegionen.\n")
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertTrue(box.read("index.html").contains("Överenskommelsen Norrbotten"))
        XCTAssertTrue(box.read("en/index.html").contains("The Norrbotten Agreement"))
        XCTAssertTrue(box.read("insatser/sok.html").contains("href=\"../mal/arktis.html\""))
        XCTAssertTrue(box.read("en/actions/cooperation.html").contains("href=\"../goals/attractive.html\""))
        XCTAssertTrue(box.read("mal/kompetens.html").contains("Samverkan och överenskommelse (SÖK)"))
        XCTAssertFalse(box.read("index.html").contains("Skåne"), "nothing of another region leaks in")
        XCTAssertFalse(box.read("insatser/index.html").contains("Skåne"))
    }

    func testAPartyWithoutSectorOrYearShowsNeither() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("parties/foreningen.sv.md", "---\ntitle: Föreningen\n---\nDeltog i samrådet.\n")
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [], "sector is optional: a source may not give it")
        let page = box.read("parter/foreningen.html")
        XCTAssertFalse(page.contains("class=\"kicker\""), "no sector and no year: no line that would have to guess them")
        XCTAssertFalse(page.contains("false"))
        XCTAssertTrue(box.read("parter/forbundet.html").contains("<p class=\"kicker\">Idéburen sektor · "), "a given sector and year are shown")
        // The section lists it after the sectors, under a heading that claims none.
        let index = box.read("parter/index.html")
        let sector = try XCTUnwrap(index.range(of: "<h2>Idéburen sektor</h2>"))
        let unstated = try XCTUnwrap(Theme.load(directory: Repo.fixtureTheme, languages: ["sv"], diagnostics: DiagnosticBag())).string("sv", "sectors.unstated")
        let others = try XCTUnwrap(index.range(of: "<h2>\(unstated)</h2>"))
        let listed = try XCTUnwrap(index.range(of: "Föreningen"))
        XCTAssertLessThan(sector.lowerBound, others.lowerBound)
        XCTAssertLessThan(others.lowerBound, listed.lowerBound)
    }

    func testThreeLanguagesNeedOnlyContentAndStrings() throws {
        let box = Sandbox(copyTheme: true)
        box.write("site.yml", "languages: [fi, sv]\ntitle: { fi: Sopimus, sv: Avtalet }\n")
        box.write("goals/a.fi.md", "---\ntitle: Tavoite\norder: 1\n---\nTeksti.\n")
        box.write("actions/b.fi.md", "---\ntitle: Toimenpide\nnumber: 1\ngoals: [a]\n---\n")
        var strings = try String(contentsOfFile: box.theme + "/strings/en.yml", encoding: .utf8)
        strings = strings.replacingOccurrences(of: "locale: en_GB", with: "locale: fi_FI").replacingOccurrences(of: "language_name: English", with: "language_name: Suomi")
        box.write(box.theme + "/strings/fi.yml", strings)
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertTrue(box.read("index.html").contains("<html lang=\"fi\">"))
        XCTAssertTrue(box.read("sv/index.html").contains("<html lang=\"sv\">"))
        XCTAssertTrue(box.read("sv/insatser/b.html").contains("lang=\"fi\""), "untranslated text is marked as Finnish")
    }

    func testNoRegionPartyOrStrategyNameInSources() throws {
        let names = ["Skåne", "Skane", "skane", "NÄTVERKET", "Nätverket", "Länsstyrelsen", "Region Skåne", "öppna Skåne", "Norrbotten", "Idéburen sektor"]
        var found: [String] = []
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: Repo.sources))
        for case let path as String in walker where path.hasSuffix(".swift") || path.hasSuffix(".h") {
            let text = try String(contentsOfFile: Repo.sources + "/" + path, encoding: .utf8)
            for name in names where text.contains(name) { found.append("\(path): \(name)") }
        }
        XCTAssertEqual(found, [])
    }

    /// `overens check` draws every page without keeping them; it must still find all that
    /// a build finds, including what only drawing a page shows (a name no page provides).
    func testCheckFindsWhatABuildFindsWithoutKeepingThePages() throws {
        let box = Sandbox(copyTheme: true)
        box.writeMinimalSite()
        let template = box.theme + "/templates/news.mustache"
        let text = try String(contentsOfFile: template, encoding: .utf8)
        try text.replacingOccurrences(of: "{{$main}}", with: "{{$main}}{{nobody_provides_this}}").write(toFile: template, atomically: true, encoding: .utf8)

        let found = Site.check(box.options)
        XCTAssertEqual(found, Site.generate(box.options).diagnostics)
        XCTAssertTrue(found.contains { $0.severity == .error && $0.message.contains("'nobody_provides_this'") }, "\(found)")
    }
}
