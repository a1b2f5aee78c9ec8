import XCTest
@testable import Overens

final class FrontMatterTests: XCTestCase {
    func parse(_ text: String, kind: Kind = .action) -> (ParsedFile?, [Diagnostic]) {
        let bag = DiagnosticBag()
        let file = SourceFile(path: "content/\(kind.folder)/x.sv.md", kind: kind, id: "x", language: "sv", text: text)
        return (ContentParser.parse(file, diagnostics: bag), bag.all)
    }

    func testTypedFieldsAreRead() {
        let (file, diagnostics) = parse("---\ntitle: \"Kris: samverkan\"\nnumber: 4\ngoals: [a, b]\nparties: c\nstatus: planned\n---\nText\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(file?.translation.title, "Kris: samverkan")
        XCTAssertEqual(file?.fields.number, 4)
        XCTAssertEqual(file?.fields.goals.map(\.id), ["a", "b"])
        XCTAssertEqual(file?.fields.parties.map(\.id), ["c"], "a single id is a list of one")
        XCTAssertEqual(file?.fields.status, .planned)
    }

    func testGoalIdsCarryTheirLineAndColumn() {
        let (file, _) = parse("---\ntitle: T\nnumber: 1\ngoals:\n  - first\n  - second\n---\n")
        XCTAssertEqual(file?.fields.goals.map(\.location.line), [5, 6])
        XCTAssertEqual(file?.fields.goals.map(\.location.column), [5, 5])
    }

    func testWrongTypeNamesTheLineOfTheValue() {
        let (_, diagnostics) = parse("---\ntitle: T\nnumber: fyra\ngoals: [a]\n---\n")
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual(diagnostics.first?.location.line, 3)
        XCTAssertEqual(diagnostics.first?.location.column, 9)
        XCTAssertTrue(diagnostics.first!.message.contains("expected a whole number"), diagnostics.first!.message)
    }

    func testDuplicateKeyIsAnError() {
        let (_, diagnostics) = parse("---\ntitle: T\ntitle: U\nnumber: 1\n---\n")
        XCTAssertEqual(diagnostics.first?.severity, .error)
        XCTAssertTrue(diagnostics.first!.message.contains("'title' is given twice"), diagnostics.first!.message)
        XCTAssertGreaterThanOrEqual(diagnostics.first!.location.line, 2)
    }

    func testMalformedYAMLPointsIntoTheFile() {
        let (file, diagnostics) = parse("---\ntitle: T\nnumber: [1\ngoals: a\n---\nBody\n")
        XCTAssertNil(file)
        XCTAssertEqual(diagnostics.first?.severity, .error)
        XCTAssertTrue((3...5).contains(diagnostics.first!.location.line), "\(diagnostics)")
        XCTAssertTrue(diagnostics.first!.message.hasPrefix("a list starting here is not closed"), "\(diagnostics)")
    }

    func testUnclosedFrontMatter() {
        let (file, diagnostics) = parse("---\ntitle: T\n\nBody text\n")
        XCTAssertNil(file)
        XCTAssertTrue(diagnostics.first!.message.contains("not closed"))
        XCTAssertEqual(diagnostics.first?.location.line, 1)
    }

    func testMissingFrontMatter() {
        let (_, diagnostics) = parse("# Just markdown\n")
        XCTAssertTrue(diagnostics.first!.message.contains("must start with a line '---'"))
    }

    func testImpossibleDateIsRefused() {
        let (_, diagnostics) = parse("---\ntitle: T\ndate: 2023-02-30\n---\n", kind: .news)
        XCTAssertEqual(diagnostics.first?.location.line, 3)
        XCTAssertTrue(diagnostics.first!.message.contains("expected a real date"))
        XCTAssertNil(Day("2023-02-29"))
        XCTAssertNotNil(Day("2024-02-29"), "2024 is a leap year")
        XCTAssertNil(Day("2024-13-01"))
        XCTAssertNil(Day("24-1-1"))
    }

    func testUnknownFieldIsAWarningWithAHint() {
        let (_, diagnostics) = parse("---\ntitle: T\nnumber: 1\ngoal: [a]\ngoals: [a]\n---\n")
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual(diagnostics.first?.severity, .warning)
        XCTAssertTrue(diagnostics.first!.message.contains("did you mean 'goals'"), diagnostics.first!.message)
    }

    func testInvalidSlugIsRefused() {
        for slug in ["../up", "a/b", "Åland", "with space"] {
            let (_, diagnostics) = parse("---\ntitle: T\nslug: \"\(slug)\"\nnumber: 1\ngoals: [a]\n---\n")
            XCTAssertEqual(diagnostics.first?.severity, .error, slug)
            XCTAssertEqual(diagnostics.first?.location.line, 3, slug)
        }
    }

    func testBodyLinksAreFoundWithTheirFileLine() {
        let (file, _) = parse("---\ntitle: T\nnumber: 1\ngoals: [a]\n---\nIntro.\n\nSee [this](goal:halsa) and [that](party:region).\n")
        XCTAssertEqual(file?.translation.references.map(\.id), ["halsa", "region"])
        XCTAssertEqual(file?.translation.references.map(\.location.line), [8, 8])
        XCTAssertEqual(file?.translation.references.map(\.location.column), [12, 35])
    }
}

final class IdentifierTests: XCTestCase {
    func testTheAllowedSet() {
        XCTAssertTrue(Identifier.isValid("kris-2025"))
        for bad in ["", "-a", "a-", "A", "å", "a_b", "a.b", "..", "a/b", String(repeating: "a", count: 200)] {
            XCTAssertFalse(Identifier.isValid(bad), bad)
        }
    }
}
