import Foundation
import XCTest
import Overens
@testable import OverensServe

/// Time from saving one action file to its rebuilt page being served, on a corpus of your
/// choice (skipped unless asked for):
///
///     OVERENS_SERVE_BENCH_CONTENT=/tmp/c10k/content swift test -c release --filter LatencyTests
///
/// The corpus is copied first; it is never edited in place.
final class LatencyTests: XCTestCase {
    func testSaveToServed() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let source = environment["OVERENS_SERVE_BENCH_CONTENT"] else {
            throw XCTSkip("set OVERENS_SERVE_BENCH_CONTENT to a content folder to measure")
        }
        let runs = Int(environment["OVERENS_SERVE_BENCH_RUNS"] ?? "") ?? 5
        let box = ServeSandbox()
        defer { box.remove() }
        try FileManager.default.removeItem(atPath: box.content)
        try FileManager.default.copyItem(atPath: source, toPath: box.content)

        let log = LogLines()
        let startClock = Date()
        let server = try await startServer(box, log: log)
        let startup = Date().timeIntervalSince(startClock)
        XCTAssertFalse(server.state.failed, "the corpus builds: \(server.state.errors.prefix(3))")

        // An action in the default language (the first in site.yml), published outside any language folder.
        let config = try String(contentsOfFile: box.content + "/site.yml", encoding: .utf8)
        let languages = try XCTUnwrap(config.split(separator: "\n").first { $0.hasPrefix("languages:") })
        let language = try XCTUnwrap(languages.split(whereSeparator: { "[], :".contains($0) }).dropFirst().first)
        let actions = try FileManager.default.contentsOfDirectory(atPath: box.content + "/actions").filter { $0.hasSuffix(".\(language).md") }.sorted()
        let file = try XCTUnwrap(actions.first)
        let id = String(file.split(separator: ".")[0])
        let page = try XCTUnwrap(server.state.files.keys.filter { $0.hasSuffix("/\(id).html") }.min { $0.count < $1.count })
        let path = box.content + "/actions/" + file
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let port = server.port

        let (latencies, saves) = try await blocking { () -> ([Double], [Date]) in
            var latencies: [Double] = []
            var saves: [Date] = []
            let connection = try RawConnection(port: port)
            for run in 0..<runs {
                let marker = "Marker\(run)x\(UInt32.random(in: 0 ... .max))"
                let edited = original.replacingOccurrences(of: "title: ", with: "title: \(marker) ", options: [], range: original.range(of: "title: "))
                let saved = Date()
                saves.append(saved)
                try edited.write(toFile: path, atomically: true, encoding: .utf8)
                while !(try connection.request("GET", "/" + page).text.contains(marker)) {
                    usleep(1000)
                    if Date().timeIntervalSince(saved) > 60 { throw TestError("no new page within 60 s") }
                }
                latencies.append(Date().timeIntervalSince(saved) * 1000)
                usleep(300_000)
            }
            return (latencies, saves)
        }
        let sorted = latencies.sorted()
        print("serve latency on \(server.state.files.count) files (startup \(String(format: "%.2f", startup)) s): "
              + latencies.map { String(format: "%.0f", $0) }.joined(separator: ", ")
              + " ms; median \(String(format: "%.0f", sorted[sorted.count / 2])) ms")
        let rebuilds = log.timed.filter { $0.1.contains("rebuilt") }
        for (i, (time, line)) in rebuilds.enumerated() {
            let after = i < saves.count ? String(format: " (logged %.0f ms after the save)", time.timeIntervalSince(saves[i]) * 1000) : ""
            print("  " + line + after)
        }
        await server.stop()
    }
}
