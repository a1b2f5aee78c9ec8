import Foundation
import XCTest
@testable import Overens

/// A theme is code a site trusts: it may not write outside the output, publish files from
/// outside the theme, or bring the build down.
final class ThemeSafetyTests: XCTestCase {
    /// A minimal site with its own copy of the theme, whose Swedish strings get `edit`.
    func site(strings edit: (String) -> String = { $0 }) throws -> Sandbox {
        let box = Sandbox(copyTheme: true)
        box.writeMinimalSite()
        let path = box.theme + "/strings/sv.yml"
        try edit(String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        return box
    }

    /// Every file under `folder`, as paths relative to it.
    func files(under folder: String) -> Set<String> {
        Set((FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? [])
    }

    func testASearchSlugThatLeavesTheOutputIsRefusedWhereItIsWritten() throws {
        for (slug, why) in [("\"../../x\"", "slash"), ("\"\"", "empty"), ("/tmp/overens-escape", "slash"), (".hidden", "dot"), ("Sök", "other characters")] {
            let box = try site { $0.replacingOccurrences(of: "search_slug: sok", with: "search_slug: \(slug)") }
            let before = files(under: box.root)
            let result = Site.build(box.options)
            let error = try XCTUnwrap(result.errors.first { $0.location.path.hasSuffix("strings/sv.yml") }, "search_slug \(slug) is reported")
            XCTAssertEqual(error.location.line, 5, "at the line of search_slug: \(error)")
            XCTAssertTrue(error.message.contains("search_slug") && error.message.contains(why), error.message)
            XCTAssertEqual(files(under: box.root), before, "nothing written anywhere for \(slug)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/overens-escape.html"))
        }
    }

    func testSectionFoldersMustBeOneNameOfTheirOwn() throws {
        let box = try site { $0.replacingOccurrences(of: "  principle: principer", with: "  principle: mal") }
        let errors = Site.build(box.options).errors
        XCTAssertTrue(errors.contains { $0.location.line == 8 && $0.message.contains("folders.principle") && $0.message.contains("folders.goal") }, "\(errors)")
        let dotted = try site { $0.replacingOccurrences(of: "  news: nyheter", with: "  news: ../nyheter") }
        XCTAssertTrue(Site.build(dotted.options).errors.contains { $0.location.line == 11 && $0.message.contains("folders.news") })
    }

    func testAnUnknownLocaleIsAnError() throws {
        let box = try site { $0.replacingOccurrences(of: "locale: sv_SE", with: "locale: sv_XX_nonsense") }
        let errors = Site.build(box.options).errors
        XCTAssertTrue(errors.contains { $0.location.line == 2 && $0.message.contains("locale 'sv_XX_nonsense'") }, "\(errors)")
    }

    func testAnAssetLinkedToAFileOutsideTheThemeIsNotPublished() throws {
        let box = try site()
        let secret = box.root + "/secret.txt"
        try "password".write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: box.theme + "/assets/passwd.css", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: box.theme + "/assets/style-link.css", withDestinationPath: box.theme + "/assets/style.css")
        let result = Site.build(box.options)
        let error = try XCTUnwrap(result.errors.first { $0.location.path.hasSuffix("assets/passwd.css") })
        XCTAssertTrue(error.message.contains("outside the theme folder"), error.message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.output + "/assets/passwd.css"))
        XCTAssertFalse(result.errors.contains { $0.location.path.hasSuffix("style-link.css") }, "a link inside the theme is fine")
    }

    func testATemplateLinkedOutsideNamesTheThemeFolder() throws {
        let box = try site()
        let outside = box.root + "/outside.mustache"
        try "<p>x</p>".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: box.theme + "/templates/partials/outside.mustache", withDestinationPath: outside)
        let error = try XCTUnwrap(Site.build(box.options).errors.first { $0.location.path.hasSuffix("outside.mustache") })
        XCTAssertTrue(error.message.contains("outside the theme folder"), error.message)
    }

    /// Runs `overens check` on the sandbox as a separate process: a stack overflow kills
    /// the process, which must instead exit with status 1 and the message.
    func check(_ box: Sandbox) -> CLIRun {
        var run = CLIRun.run(["check", "--content", box.content, "--theme", box.theme])
        run.stdout += run.stderr   // messages, wherever the CLI prints them
        return run
    }

    /// Puts `tags` at the start of the page template's `main` block.
    func startPageMain(_ box: Sandbox, with tags: String) throws {
        let page = try String(contentsOfFile: box.theme + "/templates/page.mustache", encoding: .utf8)
        box.write(box.theme + "/templates/page.mustache", page.replacingOccurrences(of: "{{$main}}", with: "{{$main}}" + tags))
    }

    func testATemplateThatIncludesItselfIsAnErrorNotACrash() throws {
        let box = try site()
        box.write(box.theme + "/templates/partials/loop.mustache", "<p>\n  {{> partials/loop}}\n</p>\n")
        box.write(box.theme + "/templates/partials/ping.mustache", "{{#items}}{{> partials/pong}}{{/items}}\n")
        box.write(box.theme + "/templates/partials/pong.mustache", "{{> partials/ping}}\n")
        try startPageMain(box, with: "{{> partials/loop}}{{> partials/ping}}")
        let run = check(box)
        XCTAssertEqual(run.status, 1, "exit status 1 with a message, not a crash: \(run.stderr)")
        XCTAssertTrue(run.stdout.contains("partials/loop.mustache:2:3: error: template 'partials/loop' includes itself (partials/loop → partials/loop)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("includes itself (partials/ping → partials/pong → partials/ping)")
                      || run.stdout.contains("includes itself (partials/pong → partials/ping → partials/pong)"), "a cycle through another template, even inside a section: \(run.stdout)")
    }

    func testAnItemTemplateCountsAsAStepOfTheIncludeChain() throws {
        // An item is drawn inside the render of the list that names it: a chain through it
        // is as deep, and a cycle through it as endless, as one through partials.
        let box = try site()
        box.write(box.theme + "/templates/items/loop.mustache", "<li>{{> partials/loop-list}}</li>")
        box.write(box.theme + "/templates/partials/loop-list.mustache", "{{#links}}{{{item.loop}}}{{/links}}\n")
        let chain = (1...TemplateCheck.maxIncludeDepth).map { "partials/step-\($0)" }
        for (name, next) in zip(chain, chain.dropFirst()) { box.write(box.theme + "/templates/\(name).mustache", "{{> \(next)}}\n") }
        box.write(box.theme + "/templates/\(chain.last!).mustache", "end\n")
        box.write(box.theme + "/templates/items/deep.mustache", "{{> partials/step-1}}")
        box.write(box.theme + "/templates/partials/deep-list.mustache", "{{#links}}{{{item.deep}}}{{/links}}\n")
        let run = check(box)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("includes itself (items/loop → partials/loop-list → items/loop)")
                      || run.stdout.contains("includes itself (partials/loop-list → items/loop → partials/loop-list)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("partials/deep-list.mustache:1:11: error:") && run.stdout.contains("\(TemplateCheck.maxIncludeDepth + 1)"), run.stdout)
    }

    func testAPartialThatDrawsTheBlockItsPageFillsWithItIsACycle() throws {
        // The page fills `main` with the partial; the partial draws `main`, which is the
        // page's again: found by the fuzzer as a stack overflow.
        let box = try site()
        box.write(box.theme + "/templates/partials/again.mustache", "<div>\n{{$main}}{{/main}}\n</div>\n")
        try startPageMain(box, with: "{{> partials/again}}")
        let run = check(box)
        XCTAssertEqual(run.status, 1, "exit status 1 with a message, not a crash: \(run.stderr)")
        XCTAssertTrue(run.stdout.contains("partials/again.mustache:2:1: error: template 'partials/again' includes itself (partials/again → partials/again)"), run.stdout)
    }

    func testACycleHiddenBehindOtherDelimitersIsFound() throws {
        let box = try site()
        box.write(box.theme + "/templates/partials/loop.mustache", "{{=<% %>=}}\n<%> partials/loop%>\n")
        try startPageMain(box, with: "{{> partials/loop}}")
        let run = check(box)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("partials/loop.mustache:2:1: error: template 'partials/loop' includes itself"), run.stdout)
    }

    func testRunawayNestingAndDynamicPartialsAreErrors() throws {
        let box = try site()
        let deep = String(repeating: "{{#a}}", count: 10_000) + String(repeating: "{{/a}}", count: 10_000)
        box.write(box.theme + "/templates/partials/deep.mustache", "x\n" + deep + "\n")
        box.write(box.theme + "/templates/partials/chosen.mustache", "{{>*t.site_name}}\n")
        let run = check(box)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("partials/deep.mustache:2:"), run.stdout)
        XCTAssertTrue(run.stdout.contains("nested 51 deep") || run.stdout.contains("deep here; expected at most 50"), run.stdout)
        XCTAssertTrue(run.stdout.contains("partials/chosen.mustache:1:1: error: a partial chosen by data"), run.stdout)
    }

    func testTheRealThemePassesTheTemplateChecks() throws {
        let diagnostics = DiagnosticBag()
        XCTAssertNotNil(Theme.load(directory: Repo.theme, languages: ["sv", "en"], diagnostics: diagnostics))
        XCTAssertEqual(diagnostics.all, [])
    }
}

/// The smaller holes: formulas in the open data, impossible years, sizes, folder names
/// and paths in messages.
final class InputEdgeTests: XCTestCase {
    func testSpreadsheetFormulasInTheOpenDataAreDefused() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/idrott.sv.md", "---\ntitle: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"klick\\\")\"\nnumber: 1\ngoals: [halsa]\nsummary: \"@SUM(1+1)\"\n---\nText.\n")
        box.write("actions/idrott.en.md", "---\ntitle: \"+cmd\"\nsummary: \"-2+3\"\n---\nText.\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        let csv = box.read("data/actions.csv")
        let row = try XCTUnwrap(csv.split(separator: "\r\n").first { $0.hasPrefix("idrott,") }).description
        XCTAssertTrue(row.contains("\"'=HYPERLINK("), row)
        XCTAssertTrue(row.contains(",'@SUM(1+1),"), row)
        XCTAssertTrue(row.contains(",'+cmd,'-2+3,"), row)
        XCTAssertFalse(row.contains(",=") || row.contains(",@") || row.contains(",+") || row.contains(",-"), "no cell starts a formula: \(row)")
        XCTAssertTrue(box.read("data/actions.json").contains("\"=HYPERLINK("), "JSON is data, not a spreadsheet: unchanged")
    }

    func testYearsBefore1900AreRefused() throws {
        for (date, ok) in [("0000-01-01", false), ("1899-12-31", false), ("1900-01-01", true)] {
            let box = Sandbox()
            box.writeMinimalSite()
            box.write("news/start.sv.md", "---\ntitle: Start\ndate: \(date)\n---\nNu.\n")
            let errors = Site.build(box.options).errors
            if ok {
                XCTAssertEqual(errors, [], date)
            } else {
                XCTAssertTrue(errors.contains { $0.location.line == 3 && $0.message.contains("before 1900") }, "\(date): \(errors)")
            }
        }
    }

    func testSizesArePrintedExactly() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let head = Data("---\ntitle: Stor\n---\n".utf8)
        box.writeData("pages/stor.sv.md", head + Data(repeating: UInt8(ascii: "a"), count: 5 * 1024 * 1024 + 1 - head.count))
        let error = try XCTUnwrap(Site.build(box.options).errors.first { $0.location.path.hasSuffix("stor.sv.md") })
        XCTAssertEqual(error.message, "file is 5242881 bytes; expected at most 5242880 bytes (5 MiB)")
    }

    func testPathsInMessagesAreNormalised() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("goals/trasig.sv.md", "---\ntitle: [\n---\n")
        let messy = box.content + "//./../content/"
        let result = Site.build(BuildOptions(content: messy, theme: box.theme, output: box.output))
        let error = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(error.location.path, box.content + "/goals/trasig.sv.md")
        XCTAssertEqual(Files.normalized("content/..//"), ".")
        XCTAssertEqual(Files.normalized("./site/"), "site")
        XCTAssertEqual(Files.normalized("/a//b/../c/"), "/a/c")
    }

    func testAContentLinkOutNamesTheContentFolder() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        try FileManager.default.createSymbolicLink(atPath: box.content + "/pages/ut.sv.md", withDestinationPath: "/etc/hostname")
        let error = try XCTUnwrap(Site.build(box.options).errors.first { $0.location.path.hasSuffix("ut.sv.md") })
        XCTAssertTrue(error.message.contains("outside the content folder"), error.message)
    }
}
