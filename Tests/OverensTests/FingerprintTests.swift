import Foundation
import XCTest
@testable import Overens

/// Stylesheets, scripts and the search index are published under names that change with
/// their bytes, so a server may cache them for a year and a reader never keeps an old one.
final class FingerprintTests: XCTestCase {
    func site() -> Sandbox {
        let box = Sandbox(copyTheme: true)
        box.writeMinimalSite()
        return box
    }

    /// The files under `output/assets/`.
    func assets(_ box: Sandbox) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: box.output + "/assets")) ?? []).sorted()
    }

    /// The one published file whose name is `stem.<10 hex digits>.ext`.
    func published(_ box: Sandbox, _ stem: String, _ ext: String) throws -> String {
        let found = assets(box).filter { $0.range(of: "^\(stem)\\.[0-9a-f]{10}\\.\(ext)$", options: .regularExpression) != nil }
        XCTAssertEqual(found.count, 1, "one \(stem).….\(ext) in \(assets(box))")
        return try XCTUnwrap(found.first)
    }

    func testPagesLoadTheStylesheetByANameThatChangesWithItsContent() throws {
        let box = site()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let first = try published(box, "style", "css")
        XCTAssertFalse(assets(box).contains("style.css"), "no copy under the fixed name")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: box.output + "/assets/" + first)),
                       try Data(contentsOf: URL(fileURLWithPath: box.theme + "/assets/style.css")), "the bytes are the theme's")
        XCTAssertTrue(attributeValues("href", in: box.read("index.html")).contains("assets/" + first))
        XCTAssertTrue(attributeValues("href", in: box.read("en/actions/sport.html")).contains("../../assets/" + first))

        // Edit the stylesheet: a new name, and every page points at it.
        let css = box.theme + "/assets/style.css"
        try (String(contentsOfFile: css, encoding: .utf8) + "\nbody { color: black }\n").write(toFile: css, atomically: true, encoding: .utf8)
        XCTAssertEqual(Site.build(box.options).errors, [])
        let second = try published(box, "style", "css")
        XCTAssertNotEqual(first, second)
        XCTAssertFalse(assets(box).contains(first), "the old version is gone from the output")
        XCTAssertTrue(attributeValues("href", in: box.read("insatser/idrott.html")).contains("../assets/" + second))
    }

    func testTheSearchIndexNameFollowsTheContentAndTheSearchPageLoadsIt() throws {
        let box = site()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let first = try published(box, "search-index\\.sv", "js")
        XCTAssertTrue(attributeValues("src", in: box.read("sok.html")).contains("assets/" + first))
        box.write("actions/skog.sv.md", "---\ntitle: Skogen växer\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSkog.\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        let second = try published(box, "search-index\\.sv", "js")
        XCTAssertNotEqual(first, second, "a changed title is a new index")
        XCTAssertTrue(box.read("assets/" + second).contains("Skogen växer"))
        XCTAssertTrue(attributeValues("src", in: box.read("sok.html")).contains("assets/" + second))
    }

    func testAnAssetNoTemplateNamesKeepsItsName() throws {
        // A stylesheet may @import a sibling by its own name.
        let box = site()
        try "p { margin: 0 }\n".write(toFile: box.theme + "/assets/extra.css", atomically: true, encoding: .utf8)
        XCTAssertEqual(Site.build(box.options).errors, [])
        XCTAssertTrue(assets(box).contains("extra.css"), "\(assets(box))")
    }

    func testAnAssetATemplateNamesWronglyIsAnErrorAtItsTag() throws {
        let box = site()
        let layout = box.theme + "/templates/layout.mustache"
        let text = try String(contentsOfFile: layout, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("{{#asset}}style.css") }) + 1
        try text.replacingOccurrences(of: "{{#asset}}style.css{{/asset}}", with: "{{#asset}}stlye.css{{/asset}}")
            .write(toFile: layout, atomically: true, encoding: .utf8)
        let errors = Site.build(box.options).errors
        let error = try XCTUnwrap(errors.first { $0.location.path.hasSuffix("layout.mustache") }, "\(errors)")
        XCTAssertEqual(error.location.line, line)
        XCTAssertTrue(error.message.contains("'stlye.css'") && error.message.contains("'style.css'"), error.message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.output + "/index.html"), "nothing published")
    }

    func testAFingerprintedAssetLinkedByItsFixedNameIsAnError() throws {
        // The output has no print.css once a template names it with {{#asset}}: a link to the
        // fixed name would be a broken stylesheet.
        let box = site()
        let search = box.theme + "/templates/search.mustache"
        let text = try String(contentsOfFile: search, encoding: .utf8)
        try (text + "<link rel=\"stylesheet\" href=\"{{assets}}print.css\">\n").write(toFile: search, atomically: true, encoding: .utf8)
        let errors = Site.build(box.options).errors
        let error = try XCTUnwrap(errors.first { $0.location.path.hasSuffix("search.mustache") }, "\(errors)")
        XCTAssertEqual(error.location.line, text.split(separator: "\n", omittingEmptySubsequences: false).count)
        XCTAssertTrue(error.message.contains("{{#asset}}print.css{{/asset}}"), error.message)
    }
}
