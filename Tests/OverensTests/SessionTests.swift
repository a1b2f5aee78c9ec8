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

    /// After a save that changes only words, the session checks the links and resolves the
    /// files and images of the saved entry alone; what it reports must still be everything
    /// a fresh build reports, errors left in other files included.
    func testLinksFilesAndImagesOfOtherEntriesStayReported() {
        let skog = "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\n"
        let idrott = "---\ntitle: Idrott för alla\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\nstatus: ongoing\n---\n"
        assertSessionAgrees([
            ("a broken link", { box in
                box.write("actions/skog.sv.md", skog + "Se [sidan](../saknas.html).\n")
                return ["actions/skog.sv.md"]
            }),
            ("another entry's words, the broken link still there", { box in
                box.write("actions/idrott.sv.md", idrott + "Nya ord.\n")
                return ["actions/idrott.sv.md"]
            }),
            ("the link mended", { box in
                box.write("actions/skog.sv.md", skog + "Se [sidan](../om.html).\n")
                return ["actions/skog.sv.md"]
            }),
            ("a photo that is not there", { box in
                box.write("actions/idrott.sv.md", idrott + "![Barn som springer](image:saknas.jpg)\n")
                return ["actions/idrott.sv.md"]
            }),
            ("another entry's words, the photo still missing", { box in
                box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott]\n---\nNu börjar vi på riktigt.\n")
                return ["news/start.sv.md"]
            }),
            ("a PDF published and linked", { box in
                box.write("files/plan.pdf", "%PDF-1.4\n%%EOF\n")
                box.write("actions/idrott.sv.md", idrott + "Läs [planen](file:plan.pdf).\n")
                return ["files/plan.pdf", "actions/idrott.sv.md"]
            }),
            ("a link to the PDF's place in the site", { box in
                box.write("actions/skog.sv.md", skog + "Se [planen](../files/plan.pdf) och [saknas](../files/annan.pdf).\n")
                return ["actions/skog.sv.md"]
            }),
            ("the PDF no longer linked: nothing publishes it", { box in
                box.write("actions/idrott.sv.md", idrott + "Ingen plan.\n")
                return ["actions/idrott.sv.md"]
            }),
        ])
    }
}
