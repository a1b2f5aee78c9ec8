import Foundation
import XCTest
import Overens
@testable import OverensServe

/// Each kind of change made while serving: afterwards the server serves exactly what a
/// fresh build of the same folders makes, file for file.
final class ChangeServeTests: XCTestCase {
    func testTemplateAssetStringsAndSiteConfigEditsServeAFreshBuild() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let log = LogLines()
        let server = try await startServer(box, log: log)
        let port = server.port
        try await blocking {
            try Self.assertServesAFreshBuild(server, box, "the first build")

            try Self.edit(box.theme + "/templates/action.mustache") { $0.replacingOccurrences(of: "{{/main}}", with: "<p>template v2</p>{{/main}}") }
            try Self.assertServesAFreshBuild(server, box, "a template edit", showing: "template v2")
            XCTAssertTrue(try fetch(port, "/insatser/idrott.html").text.contains("template v2"))

            try Self.edit(box.theme + "/assets/style.css") { $0 + "\n/* asset v2 */\n" }
            try "/* new */\n".write(toFile: box.theme + "/assets/extra.css", atomically: true, encoding: .utf8)
            try Self.assertServesAFreshBuild(server, box, "an asset edit", showing: "asset v2")
            XCTAssertEqual(try fetch(port, "/assets/extra.css").text, "/* new */\n")

            try Self.edit(box.theme + "/strings/sv.yml") { $0.replacingOccurrences(of: "  home: Start\n", with: "  home: Startsida v2\n") }
            try Self.assertServesAFreshBuild(server, box, "a strings edit", showing: "Startsida v2")

            try Self.edit(box.content + "/site.yml") { $0.replacingOccurrences(of: "sv: Testavtalet", with: "sv: Testavtalet v2") }
            try Self.assertServesAFreshBuild(server, box, "a site.yml edit", showing: "Testavtalet v2")
            XCTAssertTrue(try fetch(port, "/index.html").text.contains("Testavtalet v2"))
        }
        await server.stop()
    }

    /// Rewrites a file as editors do: beside it, then renamed over it.
    static func edit(_ path: String, _ change: (String) -> String) throws {
        let old = try String(contentsOfFile: path, encoding: .utf8)
        let new = change(old)
        XCTAssertNotEqual(new, old, "the edit changes \(path)")
        try new.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Waits until the served files are those of `Site.generate` of the same folders.
    static func assertServesAFreshBuild(_ server: PreviewServer, _ box: ServeSandbox, _ what: String, showing marker: String? = nil,
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = Site.generate(box.options)
        XCTAssertEqual(fresh.errors, [], what, file: file, line: line)
        let expected = Dictionary(uniqueKeysWithValues: fresh.files.map { ($0.path, $0.data) })
        if let marker {
            XCTAssertTrue(expected.values.contains { String(decoding: $0, as: UTF8.self).contains(marker) }, "\(what) shows in a fresh build", file: file, line: line)
        }
        let same = eventually { server.state.files == expected && !server.state.failed }
        guard !same else { return }
        let served = server.state.files
        let differ = Set(served.keys).union(expected.keys).filter { served[$0] != expected[$0] }.sorted()
        XCTFail("after \(what), \(differ.count) served files differ from a fresh build: \(differ.prefix(10)); errors: \(server.state.errors)", file: file, line: line)
    }
}
