import XCTest
@testable import Overens

final class ChangeTests: XCTestCase {
    func testEachKindOfPathIsClassified() throws {
        let root = NSTemporaryDirectory() + "overens-change-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let content = root + "/content", theme = root + "/theme"
        try FileManager.default.createDirectory(atPath: content + "/actions", withIntermediateDirectories: true)
        let saved = content + "/actions/idrott.sv.md", removed = content + "/actions/gone.sv.md", added = content + "/actions/new.sv.md"
        for path in [saved, added] { try "---\ntitle: x\n---\n".write(toFile: path, atomically: true, encoding: .utf8) }
        let known: Set<String> = [saved, removed]

        func part(_ path: String) -> Change.Part { Change.part(of: path, content: content, theme: theme) { known.contains($0) } }
        XCTAssertEqual(part(saved), .contentWording)
        XCTAssertEqual(part(removed), .contentStructure, "a file the last run read that is gone")
        XCTAssertEqual(part(added), .contentStructure, "a file the last run did not read")
        XCTAssertEqual(part(content + "/actions"), .contentStructure)
        XCTAssertEqual(part(content), .contentStructure)
        XCTAssertEqual(part(content + "/site.yml"), .siteConfig)
        XCTAssertEqual(part(theme + "/templates/action.mustache"), .template)
        XCTAssertEqual(part(theme + "/templates/cached/nav.mustache"), .template)
        XCTAssertEqual(part(theme), .template)
        XCTAssertEqual(part(theme + "/assets/style.css"), .asset)
        XCTAssertEqual(part(theme + "/assets/img/logo.svg"), .asset)
        XCTAssertEqual(part(theme + "/strings/sv.yml"), .strings)
        XCTAssertEqual(part(root + "/theme-other/assets/a.css"), .contentStructure, "a folder that only starts like the theme's")

        func change(_ paths: String...) -> Change { Change(paths: Set(paths), content: content, theme: theme) { known.contains($0) } }
        let words = change(saved)
        XCTAssertFalse(words.listsContent)
        XCTAssertFalse(words.loadsTheme)
        XCTAssertEqual(words.wording, [saved])
        XCTAssertEqual(words.entries(content: content), [EntryKey(kind: .action, id: "idrott")])
        XCTAssertFalse(words.assetsOnly)

        let template = change(theme + "/templates/action.mustache")
        XCTAssertFalse(template.listsContent, "a template change reads no content again")
        XCTAssertTrue(template.loadsTheme)
        XCTAssertNil(template.entries(content: content), "every page may change")

        let asset = change(theme + "/assets/style.css", theme + "/assets/app.js")
        XCTAssertTrue(asset.assetsOnly)
        XCTAssertTrue(asset.loadsTheme)
        XCTAssertFalse(change(theme + "/assets/style.css", saved).assetsOnly)

        XCTAssertTrue(change(content + "/site.yml").listsContent)
        XCTAssertTrue(change(added).listsContent)
        XCTAssertTrue(change(theme + "/strings/en.yml").loadsTheme)
        XCTAssertTrue(Change.everything.listsContent && Change.everything.loadsTheme)
        XCTAssertNil(Change.everything.entries(content: content))
    }
}
