import Foundation
import XCTest
@testable import Overens

/// Replays the fuzzer's seeds and every input that once crashed or hung it
/// (`FuzzCorpus/crashes/`), through the same harness the fuzz target runs.
final class FuzzRegressionTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus").path

    static let theme: Theme? = {
        let diagnostics = DiagnosticBag()
        let theme = Theme.load(directory: Repo.theme, languages: FuzzHarness.languages, diagnostics: diagnostics)
        return diagnostics.hasErrors ? nil : theme
    }()

    func inputs(_ folder: String) -> [String] {
        let directory = Self.corpus + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }

    func replay(_ path: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return XCTFail("cannot read \(path)", file: file, line: line)
        }
        let name = (path as NSString).lastPathComponent
        let start = Date()
        let outcome = data.withUnsafeBytes { FuzzHarness.run($0, theme: Self.theme) }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(outcome.problems, [], name, file: file, line: line)
        // Every error names a file of the input or the theme; in a content file it names a
        // line, unless it is about the file as a whole (not text, or in no site language).
        for error in outcome.diagnostics where error.severity == .error {
            let path = error.location.path
            if path.hasPrefix(Repo.theme + "/") { continue }
            XCTAssertTrue(path.hasPrefix(FuzzHarness.contentRoot + "/"), "\(name): \(error)", file: file, line: line)
            let wholeFile = outcome.texts[path] == nil || error.message.contains("is not in site.yml")
            XCTAssertTrue(error.location.line >= 1 || wholeFile, "\(name): \(error)", file: file, line: line)
        }
        // Content with no errors renders; errors stop the render.
        if outcome.diagnostics.allSatisfy({ $0.severity != .error }) && !outcome.texts.isEmpty {
            XCTAssertNotNil(outcome.rendered, "\(name) has no errors but did not render", file: file, line: line)
        } else {
            XCTAssertNil(outcome.rendered, name, file: file, line: line)
        }
        // Inputs that once hung the fuzzer must now be quick, even in a debug build.
        XCTAssertLessThan(seconds, 10, "\(name) took \(seconds) s", file: file, line: line)
    }

    func testThemeLoads() {
        XCTAssertNotNil(Self.theme)
    }

    func testSeedsRunClean() {
        let seeds = inputs("seeds")
        XCTAssertGreaterThan(seeds.count, 5)
        for path in seeds { replay(path) }
    }

    func testSeedsReachEveryStage() {
        // At least one seed renders a whole site, so the render stage is fuzzed from the start.
        let rendered = inputs("seeds").filter { path in
            let data = FileManager.default.contents(atPath: path) ?? Data()
            return data.withUnsafeBytes { FuzzHarness.run($0, theme: Self.theme).rendered != nil }
        }
        XCTAssertFalse(rendered.isEmpty)
    }

    func testCrashesStayFixed() {
        for path in inputs("crashes") { replay(path) }
    }

    func testInputSplitsIntoSlots() throws {
        let input = Data("---\ntitle: A\nnumber: 1\ngoals: [halsa]\n---\n\0\0\0\0---\ntitle: Sida\n---\n".utf8)
        let outcome = input.withUnsafeBytes { FuzzHarness.run($0, theme: Self.theme) }
        XCTAssertEqual(Set(outcome.texts.keys), ["content/actions/fuzz.sv.md", "content/pages/fuzz.sv.md",
                                                 "content/goals/halsa.sv.md", "content/parties/forbundet.sv.md", "content/site.yml"])
        XCTAssertEqual(outcome.problems, [])
        let paths = try XCTUnwrap(outcome.rendered).map(\.path)
        XCTAssertTrue(paths.contains("fuzz.html"), "\(paths)")
    }

    // The theme target: templates and strings.

    static let themeTexts = Theme.read(directory: Repo.theme, languages: FuzzHarness.languages, diagnostics: DiagnosticBag())

    func replayTheme(_ path: String) throws -> FuzzHarness.Outcome {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let base = try XCTUnwrap(Self.themeTexts)
        let start = Date()
        let outcome = data.withUnsafeBytes { ThemeFuzzHarness.run($0, base: base) }
        let name = (path as NSString).lastPathComponent
        XCTAssertEqual(outcome.problems, [], name)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, name)
        return outcome
    }

    func testTheRealThemeAsASeedRendersTheSite() throws {
        let seeds = inputs("theme-seeds")
        XCTAssertFalse(seeds.isEmpty)
        for path in seeds {
            let outcome = try replayTheme(path)
            XCTAssertEqual(outcome.diagnostics.filter { $0.severity == .error }, [], path)
            let pages = try XCTUnwrap(outcome.rendered, "the seed draws the whole fixed site").map(\.path)
            XCTAssertTrue(pages.contains("insatser/fuzz.html") && pages.contains("fuzz.html"), "\(pages)")
        }
    }

    func testThemesThatOnceCrashedAreRefusedWithErrorsInsideTheirFiles() throws {
        let crashes = inputs("theme-crashes")
        XCTAssertGreaterThanOrEqual(crashes.count, 4)
        for path in crashes {
            let outcome = try replayTheme(path)
            let errors = outcome.diagnostics.filter { $0.severity == .error }
            XCTAssertFalse(errors.isEmpty, "\(path) is refused")
            XCTAssertNil(outcome.rendered)
        }
    }
}
