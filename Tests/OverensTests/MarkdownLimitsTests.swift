import Foundation
import XCTest
@testable import Overens

/// Markdown that Debian's cmark-gfm 0.29.0.gfm.6 parses in quadratic time is refused at
/// its line before cmark sees it; large ordinary documents are not.
final class MarkdownLimitsTests: XCTestCase {
    /// `check` over a site whose page body (from line 6) is `body`; the time includes the process.
    func check(_ body: String) -> (run: CLIRun, seconds: Double) {
        let box = Sandbox()
        defer { try? FileManager.default.removeItem(atPath: box.root) }
        box.writeMinimalSite()
        box.write("pages/stor.sv.md", "---\ntitle: Stor\n---\nInledning.\n\n" + body + "\n")
        box.write("pages/stor.en.md", "---\ntitle: Large\n---\nIntroduction.\n")
        let clock = ContinuousClock()
        var run: CLIRun!
        let elapsed = clock.measure { run = CLIRun.run(["check", "--content", box.content, "--theme", box.theme]) }
        return (run, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func assertRefused(_ body: String, at position: String, saying words: String, file: StaticString = #filePath, line: UInt = #line) {
        let (run, seconds) = check(body)
        let said = run.stdout + run.stderr
        XCTAssertEqual(run.status, 1, said, file: file, line: line)
        XCTAssertTrue(said.contains("pages/stor.sv.md:\(position): error: \(words)"), said, file: file, line: line)
        XCTAssertLessThan(seconds, 2, "refusing took \(seconds) s", file: file, line: line)
    }

    func testBracketRunIsRefused() {
        // 400 KB: 11.7 s in cmark-gfm 0.29.0.gfm.6.
        assertRefused(String(repeating: "![[]()", count: 66_667), at: "6:597", saying: "more than 100 `[` are open at once")
    }

    func testTenThousandColumnsAreRefused() {
        let table = "|" + String(repeating: "a|", count: 10_000) + "\n|" + String(repeating: "-|", count: 10_000) + "\n|" + String(repeating: "b|", count: 10_000)
        assertRefused(table, at: "6:203", saying: "this line has more than 101 `|`")
    }

    func testDeepNestingIsRefused() {
        assertRefused(String(repeating: "> ", count: 40_000) + "a", at: "6:201", saying: "more than 100 block quotes and list items")
        assertRefused(String(repeating: "- ", count: 40_000) + "a", at: "6:201", saying: "more than 100 block quotes and list items")
        assertRefused(String(repeating: "1. ", count: 40_000) + "a", at: "6:301", saying: "more than 100 block quotes and list items")
    }

    /// 2 MB of what a long report holds: sections, paragraphs with links, emphasis and
    /// footnotes, ten-column tables, nested lists and quotes, code.
    func testLargeOrdinaryDocumentIsAccepted() {
        var text = ""
        var section = 0
        let words = "avtalet sektorn regionen ideell offentlig insats mål plan och för med dialog samverkan".split(separator: " ")
        while text.utf8.count < 2_000_000 {
            section += 1
            let sentence = (0..<120).map { words[($0 * 7 + section) % words.count] }.joined(separator: " ")
            text += "## Avsnitt \(section)\n\n\(sentence) [en länk](https://example.org/\(section)), *betoning*, `kod[0]` och en not[^\(section)].\n\n"
            text += "| " + (0..<10).map { "Kolumn \($0)" }.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: 10) + "\n"
            for row in 0..<8 { text += "| " + (0..<10).map { "[v\(row)](https://example.org/\($0))" }.joined(separator: " | ") + " |\n" }
            text += "\n" + (0..<5).map { "- punkt \($0) med [länk](https://example.org)\n  - underpunkt\n    > citat i lista\n" }.joined() + "\n"
            text += "> \(sentence)\n\n```\nlet a = [[[1, 2], [3]]\n```\n\n[^\(section)]: En fotnot.\n\n"
        }
        let (run, seconds) = check(text)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertLessThan(seconds, 30)
    }

    func testWhatDoesNotCount() {
        let open = String(repeating: "[", count: 150)
        XCTAssertEqual(MarkdownLimits.check("```\n\(open)\n```\n"), [], "nothing in a code fence is parsed")
        XCTAssertEqual(MarkdownLimits.check(String(repeating: "\\[", count: 150)), [], "escaped")
        XCTAssertEqual(MarkdownLimits.check(String(repeating: "[a](b) ", count: 5_000)), [], "closed")
        XCTAssertEqual(MarkdownLimits.check(String(repeating: "[\n\n", count: 150)), [], "a blank line ends the paragraph")
        XCTAssertEqual(MarkdownLimits.check(String(repeating: "|", count: 50) + "\n" + String(repeating: "|", count: 50)), [], "per line")
        XCTAssertEqual(MarkdownLimits.check(String(repeating: "\\|", count: 500)), [])
        XCTAssertEqual(MarkdownLimits.check("```a``` " + open).map(\.line), [1], "inline code on one line opens no fence")
        let found = MarkdownLimits.check("x\n\n" + "å" + open)
        XCTAssertEqual(found.map(\.line), [3])
        XCTAssertEqual(found.map(\.column), [102], "columns count characters")
    }
}
