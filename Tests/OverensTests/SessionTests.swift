import XCTest
@testable import Overens

/// A preview's session re-reads and re-checks only what changed. Whatever it skips, what
/// it renders and reports must be exactly what a fresh build of the same files gives.
final class SessionTests: XCTestCase {
    /// Edits `box` step by step; after each, the session and a fresh build must agree on
    /// every file's bytes and on every message.
    func assertSessionAgrees(_ steps: [(String, (Sandbox) -> [String])], file: StaticString = #filePath, line: UInt = #line) {
        let box = Sandbox()
        defer { try? FileManager.default.removeItem(atPath: box.root) }
        box.writeMinimalSite()
        let session = SiteSession(box.options)
        XCTAssertTrue(Site.render(session.link(changed: nil)).errors.isEmpty, file: file, line: line)
        for (name, edit) in steps {
            let changed = Set(edit(box).map { box.content + "/" + $0 })
            let incremental = Site.render(session.link(changed: changed))
            let fresh = Site.generate(box.options)
            XCTAssertEqual(incremental.diagnostics, fresh.diagnostics, "\(name): messages", file: file, line: line)
            XCTAssertEqual(incremental.files.map(\.path), fresh.files.map(\.path), "\(name): files", file: file, line: line)
            for (a, b) in zip(incremental.files, fresh.files) where a.data != b.data {
                XCTFail("\(name): \(a.path) differs from a fresh build", file: file, line: line)
            }
        }
    }

    func testWordsNeutralFieldsAndFilesComingAndGoing() {
        assertSessionAgrees([
            ("a new title and body", { box in
                box.write("actions/idrott.sv.md", "---\ntitle: Idrott och hälsa\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\nstatus: ongoing\n---\nSe [målet](goal:miljo).\n")
                return ["actions/idrott.sv.md"]
            }),
            ("a translation's words", { box in
                box.write("goals/halsa.en.md", "---\ntitle: Health for everyone\nslug: health\n---\nSee [sport](action:idrott).\n")
                return ["goals/halsa.en.md"]
            }),
            ("another goal: the goal pages' lists change", { box in
                box.write("actions/idrott.sv.md", "---\ntitle: Idrott och hälsa\nnumber: 1\ngoals: [miljo]\nparties: [forbundet]\nstatus: completed\n---\nText.\n")
                return ["actions/idrott.sv.md"]
            }),
            ("a new slug", { box in
                box.write("actions/skog.en.md", "---\ntitle: The forest\nslug: woods\n---\nForest.\n")
                return ["actions/skog.en.md"]
            }),
            ("a file added", { box in
                box.write("news/mer.sv.md", "---\ntitle: Mer\ndate: 2025-06-01\ngoals: [halsa]\n---\nMer.\n")
                return ["news/mer.sv.md"]
            }),
            ("a file removed", { box in
                try? FileManager.default.removeItem(atPath: box.content + "/news/mer.sv.md")
                return ["news/mer.sv.md"]
            }),
        ])
    }

    func testErrorsComeAndGoAsInAFreshBuild() {
        assertSessionAgrees([
            ("a link to nothing", { box in
                box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSe [x](goal:saknas).\n")
                return ["actions/skog.sv.md"]
            }),
            ("fixed", { box in
                box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSe [x](goal:miljo).\n")
                return ["actions/skog.sv.md"]
            }),
            ("broken front matter in a translation", { box in
                box.write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: [1\n---\nHälsa.\n")
                return ["goals/halsa.sv.md"]
            }),
            ("fixed again, with new words", { box in
                box.write("goals/halsa.sv.md", "---\ntitle: God hälsa för alla\norder: 1\n---\nHälsa.\n")
                return ["goals/halsa.sv.md"]
            }),
            ("a translation that disagrees", { box in
                box.write("actions/skog.en.md", "---\ntitle: The forest\nslug: forest\nnumber: 7\n---\nForest.\n")
                return ["actions/skog.en.md"]
            }),
            ("agreeing again", { box in
                box.write("actions/skog.en.md", "---\ntitle: The forest\nslug: forest\n---\nForest, [see](page:om).\n")
                return ["actions/skog.en.md"]
            }),
        ])
    }
}
