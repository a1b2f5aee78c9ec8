import Foundation
import XCTest
@testable import Overens

/// Bodies wait on disk between parse and render (`TextSpool`): what a reader gets must be
/// what the editor wrote, whether the text went through the spool or stayed in memory.
final class SpoolTests: XCTestCase {
    /// Multi-byte letters on both sides of every link: a piece cut one byte off shows.
    let body = """
        Överenskommelsen gäller [målet Hälsa](goal:halsa) och 😀 [en sida](page:om) – slut.

        | Kolumn | Värde |
        |---|---|
        | Å | [länk](https://example.org/å) |

        Sista stycket med ”citat” och [mål](goal:miljo).
        """

    func parse(spool: TextSpool?) -> MarkdownDocument {
        Markdown.parse(body, spool: spool) { link in link.url.hasPrefix("goal:") || link.url.hasPrefix("page:") ? .target : .keep }
    }

    func rewrite(_ url: String) -> String? { "../" + url.replacingOccurrences(of: ":", with: "/") + ".html" }

    func testASpooledBodyGivesTheSameHTMLAndWordsAsOneInMemory() throws {
        let folder = TestFolders.make("spool")
        let spool = try XCTUnwrap(TextSpool(directory: folder))
        let onDisk = parse(spool: spool)
        let inMemory = parse(spool: nil)

        let html = onDisk.html(rewritingLinks: rewrite)
        XCTAssertEqual(html, inMemory.html(rewritingLinks: rewrite))
        XCTAssertEqual(onDisk.plainText, inMemory.plainText)
        XCTAssertTrue(html.contains(#"<a href="../goal/halsa.html">målet Hälsa</a> och 😀 <a href="../page/om.html">en sida</a> – slut."#), html)
        XCTAssertTrue(html.contains(#"Sista stycket med ”citat” och <a href="../goal/miljo.html">mål</a>."#), html)
        XCTAssertTrue(onDisk.plainText.contains("Överenskommelsen gäller målet Hälsa"), onDisk.plainText)
        XCTAssertTrue(onDisk.hasText)
        // Read twice (the search index and the page): the same both times.
        XCTAssertEqual(onDisk.html(rewritingLinks: rewrite), html)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [], "the spool file has no name to leave behind")
    }

    /// A spool that cannot give its text back (here: its file cut short behind its back)
    /// must not stop the program; the failure is recorded for the render to report.
    func testATextThatCannotBeReadBackIsReportedNotATrap() throws {
        let folder = TestFolders.make("spool")
        let spool = try XCTUnwrap(TextSpool(directory: folder))
        let document = parse(spool: spool)
        let before = TextSpool.failures.count
        // The spool's file has no name; /proc still reaches it through the descriptor.
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        let spoolFile = try XCTUnwrap(descriptors.map { "/proc/self/fd/" + $0 }.first {
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: $0)) ?? "").hasPrefix(folder + "/spool-")
        })
        XCTAssertEqual(truncate(spoolFile, 0), 0)

        XCTAssertEqual(document.html(rewritingLinks: rewrite), "")
        XCTAssertEqual(document.plainText, "")
        XCTAssertEqual(Array(TextSpool.failures.dropFirst(before)), [folder, folder])
    }

    func testAnEmptyBodyStaysEmpty() throws {
        let spool = try XCTUnwrap(TextSpool(directory: TestFolders.make("spool")))
        let document = Markdown.parse("", spool: spool) { _ in .keep }
        XCTAssertFalse(document.hasText)
        XCTAssertEqual(document.html(), "")
        XCTAssertEqual(document.plainText, "")
    }

    func testTheSpoolIsClosedWithItsLastText() throws {
        func openFiles() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let before = openFiles()
        var documents: [MarkdownDocument] = []
        do {
            let spool = try XCTUnwrap(TextSpool(directory: TestFolders.make("spool")))
            documents = (0..<3).map { _ in parse(spool: spool) }
        }
        XCTAssertEqual(openFiles(), before + 1, "the documents keep their spool open")
        XCTAssertTrue(documents[2].plainText.contains("Sista stycket"))
        documents = []
        XCTAssertEqual(openFiles(), before, "a preview that parses everything again must not keep old spools open")
    }

    /// A build spools its bodies in the cache folder and leaves nothing there; with no
    /// cache folder it can write, the bodies stay in memory and the site is the same.
    /// (A site under `spoolAbove` bytes of Markdown, as most are, is never spooled.)
    func testABuildLeavesNoSpoolAndNeedsNoWritableCache() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott]\n---\nNu börjar vi med [idrotten](action:idrott) – äntligen.\n")

        var options = box.options
        options.cache = box.root + "/cache"
        options.spoolAbove = 0
        let spooled = Site.build(options)
        XCTAssertEqual(spooled.errors, [])
        let page = box.read("nyheter/start.html")
        XCTAssertTrue(page.contains(#"Nu börjar vi med <a href="../insatser/idrott.html">idrotten</a> – äntligen."#), page)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: box.root + "/cache/spool"), [])

        // A file where the cache folder should be: no spool can be made there.
        try FileManager.default.removeItem(atPath: box.output)
        _ = FileManager.default.createFile(atPath: box.root + "/blocked", contents: Data("x".utf8))
        options.cache = box.root + "/blocked"
        let inMemory = Site.build(options)
        XCTAssertEqual(inMemory.errors.filter { !$0.location.path.hasPrefix(box.root + "/blocked") }, [])
        XCTAssertEqual(box.read("nyheter/start.html"), page)

        // Under the threshold: no spool is made at all.
        try FileManager.default.removeItem(atPath: box.output)
        options.cache = box.root + "/small"
        options.spoolAbove = 32 << 20
        XCTAssertEqual(Site.build(options).errors, [])
        XCTAssertEqual(box.read("nyheter/start.html"), page)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.root + "/small/spool"))
    }
}
