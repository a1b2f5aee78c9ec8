import XCTest
@testable import Overens

/// Each class of bad input: a message naming the file and line, a non-zero exit, and the
/// previous site and the content left exactly as they were.
final class ErrorClassTests: XCTestCase {
    func assertRefused(_ expected: String, line: Int? = nil, file: String? = nil,
                       _ damage: (Sandbox) -> Void, sourceLine: UInt = #line) {
        assertBuildRefused(expected, line: line, file: file, damage, sourceLine: sourceLine)
    }

    func testMalformedYAML() {
        assertRefused("a list starting here is not closed", line: 3, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: [1\n---\n") }
    }

    func testFrontMatterNotClosed() {
        assertRefused("front matter is not closed", line: 1, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\n\nText\n") }
    }

    func testRequiredFieldMissing() {
        assertRefused("required field 'goals' is missing", file: "content/actions/skog.sv.md") { $0.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\n---\n") }
    }

    func testWrongType() {
        assertRefused("expected a whole number", line: 3, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: G\norder: first\n---\n") }
    }

    func testUnknownGoal() {
        assertRefused("unknown goal 'nope'", line: 4, file: "content/actions/skog.sv.md") { $0.write("actions/skog.sv.md", "---\ntitle: S\nnumber: 2\ngoals: [nope]\n---\n") }
    }

    func testUnknownPartyActionAndLink() {
        assertRefused("unknown party 'x'", line: 5, file: "content/actions/skog.sv.md") { $0.write("actions/skog.sv.md", "---\ntitle: S\nnumber: 2\ngoals: [miljo]\nparties: [x]\n---\n") }
        assertRefused("unknown action 'x'", line: 4, file: "content/news/start.sv.md") { $0.write("news/start.sv.md", "---\ntitle: S\ndate: 2025-01-01\nactions: [x]\n---\n") }
        assertRefused("unknown principle 'x'", line: 6, file: "content/pages/om.sv.md") { $0.write("pages/om.sv.md", "---\ntitle: Om\n---\nText.\n\nSe [den](principle:x).\n") }
    }

    func testDuplicateIdAndNumber() {
        assertRefused("action number 1 is also used by", line: 3, file: "content/actions/skog.sv.md") { $0.write("actions/skog.sv.md", "---\ntitle: S\nnumber: 1\ngoals: [miljo]\n---\n") }
        assertRefused("is given twice", line: 3, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: G\ntitle: H\norder: 1\n---\n") }
    }

    func testNotARealDate() {
        assertRefused("expected a real date", line: 3, file: "content/news/start.sv.md") { $0.write("news/start.sv.md", "---\ntitle: S\ndate: 2025-02-30\n---\n") }
    }

    func testNotUTF8() {
        assertRefused("not valid UTF-8", line: 2, file: "content/goals/halsa.sv.md") { box in
            var data = Data("---\ntitle: H".utf8)
            data.append(contentsOf: [0xE5, 0x6C, 0x73, 0x61, 0x0A])  // Latin-1 "å"
            data.append(Data("order: 1\n---\n".utf8))
            box.writeData("goals/halsa.sv.md", data)
        }
    }

    func testFileNameLanguage() {
        assertRefused("file name has no language", file: "content/goals/halsa.md") { $0.write("goals/halsa.md", "---\ntitle: x\norder: 3\n---\n") }
        assertRefused("language 'de' is not in site.yml", file: "content/goals/halsa.de.md") { $0.write("goals/halsa.de.md", "---\ntitle: x\n---\n") }
    }

    func testTranslationDisagrees() {
        assertRefused("a translation must agree", line: 3, file: "content/goals/halsa.en.md") { $0.write("goals/halsa.en.md", "---\ntitle: Health\norder: 5\n---\n") }
    }

    func testSlugCollision() {
        assertRefused("two pages would be written to mal/miljo.html", line: 4, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: G\norder: 1\nslug: miljo\n---\n") }
    }

    func testBadIdOrSlug() {
        assertRefused("slug '../x' is not allowed", line: 4, file: "content/goals/halsa.sv.md") { $0.write("goals/halsa.sv.md", "---\ntitle: G\norder: 1\nslug: ../x\n---\n") }
        assertRefused("id 'Bad_Id' is not allowed", file: "content/goals/Bad_Id.sv.md") { $0.write("goals/Bad_Id.sv.md", "---\ntitle: G\norder: 9\n---\n") }
    }

    func testSymlinkOutsideContent() {
        assertRefused("symbolic link points outside the content folder", file: "content/goals/ut.sv.md") { box in
            box.write(box.root + "/outside.md", "---\ntitle: X\norder: 7\n---\n")
            try! FileManager.default.createSymbolicLink(atPath: box.content + "/goals/ut.sv.md", withDestinationPath: box.root + "/outside.md")
        }
    }

    func testEmptyAndHugeFiles() {
        assertRefused("file is empty", file: "content/goals/tom.sv.md") { $0.write("goals/tom.sv.md", "") }
        assertRefused("expected at most 5242880 bytes (5 MiB)", file: "content/news/stor.sv.md") { box in
            box.writeData("news/stor.sv.md", Data(("---\ntitle: Big\ndate: 2025-01-01\n---\n" + String(repeating: "lorem ipsum ", count: 20 * 1024 * 1024 / 12)).utf8))
        }
    }

    func testMissingSiteYml() {
        assertRefused("site.yml is missing", file: "content/site.yml") { box in try! FileManager.default.removeItem(atPath: box.content + "/site.yml") }
    }

    func testTemplateErrors() {
        assertRefused("template syntax error", line: 3, file: "theme/templates/page.mustache") { box in
            box.write(box.theme + "/templates/page.mustache", "{{<layout}}\n{{$main}}{{#body}}\n{{/main}}\n{{/layout}}\n")
        }
        assertRefused("partial 'partials/nothing' not found", line: 2, file: "theme/templates/page.mustache") { box in
            box.write(box.theme + "/templates/page.mustache", "{{<layout}}\n{{$main}}{{> partials/nothing}}{{/main}}\n{{/layout}}\n")
        }
        assertRefused("template uses 'titel'", line: 2, file: "theme/templates/page.mustache") { box in
            box.write(box.theme + "/templates/page.mustache", "{{<layout}}\n{{$main}}<h1>{{titel}}</h1>{{/main}}\n{{/layout}}\n")
        }
        // The feed and the sitemap are not pages, and are checked the same way.
        assertRefused("template uses 'titel'", line: 3, file: "theme/templates/atom.mustache") { box in
            box.write(box.theme + "/templates/atom.mustache", "<?xml version=\"1.0\"?>\n<feed>\n{{#entries}}<entry><title>{{titel}}</title></entry>{{/entries}}\n</feed>\n")
        }
        assertRefused("template uses 'lastmodified'", line: 2, file: "theme/templates/sitemap.mustache") { box in
            box.write(box.theme + "/templates/sitemap.mustache", "<urlset>\n{{#urls}}<url><loc>{{url}}</loc>{{lastmodified}}</url>{{/urls}}\n</urlset>\n")
        }
        // A cached template is shared by a whole section: a value of one page cannot be in it.
        assertRefused("cached template uses 'page_title'", line: 2, file: "theme/templates/cached/footer.mustache") { box in
            box.write(box.theme + "/templates/cached/footer.mustache", "<footer>\n<p>{{page_title}}</p>\n</footer>\n")
        }
    }

    func testOutputFolderThatWouldDestroyWork() {
        // The theme is the sandbox's own copy: were the guard to fail, only the sandbox suffers.
        let box = Sandbox(copyTheme: true)
        box.writeMinimalSite()
        let before = snapshot(box.content)
        let theme = snapshot(box.theme)
        for output in [box.content, box.root, box.content + "/goals", box.theme, box.theme + "/templates"] {
            let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", output], in: box.root)
            XCTAssertEqual(run.status, 1, output)
            XCTAssertTrue(run.stderr.contains("output folder"), run.stderr)
        }
        XCTAssertEqual(snapshot(box.content), before)
        XCTAssertEqual(snapshot(box.theme), theme)
        // A folder of someone else's files is not emptied: they are kept, with a word.
        box.write(box.root + "/other/keep.txt", "mine")
        let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.root + "/other"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("kept 1 file that overens did not write (keep.txt)"), run.stderr)
        XCTAssertEqual(try? String(contentsOfFile: box.root + "/other/keep.txt", encoding: .utf8), "mine")
    }

    func testUnescapedMarkupNeverReachesThePage() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("goals/halsa.sv.md", "---\ntitle: \"<script>alert(1)</script> \\\"quoted\\\"\"\norder: 1\nsummary: \"a < b & c\"\n---\n<script>alert(2)</script>\n")
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [])
        let page = box.read("mal/halsa.html")
        XCTAssertFalse(page.contains("<script>alert"), page)
        XCTAssertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;"))
        XCTAssertTrue(page.contains("a &lt; b &amp; c"))
    }

    func testRemovedContentIsRemovedFromTheSiteAndUnchangedFilesKeepTheirTime() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let before = snapshot(box.output)
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(Site.build(box.options).written?.written, 0, "a second build writes nothing")
        XCTAssertEqual(snapshot(box.output), before, "bytes and modification times unchanged")
        try FileManager.default.removeItem(atPath: box.content + "/principles/dialog.sv.md")
        try FileManager.default.removeItem(atPath: box.content + "/principles/dialog.en.md")
        XCTAssertEqual(Site.build(box.options).errors, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.output + "/principer/dialog.html"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.output + "/principer"), "empty folders go too")
    }
}

final class CommandTests: XCTestCase {
    func testNewWritesEveryLanguageWithTheNextNumberAndRefusesToOverwrite() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let run = CLIRun.run(["new", "action", "ny-insats", "--content", box.content])
        XCTAssertEqual(run.status, 0, run.stderr)
        let sv = try String(contentsOfFile: box.content + "/actions/ny-insats.sv.md", encoding: .utf8)
        XCTAssertTrue(sv.contains("number: 3"), sv)
        // Who carries it and how far it has come are facts a source gives: offered, not filled in.
        XCTAssertFalse(sv.split(separator: "\n").contains { $0.hasPrefix("status:") || $0.hasPrefix("parties:") }, sv)
        XCTAssertTrue(sv.contains("# status:") && sv.contains("# parties:"), sv)
        XCTAssertTrue(FileManager.default.fileExists(atPath: box.content + "/actions/ny-insats.en.md"))
        XCTAssertEqual(Site.generate(box.options).errors, [], "the new files build as they are")
        try "---\ntitle: Mine\n---\nEdited.\n".write(toFile: box.content + "/actions/ny-insats.en.md", atomically: true, encoding: .utf8)
        let again = CLIRun.run(["new", "action", "ny-insats", "--content", box.content])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists"))
        XCTAssertTrue(try String(contentsOfFile: box.content + "/actions/ny-insats.en.md", encoding: .utf8).contains("Edited."))
    }

    func testNewNewsIsDatedToday() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(CLIRun.run(["new", "news", "forum", "--content", box.content]).status, 0)
        let text = try String(contentsOfFile: box.content + "/news/forum.sv.md", encoding: .utf8)
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = .current
        XCTAssertTrue(text.contains("date: \(f.string(from: Date()))"), text)
    }

    func testCheckReportsEveryProblemAndExitCodes() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(CLIRun.run(["check", "--content", box.content, "--theme", box.theme]).status, 0)
        box.write("actions/skog.sv.md", "---\ntitle: S\nnumber: x\ngoals: [nope]\n---\n")
        box.write("news/start.sv.md", "---\ntitle: S\ndate: 2025-13-01\n---\n")
        let run = CLIRun.run(["check", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("skog.sv.md:3:9: error:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("skog.sv.md:4:9: error: unknown goal 'nope'"), run.stderr)
        XCTAssertTrue(run.stderr.contains("start.sv.md:3:7: error:"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.output), "check writes nothing")
        let json = CLIRun.run(["check", "--format", "json", "--content", box.content, "--theme", box.theme])
        let decoded = try JSONDecoder().decode([Diagnostic].self, from: Data(json.stdout.utf8))
        XCTAssertEqual(decoded.filter { $0.severity == .error }.count, 3)
        XCTAssertEqual(CLIRun.run(["check", "--no-such-flag"]).status, 2)
    }

    func testStrictTurnsWarningsIntoErrors() {
        let box = Sandbox()
        box.writeMinimalSite()
        try? FileManager.default.removeItem(atPath: box.content + "/pages/om.en.md")
        XCTAssertEqual(CLIRun.run(["check", "--content", box.content, "--theme", box.theme]).status, 0)
        let strict = CLIRun.run(["check", "--strict", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("om.sv.md:1:1: error: no translation into en"), strict.stderr)
    }

    func testBuildPrintsOneClosingLine() {
        let box = Sandbox()
        box.writeMinimalSite()
        let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("Built 31 pages (sv 16, en 15) in "), run.stdout)
        let quiet = CLIRun.run(["build", "--quiet", "--content", box.content, "--theme", box.theme, "--output", box.output])
        XCTAssertEqual(quiet.stdout, "")
    }
}

/// Builds a good site, breaks it with `damage`, builds again through the CLI: exit 1, the
/// message at its place, the previous site and the content untouched.
func assertBuildRefused(_ expected: String, line: Int? = nil, file: String? = nil,
                        _ damage: (Sandbox) -> Void, sourceLine: UInt = #line) {
    let box = Sandbox(copyTheme: true)
    box.writeMinimalSite()
    let first = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output])
    XCTAssertEqual(first.status, 0, first.stderr, line: sourceLine)
    let siteBefore = snapshot(box.output)
    damage(box)
    let contentBefore = snapshot(box.content)
    let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output])
    XCTAssertEqual(run.status, 1, "exit status", line: sourceLine)
    XCTAssertTrue(run.stderr.contains(expected), "expected '\(expected)' in:\n\(run.stderr)", line: sourceLine)
    if let file {
        let located = line.map { "\(file):\($0):" } ?? "\(file):"
        XCTAssertTrue(run.stderr.contains(box.root + "/" + located), "expected \(located) in:\n\(run.stderr)", line: sourceLine)
    }
    XCTAssertFalse(run.stderr.contains("Fatal error"), line: sourceLine)
    XCTAssertEqual(snapshot(box.output), siteBefore, "site/ must be untouched", line: sourceLine)
    XCTAssertEqual(snapshot(box.content), contentBefore, "content/ must be untouched", line: sourceLine)
}
