import Foundation
import XCTest
@testable import Overens

/// A PDF's first bytes and padding to `size` bytes: what the checks look at.
func pdf(size: Int) -> Data {
    var data = Data("%PDF-1.7\n".utf8)
    data.append(Data(repeating: UInt8(ascii: "x"), count: max(0, size - data.count)))
    return data
}

extension Sandbox {
    /// The minimal site with a document entry, its PDF and links to both from a news item.
    func writeSiteWithDocuments() {
        writeMinimalSite()
        writeData("files/avtal/avtalet.pdf", pdf(size: 240_000))
        write("documents/avtalet.sv.md", "---\ntitle: Avtalet\nkind: agreement\ndate: 2021-03-16\nfile: avtal/avtalet.pdf\nactions: [idrott]\ngoals: [halsa]\nparties: [forbundet]\n---\n")
        write("documents/avtalet.en.md", "---\ntitle: The agreement\nslug: agreement\n---\n")
        write("documents/anteckningar.sv.md", "---\ntitle: Anteckningar\nkind: memo\ndate: 2023-03-30\n---\nHela texten här.\n")
        write("documents/anteckningar.en.md", "---\ntitle: Notes\nslug: notes\n---\nThe full text here.\n")
        write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott]\nsources: [anteckningar]\n---\nLäs [avtalet](doc:avtalet) eller [filen](file:avtal/avtalet.pdf).\n")
        write("news/start.en.md", "---\ntitle: Start\n---\nRead [the agreement](doc:avtalet) or [the file](file:avtal/avtalet.pdf).\n")
        write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\nsources: [avtalet]\n---\nHälsa för alla.\n")
    }

    func files(_ result: BuildResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, String(decoding: $0.data, as: UTF8.self)) })
    }
}

final class DocumentTests: XCTestCase {
    func testFileSizesAreWrittenAsEachLanguageWritesThem() {
        XCTAssertEqual(FileSize.text(240_000, language: "sv"), "240 kB")
        XCTAssertEqual(FileSize.text(1_234_567, language: "sv"), "1,2 MB")
        XCTAssertEqual(FileSize.text(1_234_567, language: "en"), "1.2 MB")
        XCTAssertEqual(FileSize.text(12_600_000, language: "en"), "13 MB")
        XCTAssertEqual(FileSize.text(999_999, language: "sv"), "1,0 MB")
        XCTAssertEqual(FileSize.text(300, language: "en"), "300 B")
    }

    func testLinksToFilesSayFormatAndSizeInsideTheLinkInEachLanguage() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        let files = box.files(result)
        let sv = try XCTUnwrap(files["nyheter/start.html"])
        XCTAssertTrue(sv.contains("<a href=\"../dokument/avtalet.html\">avtalet</a>"), sv)
        XCTAssertTrue(sv.contains("<a href=\"../files/avtal/avtalet.pdf\">filen (PDF, 240\u{00A0}kB)</a>"), sv)
        let en = try XCTUnwrap(files["en/news/start.html"])
        XCTAssertTrue(en.contains("<a href=\"../documents/agreement.html\">the agreement</a>"), en)
        XCTAssertTrue(en.contains("<a href=\"../../files/avtal/avtalet.pdf\">the file (PDF, 240\u{00A0}kB)</a>"), en)
        // The file is copied byte for byte.
        let copy = try XCTUnwrap(result.files.first { $0.path == "files/avtal/avtalet.pdf" })
        XCTAssertEqual(copy.data, pdf(size: 240_000))
    }

    func testDocumentPageOffersItsFileAndSaysItsLanguage() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let files = box.files(Site.generate(box.options))
        let sv = try XCTUnwrap(files["dokument/avtalet.html"])
        XCTAssertTrue(sv.contains("href=\"../files/avtal/avtalet.pdf\">Ladda ner dokumentet (PDF, 240\u{00A0}kB)</a>"), sv)
        XCTAssertFalse(sv.contains("filen är på"), "a Swedish page with a Swedish file says nothing of its language")
        // The English entry names no file of its own: it links the Swedish one and says so.
        let en = try XCTUnwrap(files["en/documents/agreement.html"])
        XCTAssertTrue(en.contains("hreflang=\"sv\">Download the document (PDF, 240\u{00A0}kB)</a> <span class=\"meta\">(the file is in Swedish)</span>"), en)
        // A document with a file and no text says the file may not be accessible.
        XCTAssertTrue(en.contains("only available as a file"), en)
        // The document names the action, goal and party, and they list it back.
        XCTAssertTrue(sv.contains("../insatser/idrott.html") && sv.contains("../mal/halsa.html") && sv.contains("../parter/forbundet.html"))
        for page in ["insatser/idrott.html", "mal/halsa.html", "parter/forbundet.html"] {
            XCTAssertTrue(try XCTUnwrap(files[page]).contains("../dokument/avtalet.html"), "\(page) lists the document")
        }
    }

    func testATranslationMayNameItsOwnFile() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        box.writeData("files/avtal/agreement-en.pdf", pdf(size: 1_234_567))
        box.write("documents/avtalet.en.md", "---\ntitle: The agreement\nslug: agreement\nfile: avtal/agreement-en.pdf\n---\n")
        let files = box.files(Site.generate(box.options))
        let en = try XCTUnwrap(files["en/documents/agreement.html"])
        XCTAssertTrue(en.contains("href=\"../../files/avtal/agreement-en.pdf\">Download the document (PDF, 1.2\u{00A0}MB)</a></p>"), en)
        XCTAssertTrue(try XCTUnwrap(files["dokument/avtalet.html"]).contains("avtal/avtalet.pdf"))
    }

    func testSourcesAreShownAndTheDocumentListsWhatRestsOnIt() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let files = box.files(Site.generate(box.options))
        let goal = try XCTUnwrap(files["mal/halsa.html"])
        XCTAssertTrue(goal.contains("<h2 id=\"sources-heading\">Källor</h2>"), goal)
        XCTAssertTrue(goal.contains("../dokument/avtalet.html"))
        XCTAssertTrue(try XCTUnwrap(files["en/goals/health.html"]).contains("<h2 id=\"sources-heading\">Sources</h2>"))
        let memo = try XCTUnwrap(files["dokument/anteckningar.html"])
        XCTAssertTrue(memo.contains("../nyheter/start.html"), "the memo lists the news item that names it as a source")
        XCTAssertTrue(memo.contains("Hela texten här."))
        XCTAssertFalse(memo.contains("bara som fil"), "a document with its text is not called file-only")
    }

    func testDocumentsSectionGroupsByKindNewestFirst() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        box.write("documents/gammalt.sv.md", "---\ntitle: Gammalt avtal\nkind: agreement\ndate: 2010-01-01\n---\nText.\n")
        let files = box.files(Site.generate(box.options))
        let index = try XCTUnwrap(files["dokument/index.html"])
        let agreements = try XCTUnwrap(index.range(of: "<h2>Avtal</h2>")), memos = try XCTUnwrap(index.range(of: "<h2>Minnesanteckningar</h2>"))
        XCTAssertLessThan(agreements.lowerBound, memos.lowerBound)
        let newer = try XCTUnwrap(index.range(of: "avtalet.html")), older = try XCTUnwrap(index.range(of: "gammalt.html"))
        XCTAssertLessThan(newer.lowerBound, older.lowerBound, "newest first within a kind")
        XCTAssertTrue(try XCTUnwrap(files["index.html"]).contains("dokument/index.html"), "the menu has the section")
    }

    func testDocumentsAreInTheSearchIndexAndTheOpenData() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let files = box.files(Site.generate(box.options))
        func index(_ language: String) -> String? { files.first { $0.key.hasPrefix("assets/search-index.\(language).") }?.value }
        XCTAssertTrue(try XCTUnwrap(index("sv")).contains("Hela texten här."))
        XCTAssertTrue(try XCTUnwrap(index("en")).contains("\"title\":\"The agreement\""))
        let json = try XCTUnwrap(files["data/documents.json"])
        let records = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let agreement = try XCTUnwrap(records.first { $0["id"] as? String == "avtalet" })
        XCTAssertEqual(agreement["kind"] as? String, "agreement")
        XCTAssertEqual(agreement["date"] as? String, "2021-03-16")
        let file = try XCTUnwrap((agreement["file"] as? [String: [String: Any]])?["en"])
        XCTAssertEqual(file["bytes"] as? Int, 240_000)
        XCTAssertEqual(file["lang"] as? String, "sv")
        XCTAssertEqual(file["url"] as? String, "https://example.org/agreement/files/avtal/avtalet.pdf")
        let memo = try XCTUnwrap(records.first { $0["id"] as? String == "anteckningar" })
        XCTAssertEqual(memo["cited_by"] as? [String], ["news:start"])
    }

    func testTheAccessibilityStatementListsDocumentsPublishedOnlyAsFiles() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        box.write("site.yml", """
            languages: [sv, en]
            title: { sv: Testavtalet, en: The Test Agreement }
            accessibility_page: tillganglighet
            """)
        box.write("pages/tillganglighet.sv.md", "---\ntitle: Tillgänglighetsredogörelse\n---\nRedogörelse.\n")
        box.write("pages/tillganglighet.en.md", "---\ntitle: Accessibility statement\nslug: accessibility\n---\nStatement.\n")
        var files = box.files(Site.generate(box.options))
        let statement = try XCTUnwrap(files["tillganglighet.html"])
        XCTAssertTrue(statement.contains("Dokument som bara finns som fil"), statement)
        XCTAssertTrue(statement.contains("dokument/avtalet.html"))
        XCTAssertFalse(statement.contains("dokument/anteckningar.html"), "a document with its full text is not listed")
        XCTAssertFalse(try XCTUnwrap(files["om.html"]).contains("bara finns som fil"), "only the statement lists them")
        // Once the entry carries the text, it leaves the list.
        box.write("documents/avtalet.sv.md", "---\ntitle: Avtalet\nkind: agreement\nfile: avtal/avtalet.pdf\n---\nAvtalets text.\n")
        box.write("documents/avtalet.en.md", "---\ntitle: The agreement\nslug: agreement\n---\nThe agreement's text.\n")
        files = box.files(Site.generate(box.options))
        XCTAssertFalse(try XCTUnwrap(files["tillganglighet.html"]).contains("Dokument som bara finns som fil"))
    }

    func testAFileNothingLinksIsAWarningAndIsNotPublished() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        box.writeData("files/glomd.pdf", pdf(size: 100))
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertTrue(result.warnings.contains { $0.location.path == box.content + "/files/glomd.pdf" && $0.message.contains("nothing links to this file") })
        XCTAssertFalse(result.files.contains { $0.path == "files/glomd.pdf" })
    }

    func testEveryEntryNamesItsSourcesOnceASitePublishesThem() {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let run = CLIRun.run(["check", "--strict", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains(box.content + "/actions/idrott.sv.md:1:1: error: this action names no source"), run.stderr)
        XCTAssertFalse(run.stderr.contains("goals/halsa.sv.md:1:1:"), "the goal names its source")
        XCTAssertEqual(CLIRun.run(["check", "--content", box.content, "--theme", box.theme]).status, 0, "without --strict a missing source is a warning")
        // A site that publishes no documents is not asked for sources.
        let plain = Sandbox()
        plain.writeMinimalSite()
        XCTAssertFalse(Site.generate(plain.options).warnings.contains { $0.message.contains("names no source") })
    }

    func testNewDocumentOffersTheFieldsAndTheFiles() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        let run = CLIRun.run(["new", "document", "plan-2025", "--content", box.content])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try String(contentsOfFile: box.content + "/documents/plan-2025.sv.md", encoding: .utf8)
        XCTAssertTrue(text.contains("kind: report"), text)
        XCTAssertTrue(text.contains("# file: avtal/avtalet.pdf"), text)
        XCTAssertEqual(Site.generate(box.options).errors, [], "the new document builds as it is")
    }

    func testAnUnchangedFileIsNotRewritten() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let path = box.output + "/files/avtal/avtalet.pdf"
        let before = try FileManager.default.attributesOfItem(atPath: path)
        box.write("news/start.sv.md", "---\ntitle: Start igen\ndate: 2025-05-27\n---\nLäs [filen](file:avtal/avtalet.pdf).\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        let after = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual(before[.systemFileNumber] as? Int, after[.systemFileNumber] as? Int, "the same file, not a new copy")
        XCTAssertEqual(before[.modificationDate] as? Date, after[.modificationDate] as? Date)
    }
}

/// Each bad file, bad link and bad field: an error at its line and column, exit 1, the
/// previous site untouched.
final class BadFileAndLinkTests: XCTestCase {
    private func refused(_ expected: String, at place: String, sourceLine: UInt = #line, _ damage: @escaping (Sandbox) -> Void) {
        assertBuildRefused(expected, file: place, { box in
            box.writeData("files/avtalet.pdf", pdf(size: 1000))
            box.write("documents/avtalet.sv.md", "---\ntitle: Avtalet\nkind: agreement\nfile: avtalet.pdf\n---\n")
            box.write("documents/avtalet.en.md", "---\ntitle: The agreement\n---\n")
            damage(box)
        }, sourceLine: sourceLine)
    }

    private func news(_ body: String) -> (Sandbox) -> Void {
        { $0.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\nFörsta raden.\n\(body)\n") }
    }

    func testMissingFileNamesTheNearest() {
        refused("no file 'avtalt.pdf' in content/files/; did you mean 'avtalet.pdf'?", at: "content/news/start.sv.md:6:15", news("Läs [avtalet](file:avtalt.pdf)."))
    }

    func testPathsThatLeaveTheFolder() {
        refused("'../site.yml' leaves content/files/", at: "content/news/start.sv.md:6:8", news("Se [x](file:../site.yml)."))
        refused("'/etc/passwd' leaves content/files/", at: "content/documents/avtalet.sv.md:4:7") {
            $0.write("documents/avtalet.sv.md", "---\ntitle: Avtalet\nkind: agreement\nfile: /etc/passwd\n---\n")
        }
    }

    func testASymbolicLinkOutOfTheFolder() {
        refused("symbolic link points outside", at: "content/news/start.sv.md:6:8") { box in
            try! FileManager.default.createSymbolicLink(atPath: box.content + "/files/hemligt.pdf", withDestinationPath: "/etc/passwd")
            self.news("Se [x](file:hemligt.pdf).")(box)
        }
    }

    func testTypesOutsideTheList() {
        refused("files of type 'exe' are not published", at: "content/news/start.sv.md:6:8") { box in
            box.writeData("files/program.exe", Data("MZ".utf8))
            self.news("Se [x](file:program.exe).")(box)
        }
    }

    func testContentThatDoesNotMatchTheName() {
        refused("the file is named .pdf but its content is not a PDF", at: "content/news/start.sv.md:6:8") { box in
            box.writeData("files/falsk.pdf", Data("<html>".utf8))
            self.news("Se [x](file:falsk.pdf).")(box)
        }
        refused("the file is named .docx but its content is not an Office document", at: "content/news/start.sv.md:6:8") { box in
            box.writeData("files/falsk.docx", pdf(size: 50))
            self.news("Se [x](file:falsk.docx).")(box)
        }
        refused("the file is named .csv but its content is not plain text", at: "content/news/start.sv.md:6:8") { box in
            box.writeData("files/data.csv", Data([0x61, 0x00, 0x62]))
            self.news("Se [x](file:data.csv).")(box)
        }
    }

    func testAFileOverTheSizeLimit() {
        refused("the file is 1.5 MB, over the limit of 1.0 MB", at: "content/news/start.sv.md:6:8") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\nmax_file_size: 1\n")
            box.writeData("files/stor.pdf", pdf(size: 1_500_000))
            self.news("Se [x](file:stor.pdf).")(box)
        }
    }

    func testABrokenRelativeLinkNamesTheNearestFile() {
        refused("link 'bilder/nope.pdf' leads to 'nyheter/bilder/nope.pdf', which the site does not have", at: "content/news/start.sv.md:6:13", news("Se [planen](bilder/nope.pdf)."))
        refused("did you mean 'mal/halsa.html'?", at: "content/news/start.sv.md:6:8", news("Se [x](../mal/hals.html)."))
    }

    func testSchemesAReaderCannotFollow() {
        refused("links with 'javascript:' are not published", at: "content/news/start.sv.md:6:8", news("Se [x](javascript:alert(1))."))
        refused("links with 'ftp:' are not published", at: "content/news/start.sv.md:6:8", news("Se [x](ftp://example.org/a)."))
        refused("links with '//' are not published", at: "content/news/start.sv.md:6:8", news("Se [x](//example.org/a)."))
    }

    func testImageAndFileSchemesUsedTheWrongWay() {
        refused("image: shows an image; expected ![alt text](image:name)", at: "content/news/start.sv.md:6:8", news("Se [x](image:foto.jpg)."))
        refused("file: links a document; to show a photo", at: "content/news/start.sv.md:6:9", news("Se ![x](file:avtalet.pdf)."))
    }

    func testWorkingLocalLinksAreKeptAndPointRightFromEveryPage() throws {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        // Written for the Swedish page; the English page shows it in English, so each is checked.
        box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\nSe [målet](../mal/halsa.html#mal) och [filen](/files/avtal/avtalet.pdf).\n")
        box.write("news/start.en.md", "---\ntitle: Start\n---\nSee [the goal](../goals/health.html).\n")
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertTrue(box.files(result)["nyheter/start.html"]!.contains("href=\"../mal/halsa.html#mal\""))
        XCTAssertTrue(box.files(result)["nyheter/start.html"]!.contains("href=\"../files/avtal/avtalet.pdf\""))
    }

    func testOneCheckReportsEveryBadLinkAndFile() {
        let box = Sandbox()
        box.writeSiteWithDocuments()
        box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\n[a](file:saknas.pdf) [b](nope.html) [c](data:x) [d](doc:saknas)\n")
        let run = CLIRun.run(["check", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(run.status, 1)
        for column in [5, 26, 41, 53] {
            XCTAssertTrue(run.stderr.contains("start.sv.md:5:\(column): error:"), "column \(column) in \(run.stderr)")
        }
        XCTAssertEqual(run.stderr.components(separatedBy: ": error: ").count - 1, 4, run.stderr)
    }
}
