import Foundation
import XCTest
@testable import Overens
@testable import OverensServe
import FlyingSocks

/// The rules of answering, without a socket.
final class ResponderTests: XCTestCase {
    let state = SiteState(files: ["index.html": Data("<!DOCTYPE html><html><body><p>Hi</p></BODY></html>\n".utf8),
                                  "404.html": Data("<html><body>missing</body></html>".utf8),
                                  "insatser/index.html": Data("<html><body>list</body></html>".utf8),
                                  "assets/style.css": Data("body{}".utf8)],
                          errors: [], warnings: [], generation: "g1")

    func testTargets() {
        XCTAssertEqual(Responder.target(ofRawPath: "/"), .file("index.html"))
        XCTAssertEqual(Responder.target(ofRawPath: "/en/"), .file("en/index.html"))
        XCTAssertEqual(Responder.target(ofRawPath: "/m%C3%A5l/x.html"), .file("mål/x.html"))
        for raw in ["/../etc/passwd", "/%2e%2e/x", "/a/%2E%2E/%2e%2e/x", "/..%2fx", "/index.html%00.txt", "/a/./b", "/%zz", "/..%5cx", "etc"] {
            guard case .refused = Responder.target(ofRawPath: raw) else { return XCTFail("\(raw) should be refused") }
        }
        XCTAssertEqual(Responder.target(ofRawPath: "/a..b/c..html"), .file("a..b/c..html"), "dots inside a name are fine")
    }

    func testInjectionOnlyIntoHTML() {
        let page = Responder.respond(method: "GET", rawPath: "/", state: state)
        let text = String(decoding: page.body, as: UTF8.self)
        XCTAssertEqual(text, "<!DOCTYPE html><html><body><p>Hi</p><script src=\"/__overens/reload.js\" data-generation=\"g1\"></script>\n</BODY></html>\n")
        let css = Responder.respond(method: "GET", rawPath: "/assets/style.css", state: state)
        XCTAssertEqual(css.body, Data("body{}".utf8))
        XCTAssertEqual(css.header("Content-Type"), "text/css; charset=utf-8")
        let bare = Responder.inject(into: Data("<p>no body tag</p>".utf8), generation: "x")
        XCTAssertTrue(String(decoding: bare, as: UTF8.self).hasSuffix("data-generation=\"x\"></script>\n"))
    }

    func testErrorPageSpeaksTheChosenLanguage() {
        // `overens serve` passes --lang (or the locale, or site.yml's choice) on in OVERENS_LANG.
        setenv("OVERENS_LANG", "sv", 1)
        defer { unsetenv("OVERENS_LANG") }
        let error = Diagnostic.error(SourceLocation(path: "content/goals/a.sv.md", line: 2, column: 12), .colonInValue(field: "title", example: "title: \"Kris: samverkan\""))
        let text = String(decoding: ErrorPage.render(errors: [error], warnings: [], generation: "g"), as: UTF8.self)
        XCTAssertTrue(text.contains("<html lang=\"sv\">"), text)
        XCTAssertTrue(text.contains("<h1>Webbplatsen går inte att bygga: 1 fel</h1>"), text)
        XCTAssertTrue(text.contains("content/goals/a.sv.md:2:12: error: rubriken innehåller ett kolon; sätt rubriken inom citattecken"), text)
    }

    func testFailedBuildShowsErrorsForPagesOnly() {
        let error = Diagnostic.error(SourceLocation(path: "content/goals/a.sv.md", line: 3, column: 9), .notAChoice("status", "<b>", options: ["planned"]))
        let failed = SiteState(files: state.files, errors: [error], warnings: [], generation: "g2")
        let page = Responder.respond(method: "GET", rawPath: "/index.html", state: failed)
        XCTAssertEqual(page.status, 500)
        let text = String(decoding: page.body, as: UTF8.self)
        XCTAssertTrue(text.contains("content/goals/a.sv.md:3:9: error: field &#39;status&#39; is &#39;&lt;b&gt;&#39;; expected one of planned"), text)
        XCTAssertTrue(text.contains("data-generation=\"g2\""))
        XCTAssertEqual(Responder.respond(method: "GET", rawPath: "/assets/style.css", state: failed).status, 200)
        XCTAssertEqual(Responder.respond(method: "GET", rawPath: "/nope", state: failed).status, 500)
        XCTAssertEqual(Responder.respond(method: "GET", rawPath: "/nope.png", state: failed).status, 404)
    }

    func testContentTypes() {
        XCTAssertEqual(Responder.contentType(forPath: "en/atom.xml"), "application/atom+xml; charset=utf-8")
        XCTAssertEqual(Responder.contentType(forPath: "sitemap.xml"), "application/xml; charset=utf-8")
        XCTAssertEqual(Responder.contentType(forPath: "a/b.svg"), "image/svg+xml; charset=utf-8")
        XCTAssertEqual(Responder.contentType(forPath: "f.woff2"), "font/woff2")
        XCTAssertEqual(Responder.contentType(forPath: "p.JPG"), "image/jpeg")
        XCTAssertEqual(Responder.contentType(forPath: "LICENSE"), "application/octet-stream")
    }

    func testHead() {
        let head = Responder.respond(method: "HEAD", rawPath: "/", state: state)
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(head.body.isEmpty)
        let get = Responder.respond(method: "GET", rawPath: "/", state: state)
        XCTAssertEqual(head.header("Content-Length"), String(get.body.count))
    }
}

/// inotify: changes arrive in batches, new folders are watched, swap files are not changes.
final class WatcherTests: XCTestCase {
    func testBatchesAndNewFolders() throws {
        let root = NSTemporaryDirectory() + "overens-watch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let batches = Locked<[Set<String>]>([])
        let watcher = Watcher(roots: [root], quiet: 0.3, settle: 0.2, maxDelay: 1) { changed in batches.update { $0.append(changed) } }
        try watcher.start()
        defer { watcher.stop() }
        XCTAssertEqual(watcher.watchCount, 2)

        try "x".write(toFile: root + "/a/one.md", atomically: false, encoding: .utf8)
        try "x".write(toFile: root + "/a/two.md", atomically: false, encoding: .utf8)
        XCTAssertTrue(eventually { batches.get().count == 1 }, "\(batches.get())")
        usleep(300_000)
        XCTAssertEqual(batches.get().count, 1, "two quick writes make one batch")
        XCTAssertTrue(batches.get()[0].isSuperset(of: [root + "/a/one.md", root + "/a/two.md"]))

        try "x".write(toFile: root + "/a/.one.md.swp", atomically: false, encoding: .utf8)
        try "x".write(toFile: root + "/a/one.md~", atomically: false, encoding: .utf8)
        usleep(400_000)
        XCTAssertEqual(batches.get().count, 1, "swap and backup files are not changes")

        try FileManager.default.createDirectory(atPath: root + "/b/c", withIntermediateDirectories: true)
        XCTAssertTrue(eventually { watcher.watchCount == 4 }, "new folders get watches: \(watcher.watchCount)")
        XCTAssertTrue(eventually { batches.get().count == 2 })
        try "x".write(toFile: root + "/b/c/three.md", atomically: false, encoding: .utf8)
        XCTAssertTrue(eventually { batches.get().last?.contains(root + "/b/c/three.md") ?? false }, "\(batches.get())")
    }

    func testWaitsForAFileBeingWrittenToBeClosed() throws {
        let root = NSTemporaryDirectory() + "overens-watch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let batches = Locked<[Set<String>]>([])
        let watcher = Watcher(roots: [root], quiet: 0.5, maxDelay: 2) { changed in batches.update { $0.append(changed) } }
        try watcher.start()
        defer { watcher.stop() }

        _ = FileManager.default.createFile(atPath: root + "/page.md", contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: root + "/page.md"))
        handle.write(Data("---\ntitle: Half".utf8))
        usleep(150_000)
        XCTAssertEqual(batches.get().count, 0, "no rebuild while the file is open for writing")
        handle.write(Data(" and whole\n---\n".utf8))
        try handle.close()
        XCTAssertTrue(eventually(within: 2) { batches.get().count == 1 }, "closing the file ends the wait")
    }
}

/// When the preview listens again, and which hosts it warns about.
final class ListeningTests: XCTestCase {
    func testLoopbackHosts() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"] {
            XCTAssertTrue(PreviewServer.isLoopback(host), host)
        }
        for host in ["0.0.0.0", "::", "192.168.1.10", "128.0.0.1", "::ffff:10.0.0.1", "example.org", ""] {
            XCTAssertFalse(PreviewServer.isLoopback(host), host)
        }
    }

    func testRelistenBacksOffAndGivesUpOnlyOnLastingFailures() {
        let shortage = SocketError.failed(type: "Accept", errno: EMFILE, message: "Too many open files")
        let taken = SocketError.failed(type: "Bind", errno: EADDRINUSE, message: "Address already in use")
        var relisten = Relisten()
        let t0 = Date()
        XCTAssertEqual(relisten.next(after: shortage, began: t0.addingTimeInterval(-60), now: t0), .retry(after: 0.01, first: true))
        var pauses: [Double] = []
        for i in 1...8 {
            let now = t0.addingTimeInterval(Double(i))
            guard case .retry(let pause, let first) = relisten.next(after: shortage, began: now, now: now) else { return XCTFail("a shortage is retried") }
            XCTAssertFalse(first)
            pauses.append(pause)
        }
        XCTAssertEqual(pauses, [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1, 1])
        XCTAssertEqual(relisten.next(after: shortage, began: t0, now: t0.addingTimeInterval(100)), .retry(after: 0.01, first: true),
                       "a server that ran a while served: a new run of failures")
        XCTAssertEqual(relisten.next(after: taken, began: t0.addingTimeInterval(105), now: t0.addingTimeInterval(105)), .retry(after: 0.02, first: false))
        XCTAssertEqual(relisten.next(after: taken, began: t0.addingTimeInterval(111), now: t0.addingTimeInterval(111)), .giveUp)
        XCTAssertEqual(Relisten.describe(shortage), "accept: Too many open files")
    }
}
