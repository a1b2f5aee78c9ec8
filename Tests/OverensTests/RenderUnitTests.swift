import XCTest
@testable import Overens

final class LocalizationTests: XCTestCase {
    func testSwedishOrderPutsÅÄÖAfterZ() {
        let sv = Localization(localeIdentifier: "sv_SE", dateFormat: "d MMMM y")
        let sorted = sv.sorted(["Örebro", "Ängelholm", "Zeta", "Åstorp", "Alfa"]) { $0 }
        XCTAssertEqual(sorted, ["Alfa", "Zeta", "Åstorp", "Ängelholm", "Örebro"])
    }

    func testEnglishOrderTreatsThemAsAccentedLetters() {
        let en = Localization(localeIdentifier: "en_GB", dateFormat: "d MMMM y")
        let sorted = en.sorted(["Zeta", "Örebro", "Alfa"]) { $0 }
        XCTAssertEqual(sorted, ["Alfa", "Örebro", "Zeta"])
    }

    func testSwedishAndEnglishDates() throws {
        let day = try XCTUnwrap(Day("2025-05-27"))
        XCTAssertEqual(Localization(localeIdentifier: "sv_SE", dateFormat: "d MMMM y").format(day), "27 maj 2025")
        XCTAssertEqual(Localization(localeIdentifier: "en_GB", dateFormat: "d MMMM y").format(day), "27 May 2025")
        XCTAssertEqual(Localization(localeIdentifier: "sv_SE", dateFormat: "d MMMM y").format(try XCTUnwrap(Day("2023-03-30"))), "30 mars 2023")
    }
}

final class PathsTests: XCTestCase {
    func testRelativeLinksNameFiles() {
        XCTAssertEqual(Paths.relative(from: "insatser/kris.html", to: "mal/halsa.html"), "../mal/halsa.html")
        XCTAssertEqual(Paths.relative(from: "index.html", to: "mal/halsa.html"), "mal/halsa.html")
        XCTAssertEqual(Paths.relative(from: "en/actions/crisis.html", to: "en/actions/index.html"), "index.html")
        XCTAssertEqual(Paths.relative(from: "en/actions/crisis.html", to: "index.html"), "../../index.html")
        XCTAssertEqual(Paths.relative(from: "mal/a.html", to: "en/goals/a.html"), "../en/goals/a.html")
        XCTAssertEqual(Paths.toRoot(from: "en/goals/a.html"), "../../")
        XCTAssertEqual(Paths.toRoot(from: "index.html"), "")
    }

    /// 404.html is shown at any address, so its links start from the site's absolute path.
    func testLinksFromAnAbsolutePathAreAbsolute() {
        XCTAssertEqual(Paths.relative(from: "/agreement/404.html", to: "mal/halsa.html"), "/agreement/mal/halsa.html")
        XCTAssertEqual(Paths.relative(from: "/404.html", to: "index.html"), "/index.html")
        XCTAssertEqual(Paths.toRoot(from: "/agreement/404.html"), "/agreement/")
        XCTAssertNotEqual(Paths.folder(of: "/404.html"), Paths.folder(of: "404.html"), "links from the two differ")
    }
}

final class MarkdownTests: XCTestCase {
    func html(_ text: String) -> String { Markdown.parse(text).html() }

    func testTables() {
        XCTAssertTrue(html("| a | b |\n|---|---|\n| 1 | 2 |\n").contains("<table>"))
    }

    func testStrikethrough() {
        XCTAssertTrue(html("~~gone~~").contains("<del>gone</del>"))
    }

    func testAutolink() {
        XCTAssertTrue(html("See https://example.org now").contains("<a href=\"https://example.org\">"))
    }

    func testTasklist() {
        let out = html("- [x] done\n- [ ] todo\n")
        XCTAssertTrue(out.contains("type=\"checkbox\" checked=\"\" disabled=\"\""), out)
    }

    func testFootnotes() {
        let out = html("Text[^1].\n\n[^1]: The note.\n")
        XCTAssertTrue(out.contains("class=\"footnotes\""), out)
        XCTAssertTrue(out.contains("The note."))
    }

    func testRawHTMLAndScriptsNeverReachThePage() {
        let out = html("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <iframe src=x></iframe>\n\n[click](javascript:alert(1))\n")
        XCTAssertFalse(out.contains("<script"), out)
        XCTAssertFalse(out.contains("onerror"), out)
        XCTAssertFalse(out.contains("<iframe"), out)
        XCTAssertFalse(out.contains("javascript:"), out)
    }

    func testLinksAreRewrittenPerRender() {
        let doc = Markdown.parse("[goal](goal:halsa) and [web](https://example.org)", rewritable: { $0.hasPrefix("goal:") })
        XCTAssertTrue(doc.html { $0 == "goal:halsa" ? "../mal/halsa.html" : nil }.contains("href=\"../mal/halsa.html\""))
        XCTAssertTrue(doc.html { $0 == "goal:halsa" ? "../en/goals/health.html" : nil }.contains("href=\"../en/goals/health.html\""))
        XCTAssertTrue(doc.html().contains("href=\"https://example.org\""))
    }

    func testTextThatLooksLikeALinkPlaceholderStaysAsWritten() {
        let text = "Literal overens-link-0- and [goal](goal:halsa), [again](goal:halsa#mal) and `overens-link-1-`.\n"
        let doc = Markdown.parse(text, rewritable: { $0.hasPrefix("goal:") })
        let html = doc.html { $0.hasPrefix("goal:halsa") ? "../mal/halsa.html" + ($0.contains("#") ? "#mal" : "") : nil }
        XCTAssertTrue(html.contains("Literal overens-link-0- and"), html)
        XCTAssertTrue(html.contains("<code>overens-link-1-</code>"), html)
        XCTAssertTrue(html.contains("href=\"../mal/halsa.html\""), html)
        XCTAssertTrue(html.contains("href=\"../mal/halsa.html#mal\""), html)
        XCTAssertEqual(doc.html(), Markdown.parse(text).html(), "unrewritten, the links keep their targets")
    }

    func testRewrittenTargetsCannotBreakOutOfTheAttribute() {
        let doc = Markdown.parse("[x](goal:a)", rewritable: { _ in true })
        let html = doc.html { _ in "a\"><script>alert(1)</script>" }
        XCTAssertFalse(html.contains("<script"), html)
        XCTAssertFalse(html.contains("\"><"), html)
    }

    func testPlainTextForSearchHasTheWordsWithoutMarkup() {
        let doc = Markdown.parse("# Rubrik\n\nText med **fet** och `kod`[^1].\n\n| a | b |\n|---|---|\n| ett | två |\n\n- punkt\n\n[^1]: En fotnot.\n")
        XCTAssertEqual(doc.plainText, "Rubrik\nText med fet och kod.\na b \nett två \npunkt\nEn fotnot.\n")
    }

    func testParsingFromManyThreadsGivesTheSameHTML() {
        let text = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ https://a.example and [^1]\n\n[^1]: n\n"
        let expected = html(text)
        let results = parallelMap(Array(0..<64)) { _ in Markdown.parse(text).html() }
        XCTAssertEqual(Set(results), [expected])
    }
}
