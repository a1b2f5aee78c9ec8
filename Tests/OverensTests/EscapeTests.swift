import Foundation
import XCTest
@testable import Overens

/// Every `{{name}}` of a template goes through `Escape.html`: what an editor writes can
/// never become markup, and a quote can never end an attribute.
final class EscapeTests: XCTestCase {
    func testTheFiveCharactersBecomeEntitiesAndNothingElseChanges() {
        XCTAssertEqual(Escape.html(#"Idrott & hälsa <b>"citat"</b> 'x'"#),
                       "Idrott &amp; hälsa &lt;b&gt;&quot;citat&quot;&lt;/b&gt; &#39;x&#39;")
        XCTAssertEqual(Escape.html("åäö – 🇸🇪 e\u{301}"), "åäö – 🇸🇪 e\u{301}")
        XCTAssertEqual(Escape.html(""), "")
        XCTAssertEqual(Escape.html("&amp;"), "&amp;amp;", "escaped once more: the editor wrote those characters")
    }

    func testAgreesWithAPlainReadingOnSeedsAndRandomText() throws {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Repo.fuzzCorpus + "/escape-seeds")
        XCTAssertFalse(seeds.isEmpty)
        for name in seeds {
            let data = try Data(contentsOf: URL(fileURLWithPath: Repo.fuzzCorpus + "/escape-seeds/" + name))
            XCTAssertEqual(data.withUnsafeBytes { EscapeFuzzHarness.run($0) }, [], name)
        }
        // Random bytes, weighted toward the five characters and multi-byte UTF-8.
        var generator = SplitMix(seed: 7)
        let pieces: [[UInt8]] = ["&", "<", ">", "\"", "'", "a", " ", "å", "\u{301}", "😀", "\u{0}"].map { Array($0.utf8) } + [[0xFF], [0xC3]]
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 40) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            XCTAssertEqual(bytes.withUnsafeBytes { EscapeFuzzHarness.run($0) }, [])
        }
    }

    func testAQuoteFollowedByACombiningMarkDoesNotEndAnAttribute() throws {
        // `"` + U+0301 is one character: an escaper that reads characters misses the quote,
        // and the browser ends the attribute there.
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: \"Skog\\\"\\u0301 onmouseover=alert(1) x\"\nsummary: \"A\\\"\\u0301 onfocus=alert(2)\"\nnumber: 2\ngoals: [miljo]\nparties: [forbundet]\n---\nSkog.\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        let page = box.read("insatser/skog.html")
        XCTAssertFalse(page.contains("\"\u{301} onmouseover"), "a raw quote before the attribute")
        XCTAssertFalse(page.contains("\"\u{301} onfocus"))
        XCTAssertTrue(page.contains("<meta name=\"description\" content=\"A&quot;\u{301} onfocus=alert(2)\">"), page)
        XCTAssertTrue(page.contains("Skog&quot;\u{301} onmouseover=alert(1) x"))
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
