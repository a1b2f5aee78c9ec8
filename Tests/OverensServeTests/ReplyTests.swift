import Foundation
import XCTest
import Overens
@testable import OverensServe

/// The preview keeps answering while it draws: after a save it serves the saved entry's
/// page, then draws the pages that list the entry, then the rest of the site.
final class ReplyTests: XCTestCase {
    /// An action on twenty goals, each goal listing 300 actions: the saved action's page is
    /// served before its goals' pages are drawn again, and a request sent in between is
    /// answered before they are done, not after.
    func testARequestIsAnsweredWhileThePagesThatListTheSaveAreDrawn() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let goals = (1...20).map { "mal-\($0)" }
        for (n, goal) in goals.enumerated() {
            box.write("goals/\(goal).sv.md", "---\ntitle: Mål \(n + 1)\norder: \(n + 3)\n---\nMål.\n")
        }
        for n in 1...300 {
            box.write("actions/insats-\(n).sv.md", "---\ntitle: Insats \(n)\nnumber: \(n + 2)\ngoals: [\(goals.joined(separator: ", "))]\n---\nText.\n")
        }
        @Sendable func saved(_ version: Int) -> String {
            "---\ntitle: Idrott för alla v\(version)\nnumber: 1\ngoals: [halsa, \(goals.joined(separator: ", "))]\nparties: [forbundet]\nstatus: ongoing\n---\nText v\(version).\n"
        }
        box.write("actions/idrott.sv.md", saved(0))
        let log = LogLines()
        let server = try await startServer(box, log: log)
        let port = server.port
        try await blocking {
            XCTAssertTrue(eventually(within: 120) { !server.state.failed && server.state.files["insatser/idrott.html"] != nil })
            for version in 1...2 {
                box.write("actions/idrott.sv.md", saved(version))
                XCTAssertTrue(eventually(within: 60, interval: 0.002) {
                    server.state.files["insatser/idrott.html"].map { String(decoding: $0, as: UTF8.self).contains("Idrott för alla v\(version)") } ?? false
                }, "the saved page is served")
                let shown = server.state.generation
                let goalPage = server.state.files["mal/mal-1.html"]
                let reply = try fetch(port, "/om.html")
                XCTAssertEqual(reply.status, 200)
                XCTAssertEqual(server.state.generation, shown, "save \(version): the reply waited until the goals' pages were drawn")
                XCTAssertEqual(server.state.files["mal/mal-1.html"], goalPage, "save \(version): the goals' pages were already drawn; the test proves nothing")
                // The goals' pages follow, with the new title.
                XCTAssertTrue(eventually(within: 120) {
                    server.state.files["mal/mal-1.html"].map { String(decoding: $0, as: UTF8.self).contains("Idrott för alla v\(version)") } ?? false
                })
            }
        }
        await server.stop()
    }
}
