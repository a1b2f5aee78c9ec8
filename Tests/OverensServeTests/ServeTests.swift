import Foundation
import XCTest
import Overens
@testable import OverensServe
#if canImport(Glibc)
import Glibc
#endif

/// The preview server as an editor meets it: a page, an edit, the reload, a mistake, the fix.
final class ServeTests: XCTestCase {
    let actionPage = "/insatser/idrott.html"

    override func setUp() {
        signal(SIGPIPE, SIG_IGN)
    }

    func testEditReloadBreakAndFix() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let log = LogLines()
        let server = try await startServer(box, log: log)
        let port = server.port
        XCTAssertNotEqual(port, 0)
        let stylesheet = servedAsset(server, "assets/style.css")

        try await blocking { [actionPage] in
            let first = try fetch(port, actionPage)
            XCTAssertEqual(first.status, 200)
            XCTAssertEqual(first.headers["content-type"], "text/html; charset=utf-8")
            XCTAssertTrue(first.text.contains("Idrott för alla v0"))
            XCTAssertTrue(first.text.contains("<script src=\"/__overens/reload.js\""), "served pages carry the reload script")
            let script = try fetch(port, "/__overens/reload.js")
            XCTAssertEqual(script.status, 200)
            XCTAssertEqual(script.headers["content-type"], "text/javascript; charset=utf-8")
            XCTAssertTrue(script.text.contains("EventSource"))

            let events = try EventListener(port: port)
            defer { events.stop() }
            XCTAssertEqual(events.headers["content-type"], "text/event-stream; charset=utf-8")
            XCTAssertTrue(eventually { events.count("hello") == 1 }, "the stream greets: \(events.text)")

            // Edit: the new text is served and the page is told to reload.
            box.write("actions/idrott.sv.md", ServeSandbox.action(version: 1))
            XCTAssertTrue(try eventually { try fetch(port, actionPage).text.contains("Idrott för alla v1") }, "new text within 10 s")
            XCTAssertTrue(eventually { events.count("reload") >= 1 }, "reload event within 10 s: \(events.text)")

            // Break a file: every page shows the error, naming file and line.
            let reloadsBefore = events.count("reload")
            box.write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: [1\n---\nHälsa.\n")
            var broken: RawResponse?
            XCTAssertTrue(try eventually { broken = try fetch(port, actionPage); return broken?.status == 500 }, "error page within 10 s")
            let page = try XCTUnwrap(broken)
            XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
            XCTAssertTrue(page.text.contains(box.content + "/goals/halsa.sv.md:3:"), "names file and line:\n\(page.text)")
            XCTAssertTrue(page.text.contains("error: a list starting here is not closed"), page.text)
            XCTAssertTrue(page.text.contains("order: [1"), "shows the line itself")
            XCTAssertTrue(page.text.contains("/__overens/reload.js"), "the error page reloads itself too")
            XCTAssertTrue(eventually { events.count("reload") > reloadsBefore }, "a failed rebuild also reloads")
            XCTAssertEqual(try fetch(port, stylesheet).status, 200, "assets of the last good build stay")
            XCTAssertTrue(log.all.contains { $0.contains("goals/halsa.sv.md:3:") && $0.contains("error:") }, "the terminal shows the error too")

            // Fix it: the page comes back.
            let reloadsBroken = events.count("reload")
            box.write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\n---\nHälsa.\n")
            var fixed: RawResponse?
            XCTAssertTrue(try eventually { fixed = try fetch(port, actionPage); return fixed?.status == 200 }, "page back within 10 s")
            XCTAssertTrue(fixed?.text.contains("Idrott för alla v1") ?? false)
            XCTAssertTrue(eventually { events.count("reload") > reloadsBroken })
        }
        await server.stop()
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.root + "/site"), "serve writes no site folder")
        XCTAssertNil(try? FileManager.default.contentsOfDirectory(atPath: box.content).first { $0.hasPrefix(".overens") })
    }

    /// Many clients at once while the action file keeps changing: every answer whole.
    func testLoadWhileRebuilding() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let log = LogLines()
        let server = try await startServer(box, log: log)
        let port = server.port
        let firstGeneration = server.state.generation

        let clients = 50, perClient = 200
        let actionPage = self.actionPage
        let stylesheet = servedAsset(server, "assets/style.css")
        let paths = [actionPage, "/index.html", "/", "/en/actions/sport.html", "/mal/halsa.html", stylesheet, "/no/such/page.html"]
        let failures = Locked<[String]>([])
        let versionsSeen = Locked<Set<Int>>([])
        let done = Locked(false)
        let versionPattern = try NSRegularExpression(pattern: "Idrott för alla v(\\d+)")
        let textPattern = try NSRegularExpression(pattern: "Version (\\d+) av texten")

        @Sendable func version(_ regex: NSRegularExpression, _ text: String) -> Int? {
            guard let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let r = Range(m.range(at: 1), in: text) else { return nil }
            return Int(text[r])
        }

        @Sendable func check(_ path: String, _ response: RawResponse) {
            let expected = path.hasPrefix("/no/") ? 404 : 200
            guard response.status == expected else { failures.update { $0.append("\(path): status \(response.status)") }; return }
            if let length = response.headers["content-length"].flatMap(Int.init), length != response.body.count {
                failures.update { $0.append("\(path): \(response.body.count) of \(length) bytes") }
            }
            guard path != stylesheet else { return }
            let text = response.text
            guard text.hasPrefix("<!DOCTYPE html>"), text.hasSuffix("</html>\n") else {
                failures.update { $0.append("\(path): not a whole page (\(text.count) characters, ends \(text.suffix(40).debugDescription))") }
                return
            }
            if path == actionPage {
                // Title and text come from one version of the file, or the page is half of two builds.
                let title = version(versionPattern, text), body = version(textPattern, text)
                if title == nil || title != body {
                    failures.update { $0.append("\(path): title from version \(title ?? -1), text from \(body ?? -1)") }
                } else {
                    versionsSeen.update { $0.insert(title!) }
                }
            }
        }

        let started = Date()
        let editor = Thread {
            var version = 1
            while !done.get() {
                box.write("actions/idrott.sv.md", ServeSandbox.action(version: version))
                version += 1
                usleep(40_000)
            }
        }
        editor.start()

        try await blocking {
            let group = DispatchGroup()
            for client in 0..<clients {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    let keepAlive = client % 2 == 0
                    var connection: RawConnection?
                    for i in 0..<perClient {
                        let path = paths[(client + i) % paths.count]
                        do {
                            if connection == nil || !keepAlive { connection = try RawConnection(port: port) }
                            check(path, try connection!.request("GET", path, keepAlive: keepAlive))
                        } catch {
                            failures.update { $0.append("\(path): \(error)") }
                            connection = nil
                        }
                    }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            guard group.wait(timeout: .now() + 45) == .success else { throw TestError("clients did not finish within 45 s") }
        }
        done.set(true)
        let seconds = Date().timeIntervalSince(started)

        let problems = failures.get()
        XCTAssertTrue(problems.isEmpty, "\(problems.count) bad answers of \(clients * perClient), first: \(problems.prefix(5))")
        XCTAssertNotEqual(server.state.generation, firstGeneration, "the site was rebuilt during the load")
        XCTAssertGreaterThan(versionsSeen.get().count, 1, "more than one version of the page was served")
        XCTAssertFalse(server.state.failed)
        try await blocking { [actionPage] in
            let after = try fetch(port, actionPage)
            XCTAssertEqual(after.status, 200, "still answers afterwards")
        }
        print("load: \(clients * perClient) requests from \(clients) clients in \(String(format: "%.1f", seconds)) s, \(versionsSeen.get().count) versions of the page seen")
        await server.stop()
    }

    func testPathTraversalIsRefused() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        // A file outside the site, and a link to it from inside the theme's assets.
        let secret = box.root + "/secret.txt"
        try "TOP SECRET".write(toFile: secret, atomically: true, encoding: .utf8)
        XCTAssertEqual(symlink(secret, box.theme + "/assets/leak.txt"), 0)
        let log = LogLines()
        let server = try await startServer(box, log: log)
        let port = server.port
        let attacks = ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/index.html%00.txt",
                       "/assets/../../secret.txt", "/%2E%2E/secret.txt", "/..%5c..%5csecret.txt", "/mal/%2e%2e/%2e%2e/%2e%2e/etc/passwd"]
        try await blocking {
            for path in attacks {
                let response = try fetch(port, path)
                XCTAssertEqual(response.status, 404, path)
                XCTAssertFalse(response.text.contains("root:"), path)
                XCTAssertTrue(response.text.contains("</html>"), "\(path) gets the site's 404 page")
            }
            let leak = try fetch(port, "/assets/leak.txt")
            XCTAssertNotEqual(leak.status, 200, "a link out of the theme is not served")
            XCTAssertFalse(leak.text.contains("TOP SECRET"))
            let page = try fetch(port, "/index.html")
            XCTAssertTrue(page.text.contains("leak.txt"), "the server still answers, with the error that names the link")
        }
        let refused = log.all.filter { $0.hasPrefix("refused GET ") }
        XCTAssertEqual(refused.count, attacks.count, "each refused request is logged: \(log.all)")
        XCTAssertTrue(refused.contains { $0.contains("/index.html%00.txt") })
        // The theme's files follow the same rule in serve as in build: a link out is an error.
        XCTAssertTrue(log.all.contains { $0.contains("assets/leak.txt:1:1: error: symbolic link points outside the theme folder") }, "\(log.all)")
        await server.stop()
    }

    func testHeadTypesRedirectsAndNotFound() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: box.theme + "/assets/pixel.png"))
        let server = try await startServer(box, log: LogLines())
        let port = server.port
        try await blocking { [actionPage] in
            let connection = try RawConnection(port: port)
            let get = try connection.request("GET", actionPage)
            let head = try connection.request("HEAD", actionPage)
            XCTAssertEqual(head.status, 200)
            XCTAssertEqual(head.body.count, 0, "HEAD sends no body")
            XCTAssertEqual(head.headers["content-length"], String(get.body.count))
            XCTAssertEqual(head.headers["content-type"], "text/html; charset=utf-8")
            XCTAssertEqual(try connection.request("GET", "/").status, 200, "the connection is still usable after HEAD")

            let types = [servedAsset(server, "assets/style.css"): "text/css; charset=utf-8",
                         servedAsset(server, "assets/search.js"): "text/javascript; charset=utf-8",
                         "/atom.xml": "application/atom+xml; charset=utf-8",
                         "/sitemap.xml": "application/xml; charset=utf-8",
                         "/data/actions.json": "application/json; charset=utf-8",
                         "/data/actions.csv": "text/csv; charset=utf-8",
                         "/robots.txt": "text/plain; charset=utf-8",
                         "/assets/pixel.png": "image/png"]
            for (path, type) in types {
                let response = try connection.request("GET", path)
                XCTAssertEqual(response.status, 200, path)
                XCTAssertEqual(response.headers["content-type"], type, path)
                XCTAssertFalse(response.text.contains("__overens"), "\(path): only HTML pages get the script")
            }

            let missing = try connection.request("GET", "/insatser/nope.html")
            XCTAssertEqual(missing.status, 404)
            XCTAssertEqual(missing.text.replacingOccurrences(of: Responder.scriptTag(generation: server.state.generation), with: ""),
                           String(decoding: try XCTUnwrap(server.state.files["404.html"]), as: UTF8.self), "the site's 404.html")
            let missingHead = try connection.request("HEAD", "/insatser/nope.html")
            XCTAssertEqual(missingHead.status, 404)
            XCTAssertEqual(missingHead.body.count, 0)

            let folder = try connection.request("GET", "/insatser?x=1")
            XCTAssertEqual(folder.status, 301)
            XCTAssertEqual(folder.headers["location"], "/insatser/?x=1")
            XCTAssertEqual(try connection.request("GET", "/insatser/").status, 200)
            XCTAssertEqual(try connection.request("POST", "/index.html").status, 405)
        }
        await server.stop()
    }

    /// A closed tab's event stream is noticed at the next message and let go.
    func testClosedEventStreamsAreDropped() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let server = try await startServer(box, log: LogLines())
        let port = server.port
        try await blocking {
            let listeners = try (0..<3).map { _ in try EventListener(port: port) }
            XCTAssertTrue(eventually { listeners.allSatisfy { $0.count("hello") == 1 } })
            XCTAssertEqual(server.listeners, 3)
            for listener in listeners { listener.stop() }
            XCTAssertTrue(eventually {
                server.rebuild()
                return server.listeners == 0
            }, "\(server.listeners) streams still open")
        }
        await server.stop()
    }

    /// The command as editors run it: prints where it serves, answers, keeps running.
    func testCommandLine() async throws {
        guard let binary = Repo.binary else { throw XCTSkip("overens is not built; run swift build first") }
        let box = ServeSandbox()
        defer { box.remove() }
        // A draft: the preview shows it, with the banner a build never writes.
        box.write("news/utkast.sv.md", "---\ntitle: Halvfärdig nyhet\ndate: 2025-06-01\ndraft: true\n---\nText.\n")
        box.write("news/utkast.en.md", "---\ntitle: Half-done news\n---\nText.\n")
        let serve = try ServeProcess(binary: binary, box)
        defer { serve.stop() }
        try await serve.waitForStart()
        let line = serve.firstLine
        XCTAssertNotNil(line.range(of: "^Serving http://127\\.0\\.0\\.1:\\d+/ — edit .*content/ and the page reloads\n", options: .regularExpression), line)
        let port = serve.port
        try await blocking {
            XCTAssertEqual(try fetch(port, "/index.html").status, 200)
            let draft = try fetch(port, "/nyheter/utkast.html")
            XCTAssertEqual(draft.status, 200)
            XCTAssertTrue(draft.text.contains("Utkast – inte publicerad"), draft.text)
        }
        XCTAssertTrue(serve.process.isRunning)
        XCTAssertFalse(serve.standardError.contains("warning"), serve.standardError)
    }

    /// At the open-file limit accept() fails; serve must back off and listen again, not exit.
    func testOpenFileLimit() async throws {
        guard let binary = Repo.binary else { throw XCTSkip("overens is not built; run swift build first") }
        let box = ServeSandbox()
        defer { box.remove() }
        let serve = try ServeProcess(binary: binary, box, shellPrefix: "ulimit -n 256;")
        defer { serve.stop() }
        try await serve.waitForStart()
        let port = serve.port
        try await blocking {
            var idle: [RawConnection] = []
            for _ in 0..<300 { idle.append(try RawConnection(port: port, timeout: 2)) }
            usleep(500_000)   // the server accepts what it can and meets the limit
            idle.removeAll()
        }
        let started = Date()
        let answered = try await blocking { () -> Bool in
            eventually(within: 5) { (try? fetch(port, "/index.html").status) == 200 }
        }
        XCTAssertTrue(answered, "no answer within 5 s after the idle connections closed; serve \(serve.process.isRunning ? "runs" : "exited with \(serve.process.terminationStatus)"): \(serve.standardError)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(serve.process.isRunning, serve.standardError)
        let told = serve.standardError.components(separatedBy: "stopped accepting connections (accept: Too many open files)").count - 1
        XCTAssertEqual(told, 1, "the limit is met and told once: \(serve.standardError)")
    }

    /// FlyingFox has no idle timeout; the pool closes a connection that sends nothing.
    func testIdleConnectionIsClosed() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let server = PreviewServer(options: box.options, host: "127.0.0.1", port: 0, debounce: 0.03, waitLimit: 0.3, log: { _ in })
        try await server.start()
        let port = server.port
        try await blocking {
            let idle = try RawConnection(port: port, timeout: 3)
            let started = Date()
            XCTAssertNil(try idle.receive(), "the server closes the idle connection")
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertEqual(try fetch(port, "/index.html").status, 200)
        }
        await server.stop()
    }

    func testBadHostAndBusyPort() async throws {
        let box = ServeSandbox()
        defer { box.remove() }
        let bad = PreviewServer(options: box.options, host: "example.org", port: 0, log: { _ in })
        do {
            try await bad.start()
            XCTFail("a host name is not an address")
        } catch {
            XCTAssertTrue("\(error)".contains("not an IP address"), "\(error)")
        }
        let first = try await startServer(box, log: LogLines())
        let second = PreviewServer(options: box.options, host: "127.0.0.1", port: first.port, log: { _ in })
        do {
            try await second.start()
            XCTFail("the port is taken")
            await second.stop()
        } catch {
            XCTAssertTrue("\(error)".contains("cannot listen on 127.0.0.1:\(first.port)"), "\(error)")
        }
        await first.stop()
    }
}
