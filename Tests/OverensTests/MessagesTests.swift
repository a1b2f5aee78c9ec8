import Foundation
import XCTest
@testable import Overens

/// Messages as a new editor meets them: in Swedish and English, in plain words, with the
/// fix, and only the ones that matter.
final class MessagesTests: XCTestCase {
    func parse(_ text: String, kind: Kind = .action) -> [Diagnostic] {
        let bag = DiagnosticBag()
        let file = SourceFile(path: "content/\(kind.folder)/x.sv.md", kind: kind, id: "x", language: "sv", text: text)
        _ = ContentParser.parse(file, diagnostics: bag)
        return bag.all
    }

    func testColonInTitleAsksForQuotesInBothLanguages() throws {
        let diagnostics = parse("---\ntitle: Kris: samverkan\nnumber: 4\ngoals: [a]\n---\nText\n")
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(d.location.line, 2, "YAML's line is kept")
        XCTAssertEqual(d.text(in: "en"), "the title contains a colon; put the title in quotes, such as title: \"Kris: samverkan\"")
        XCTAssertEqual(d.text(in: "sv"), "rubriken innehåller ett kolon; sätt rubriken inom citattecken, till exempel title: \"Kris: samverkan\"")
        XCTAssertEqual(d.description(in: "sv"), "content/actions/x.sv.md:2:12: error: rubriken innehåller ett kolon; sätt rubriken inom citattecken, till exempel title: \"Kris: samverkan\"",
                       "the severity word stays 'error' in Swedish")
        XCTAssertEqual(d.text(in: "de"), d.message, "any other language gets English")
    }

    func testColonInAnotherFieldNamesIt() throws {
        let d = try XCTUnwrap(parse("---\ntitle: T\nsummary: Mål: fler\n---\n").first)
        XCTAssertTrue(d.message.contains("the value of 'summary' contains a colon") && d.message.contains("summary: \"Mål: fler\""), d.message)
        XCTAssertTrue(d.text(in: "sv").contains("sätt värdet inom citattecken"), d.text(in: "sv"))
    }

    func testCommonYAMLSlipsInPlainWords() {
        let cases: [(String, String, String)] = [
            ("---\ntitle: T\n\tnumber: 4\n---\n", "a tab is used for indentation", "indragen med tabb"),
            ("---\ntitle: \"Kris\nnumber: 4\n---\n", "a quote starting here is never closed", "citattecken som börjar här"),
            ("---\ntitle: T\ngoals: [a, b\n---\n", "a list starting here is not closed", "en lista som börjar här"),
            ("---\ntitle: T\ntitle: U\n---\n", "field 'title' is given twice", "står två gånger"),
            ("---\ntitle: T\n  number: 4\n---\n", "the indentation here does not match", "indraget här stämmer inte"),
            ("---\ntitle: Kris\nsamverkan\nnumber: 4\n---\n", "this line is not a 'name: value' field", "raden är inget fält"),
        ]
        for (text, en, sv) in cases {
            let diagnostics = parse(text)
            XCTAssertEqual(diagnostics.count, 1, "\(text): \(diagnostics)")
            XCTAssertTrue(diagnostics.first?.message.contains(en) ?? false, "\(text): \(diagnostics)")
            XCTAssertTrue(diagnostics.first?.text(in: "sv").contains(sv) ?? false, "\(text): \(diagnostics.map { $0.text(in: "sv") })")
            XCTAssertFalse(diagnostics.first?.text(in: "sv").contains("YAML") ?? true, "no YAML wording for the common slips")
            XCTAssertFalse(diagnostics.first?.message.contains("YAML") ?? true, "no YAML wording for the common slips")
        }
    }

    func testIdWithSwedishLettersSuggestsTheASCIIForm() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljö]\nparties: [forbundet]\n---\nSkog.\n")
        let diagnostics = Site.generate(box.options).diagnostics
        XCTAssertEqual(diagnostics.count, 1, "one error, no 'field goals is empty' after it: \(diagnostics)")
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(d.severity, .error)
        XCTAssertEqual(d.location.line, 4)
        XCTAssertTrue(d.message.contains("'miljö' in 'goals' has letters an id cannot have") && d.message.contains("write 'miljo'"), d.message)
        XCTAssertTrue(d.text(in: "sv").contains("har bokstäver som ett id inte kan ha") && d.text(in: "sv").contains("skriv 'miljo'"), d.text(in: "sv"))
    }

    func testBrokenFileReportsOnlyItsOwnError() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        // skog is the only action serving 'miljo', and a page and the news link to it;
        // ny has one file only, and the news links to it too.
        box.write("actions/skog.sv.md", "---\ntitle: Skogen: växer\nnumber: 2\ngoals: [miljo, halsa]\n---\nSkog.\n")
        box.write("actions/ny.sv.md", "---\ntitle: Ny\nnumber: [3\n---\n")
        box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott, skog, ny]\n---\nNu börjar vi med [ny](action:ny).\n")
        // miljo.sv.md is empty: it is never parsed, and the page links to it too.
        box.write("goals/miljo.sv.md", "")
        box.write("pages/om.sv.md", "---\ntitle: Om avtalet\nmenu: 1\n---\nOm [skogen](action:skog) och [miljön](goal:miljo).\n")
        let diagnostics = Site.generate(box.options).diagnostics
        XCTAssertEqual(diagnostics.map(\.location.path).sorted(), ["/actions/ny.sv.md", "/actions/skog.sv.md", "/goals/miljo.sv.md"].map { box.content + $0 },
                       "only the broken files' own errors:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity == .error })
    }

    func testDuplicateNumberNamesTheOtherFileInBothLanguages() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/kris.sv.md", "---\ntitle: Kris\nnumber: 1\ngoals: [halsa]\n---\n")
        box.write("actions/kris.en.md", "---\ntitle: Crisis\n---\n")
        let errors = Site.generate(box.options).errors
        XCTAssertEqual(errors.count, 2, "one at each file, as either may be the one just edited: \(errors)")
        let atIdrott = errors.first { $0.location.path.hasSuffix("idrott.sv.md") }
        let atKris = errors.first { $0.location.path.hasSuffix("kris.sv.md") }
        XCTAssertEqual(atIdrott?.message, "action number 1 is also used by \(box.content)/actions/kris.sv.md; give one of them another number (3 is free)")
        XCTAssertEqual(atKris?.text(in: "sv"), "insatsnummer 1 används också av \(box.content)/actions/idrott.sv.md; ge en av dem ett annat nummer (3 är ledigt)")
        XCTAssertEqual(atKris?.location.line, 3, "at the number: line")
    }

    func testDidYouMeanOnlyForSmallSlips() {
        func warning(_ field: String) -> String {
            parse("---\ntitle: T\nnumber: 1\ngoals: [a]\n\(field): x\n---\n").first { $0.severity == .warning }?.message ?? ""
        }
        XCTAssertFalse(warning("time").contains("did you mean"), warning("time"))
        XCTAssertFalse(warning("tags").contains("did you mean"), warning("tags"))
        XCTAssertTrue(warning("titel").contains("did you mean 'title'"), warning("titel"))
        XCTAssertTrue(warning("goal").contains("did you mean 'goals'"), warning("goal"))
        XCTAssertTrue(warning("summery").contains("did you mean 'summary'"), warning("summery"))
        let sv = parse("---\ntitle: T\nnumber: 1\ngoals: [a]\nsummery: x\n---\n").first!.text(in: "sv")
        XCTAssertTrue(sv.contains("menade du 'summary'"), sv)
    }

    func testLanguageIsChosenFromOptionLocaleThenSite() {
        let resolve = MessageLanguage.resolve
        XCTAssertEqual(resolve("en", ["LANG": "sv_SE.UTF-8"], ["sv"]), "en", "--lang wins")
        XCTAssertEqual(resolve(nil, ["LANG": "sv_SE.UTF-8"], ["en"]), "sv")
        XCTAssertEqual(resolve(nil, ["LC_ALL": "en_GB.UTF-8", "LANG": "sv_SE.UTF-8"], ["sv"]), "en", "LC_ALL before LANG")
        XCTAssertEqual(resolve(nil, ["LC_MESSAGES": "sv_FI", "LANG": "en_US"], []), "sv", "LC_MESSAGES before LANG")
        XCTAssertEqual(resolve(nil, ["LANG": "C.UTF-8"], ["sv", "en"]), "sv", "a locale that is neither: the site's first language")
        XCTAssertEqual(resolve(nil, [:], ["de", "sv"]), "en", "else English")
    }

    /// Every message in the catalogue, called with sample arguments: each has an English and
    /// a Swedish text, and they differ (nothing was left untranslated).
    func testEveryMessageHasSwedishAndEnglish() {
        let messages: [Message] = [
            .symlinkOutside("theme folder", target: "/etc/passwd"), .symlinkBroken, .notRegularFile, .unreadable,
            .fileDisappeared, .siteConfigMissing("content/site.yml"), .templateUnreadable, .assetUnreadable,
            .noStrings("sv", path: "theme/strings/sv.yml"), .tooLarge(6_000_000, max: 5_242_880), .emptyFile, .notUTF8,
            .nulByte, .contentFolderMissing, .unknownContentEntry(known: "goals, actions"), .expectedKindFolder("goal"),
            .subFolder("goals"), .notMarkdown, .noLanguageInName("halsa"), .badFileId("Hälsa"), .badFileId("-x"),
            .siteConfigShape, .languagesEmpty, .notLanguageCode("Svenska"), .languageTwice("sv"), .notEmail("x"),
            .noFrontMatter, .frontMatterShape, .frontMatterNotClosed, .fieldsShape, .aliasExpansion(10_000),
            .duplicateField("title"), .colonInValue(field: "title", example: "title: \"A: b\""),
            .colonInValue(field: "summary", example: nil), .colonInValue(field: nil, example: nil), .tabIndent,
            .unclosedQuote, .unclosedBracket, .unclosedBrace, .lineWithoutColon, .badIndentation,
            .invalidYAML("found something", detail: " while scanning starting here"), .invalidYAML("control characters are not allowed"),
            .fieldNamePlain, .unknownField("time", kind: "action", allowed: ["goals", "title"], suggestion: nil),
            .unknownField("titel", kind: "action", allowed: ["goals", "title"], suggestion: "title"),
            .fieldMustBe("title", .text), .fieldEmpty("number", .wholeNumber), .notWholeNumber("number", "x"),
            .numberOutOfRange("number", 0, 1...10), .notAChoice("status", "done", options: ["planned", "ongoing"]),
            .notIdList("goals"), .notAnId("miljö", in: "goals"), .notAnId("!", in: "goals"), .idListEmpty("goals"),
            .notADate("date", "2025-13-01"), .dateTooEarly("date", "1025-01-01", earliest: 1900),
            .notWebAddress("website", "www.x"), .notTextPerLanguage("title", languages: ["sv", "en"]),
            .languageToText("title"), .noTextForLanguage("title", "en"), .requiredMissing("title", .text),
            .requiredMissing("date", .dateText), .requiredMissing("goals", .idList), .requiredMissing("status", .oneOf(["a", "b"])),
            .requiredMissing("title", .textPerLanguage(["sv", "en"])), .badSlug("Hälsa"), .badSlug("../x"),
            .nestingTooDeep(100), .tooManyBrackets(1000), .tooManyColumns(100),
            .languageNotInSite("de", languages: ["sv", "en"]), .requiredMissingIn("number", kind: "action", path: "a.en.md"),
            .goalsEmpty, .translationDisagrees("number", mine: "3", theirs: "2", primary: "a.sv.md"),
            .duplicateNumber(4, other: "actions/kris.sv.md", free: 7),
            .unknownReference(kind: "goal", id: "miljö", known: ["halsa"], folder: "goals"),
            .unknownReference(kind: "goal", id: "x", known: [], folder: "goals"), .noTranslation(["en"], shown: "sv"),
            .targetOnlyIn(kind: "goal", id: "x", languages: ["sv"]), .goalNotServed("miljo"),
            .noTemplatesFolder("theme/templates"), .templateSyntax("a section is closed with another name"),
            .templateSyntaxOther("x"), .templateMissing("page"), .stringsShape, .stringMissing("home"),
            .stringMissingHere("home", first: "sv"), .stringOneName("search_slug", example: "sok"),
            .stringBadName("search_slug", "a/b", problem: "has a slash"), .stringNameTaken("search_slug", "mal", other: "folders.goal"),
            .stringNameReserved("search_slug", "assets"), .unknownLocale("sv_XX"), .sectionsTooDeep(60, max: 50),
            .dynamicPartial("x"), .partialMissing("x"), .includesItself("a", chain: "a → a"), .includesTooDeep(60, max: 50),
            .samePage("insatser/skog.html", other: "a.sv.md"), .cachedTemplateUses("title", shared: ["site"]),
            .templateUsesUnknown("x", template: "page"), .outputContains("site", "content"), .outputInside("content/site", "content"),
            .write(.system("rename", "site", 13)), .write(.busy("site")), .write(.notAFolder("site")),
            .write(.outsideOutput("../x")), .write(.occupied(path: "a.html", keeping: "a.html/")),
            .cannotWrite("no space"), .systemError("no space"), .cannotRecord("read-only"), .keptFiles(["CNAME"]),
            .keptFiles(["a", "b", "c", "d"]), .checkSummary(errors: 2, warnings: 1), .buildFailed(errors: 1, output: "site"),
            .scaffoldInvalidID("Miljö"), .scaffoldExists("content/actions/a.sv.md"), .scaffoldNoGoals("content/goals/"),
            .created("content/actions/a.sv.md"),
            .built(pages: 4, perLanguage: "sv 2, en 2", seconds: 0.5, warnings: 1, written: 3, unchanged: 1, removed: 0, kept: 2),
        ]
        for m in messages {
            XCTAssertFalse(m.en.isEmpty)
            XCTAssertFalse(m.sv.isEmpty)
            XCTAssertNotEqual(m.en, m.sv, "not translated: \(m.en)")
            XCTAssertEqual(m.text(in: "sv"), m.sv)
            XCTAssertEqual(m.text(in: "en"), m.en)
        }
    }

    /// Diagnostics from a set of broken sites, every stage: each comes in both languages.
    func testDiagnosticsOfBrokenSitesComeInBothLanguages() {
        let breakages: [(Sandbox) -> Void] = [
            { $0.write("goals/halsa.sv.md", "---\ntitle: Kris: samverkan\norder: 1\n---\n") },
            { $0.write("goals/halsa.sv.md", "") },
            { $0.write("goals/halsa.de.md", "---\ntitle: G\n---\n") },
            { $0.write("actions/skog.sv.md", "---\ntitle: S\nnumber: 1\ngoals: [halsa, nope]\nstatus: done\ntime: 3\n---\n[x](goal:saknas)\n") },
            { $0.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-13-01\n---\n") },
            { $0.write("pages/om.en.md", "---\ntitle: About\nslug: ../x\nmenu: x\n---\n") },
            { $0.write("site.yml", "languages: [sv, sv]\ntitle: T\n") },
            { $0.write("goals/Bad_Id.sv.md", "---\ntitle: G\n---\n") },
        ]
        var seen = 0
        for breakage in breakages {
            let box = Sandbox()
            box.writeMinimalSite()
            breakage(box)
            for d in Site.generate(box.options).diagnostics {
                seen += 1
                XCTAssertFalse(d.text(in: "sv").isEmpty)
                XCTAssertNotEqual(d.text(in: "sv"), d.text(in: "en"), "not translated: \(d)")
            }
        }
        XCTAssertGreaterThan(seen, 10)
    }

    // MARK: The command line

    func check(_ box: Sandbox, _ extra: [String] = [], locale: [String: String] = ["LANG": "en_US.UTF-8"]) -> CLIRun {
        CLIRun.run(["check", "--content", box.content, "--theme", box.theme] + extra, locale: locale)
    }

    func brokenBox() -> Sandbox {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Kris: samverkan\nnumber: 2\ngoals: [miljo, halsa]\n---\nSkog.\n")
        return box
    }

    func testCommandLinePrintsSwedishWithLangOrLocale() {
        let box = brokenBox()
        let swedish = "actions/skog.sv.md:2:12: error: rubriken innehåller ett kolon; sätt rubriken inom citattecken"
        let english = "actions/skog.sv.md:2:12: error: the title contains a colon; put the title in quotes"
        let withOption = check(box, ["--lang", "sv"])
        XCTAssertEqual(withOption.status, 1)
        XCTAssertTrue(withOption.stderr.contains(swedish), withOption.stderr)
        let withLocale = check(box, locale: ["LANG": "sv_SE.UTF-8"])
        XCTAssertTrue(withLocale.stderr.contains(swedish), withLocale.stderr)
        let fromSite = check(box, locale: ["LANG": "C.UTF-8"])
        XCTAssertTrue(fromSite.stderr.contains(swedish), "site.yml lists sv first:\n\(fromSite.stderr)")
        let inEnglish = check(box, ["--lang", "en"], locale: ["LANG": "sv_SE.UTF-8"])
        XCTAssertTrue(inEnglish.stderr.contains(english), inEnglish.stderr)
        XCTAssertTrue(withOption.stderr.hasSuffix("1 fel, 0 varningar\n"), withOption.stderr)
        let build = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output, "--lang", "sv"])
        XCTAssertTrue(build.stderr.contains(swedish), build.stderr)
        XCTAssertTrue(build.stderr.contains("Bygget misslyckades: 1 fel;"), build.stderr)
        XCTAssertEqual(CLIRun.run(["check", "--lang", "de"]).status, 2, "an unknown language is a usage error")
    }

    func testJSONKeepsEnglishMessageAndAddsText() throws {
        let run = check(brokenBox(), ["--format", "json", "--lang", "sv"])
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.count, 1, run.stdout)
        XCTAssertTrue((items[0]["message"] as? String ?? "").hasPrefix("the title contains a colon"), run.stdout)
        XCTAssertTrue((items[0]["text"] as? String ?? "").hasPrefix("rubriken innehåller ett kolon"), run.stdout)
        XCTAssertEqual(items[0]["severity"] as? String, "error")
    }

    /// `new` and the closing line of a build speak the editor's language too.
    func testNewAndTheBuildSummaryInSwedish() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let created = CLIRun.run(["new", "action", "ny", "--content", box.content, "--lang", "sv"])
        XCTAssertTrue(created.stdout.contains("Skapade \(box.content)/actions/ny.sv.md"), created.stdout)
        let again = CLIRun.run(["new", "action", "ny", "--content", box.content, "--lang", "sv"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("finns redan; ingenting skrevs"), again.stderr)
        let built = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output, "--lang", "sv"])
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stdout.hasPrefix("Byggde "), built.stdout)
        XCTAssertTrue(built.stdout.contains(" sidor (sv "), built.stdout)
    }
}
