import FlyingFox
import FlyingSocks
import Foundation
import XCTest
@testable import Overens

/// `check --external` against a local HTTP server (FlyingFox) that answers 200, 301, 302,
/// 404 and 500, refuses HEAD, answers too slowly, and one port where nothing listens.
final class ExternalLinkTests: XCTestCase {
    /// The server, and what it was asked: "HEAD /ok" → times.
    final class Server: Sendable {
        let server: HTTPServer
        let port: UInt16
        private let hits = Locked<[String: Int]>([:])
        private let inFlight = Locked<(now: Int, most: Int)>((0, 0))

        static func start() async throws -> Server {
            let server = HTTPServer(config: .init(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), logger: .disabled))
            let box = Locked<Server?>(nil)
            await server.appendRoute("*") { request in
                guard let self = box.get() else { return HTTPResponse(statusCode: .internalServerError) }
                return try await self.answer(request)
            }
            Task { try await server.run() }
            try await server.waitUntilListening()
            let address = await server.listeningAddress
            guard case let .ip4(_, port) = address else { throw URLError(.badURL) }
            let made = Server(server: server, port: port)
            box.set(made)
            return made
        }

        private init(server: HTTPServer, port: UInt16) {
            self.server = server
            self.port = port
        }

        var base: String { "http://127.0.0.1:\(port)" }
        func url(_ path: String) -> String { base + path }
        func hits(_ key: String) -> Int { hits.get()[key, default: 0] }
        var total: Int { hits.get().values.reduce(0, +) }
        var mostAtOnce: Int { inFlight.get().most }

        func answer(_ request: HTTPRequest) async throws -> HTTPResponse {
            let method = request.method.rawValue
            hits.withLock { $0["\(method) \(request.path)", default: 0] += 1 }
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { inFlight.withLock { $0.now -= 1 } }
            func status(_ code: Int, _ phrase: String, location: String? = nil, body: Data = Data()) -> HTTPResponse {
                var headers: HTTPHeaders = [:]
                if let location { headers[.location] = location }
                return HTTPResponse(statusCode: HTTPStatusCode(code, phrase: phrase), headers: headers, body: method == "HEAD" ? Data() : body)
            }
            switch request.path {
            case "/ok", "/ok/": return status(200, "OK", body: Data("fine".utf8))
            case "/moved": return status(301, "Moved Permanently", location: "/ok")
            case "/moved-for-good-then-not": return status(308, "Permanent Redirect", location: "/found")
            case "/found": return status(302, "Found", location: "/ok")
            case "/moved-to-nothing": return status(301, "Moved Permanently", location: url("/missing"))
            case "/missing": return status(404, "Not Found")
            case "/error": return status(500, "Internal Server Error")
            case "/no-head":
                if method == "HEAD" { return status(405, "Method Not Allowed") }
                return status(200, "OK", body: Data("fine".utf8))
            case "/slow-body":
                // Refuses HEAD; a GET gets its headers at once and a body that takes 5 s.
                if method == "HEAD" { return status(405, "Method Not Allowed") }
                let stream = AsyncStream<Data> { continuation in
                    continuation.yield(Data("start".utf8))
                    Task {
                        try? await Task.sleep(nanoseconds: 5_000_000_000)
                        continuation.yield(Data("end".utf8))
                        continuation.finish()
                    }
                }
                return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: Blocks(stream: stream)))
            case "/slow":
                try await Task.sleep(nanoseconds: 4_000_000_000)
                return status(200, "OK")
            case "/loop": return status(301, "Moved Permanently", location: "/loop")
            case let path where path.hasPrefix("/wait/"):
                try await Task.sleep(nanoseconds: 300_000_000)
                return status(200, "OK")
            default: return status(404, "Not Found")
            }
        }

        func stop() async { await server.stop(timeout: 0) }
    }

    /// Blocks of an `AsyncStream` as the bytes FlyingFox streams a body from, one chunk each.
    struct Blocks: AsyncBufferedSequence, Sendable {
        typealias Element = UInt8
        let stream: AsyncStream<Data>
        func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

        struct Iterator: AsyncBufferedIteratorProtocol {
            var base: AsyncStream<Data>.Iterator
            var pending: [UInt8] = []
            mutating func next() async throws -> UInt8? { try await nextBuffer(suggested: 1)?.first }
            mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
                while pending.isEmpty {
                    guard let block = await base.next() else { return nil }
                    pending = Array(block)
                }
                let n = Swift.max(1, Swift.min(count, pending.count))
                defer { pending.removeFirst(n) }
                return Array(pending.prefix(n))
            }
        }
    }

    /// A port where nothing listens.
    static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        close(fd)
        return UInt16(bigEndian: address.sin_port)
    }

    /// The minimal site, with a page whose lines link each kind of answer, and the party's
    /// website in front matter.
    func sandbox(_ server: Server, links: [String]) -> Sandbox {
        let box = Sandbox()
        box.writeMinimalSite()
        let body = links.enumerated().map { "Länk \($0.offset): [här](\($0.element))." }.joined(separator: "\n\n")
        box.write("pages/lankar.sv.md", "---\ntitle: Länkar\n---\n\(body)\n")
        box.write("pages/lankar.en.md", "---\ntitle: Links\nslug: links\n---\nLinks.\n")
        return box
    }

    func settings(_ box: Sandbox, timeout: Double = 1) -> ExternalLinks.Settings {
        var settings = ExternalLinks.Settings(cacheFile: box.root + "/cache/external-links.json")
        settings.timeout = timeout
        settings.retryDelay = 0.1
        return settings
    }

    /// The warnings at the page's link on line `line` (the body starts on line 4; links are
    /// two lines apart).
    func at(_ report: ExternalLinks.Report, _ box: Sandbox, link index: Int) -> [String] {
        report.diagnostics.filter { $0.location.path == box.content + "/pages/lankar.sv.md" && $0.location.line == 4 + 2 * index }.map(\.message)
    }

    func testEachKindOfAnswerIsReportedAtItsLink() async throws {
        let server = try await Server.start()
        let closed = Self.closedPort()
        let links = [
            server.url("/ok"),                        // 0: fine
            server.url("/moved"),                     // 1: 301 → moved for good
            server.url("/found"),                     // 2: 302 → fine, nothing said
            server.url("/missing"),                   // 3: 404
            server.url("/error"),                     // 4: 500, asked twice
            server.url("/no-head"),                   // 5: HEAD refused, GET fine
            server.url("/slow"),                      // 6: no answer in time, asked twice
            "http://127.0.0.1:\(closed)/nothing",     // 7: nothing listens
            server.url("/moved-to-nothing"),          // 8: 301 to a 404
            server.url("/moved-for-good-then-not"),   // 9: 308, then 302: moved to the 302's address
            server.url("/loop"),                      // 10: redirects forever
            server.url("/ok#part"),                   // 11: a fragment is not asked for
        ]
        let box = sandbox(server, links: links)
        box.write("parties/forbundet.sv.md", "---\ntitle: Förbundet\nsector: nonprofit\njoined: 2012\nwebsite: \(server.url("/missing"))\n---\nFörbundet.\n")
        let started = Date()
        let report = await Site.checkExternalLinks(box.options, settings: settings(box))
        let seconds = Date().timeIntervalSince(started)
        await server.stop()

        XCTAssertEqual(at(report, box, link: 0), [])
        XCTAssertEqual(at(report, box, link: 1), ["\(links[1]) has moved permanently to \(server.url("/ok")); update the link to the new address"])
        XCTAssertEqual(at(report, box, link: 2), [], "a temporary redirect is no news")
        XCTAssertEqual(at(report, box, link: 3), ["\(links[3]) answers 404 (not found); correct the address or remove the link"])
        XCTAssertEqual(at(report, box, link: 4), ["\(links[4]) answers 500 (server error); check the address, or try again later"])
        XCTAssertEqual(server.hits("HEAD /error"), 2, "a 500 is asked once more")
        XCTAssertEqual(at(report, box, link: 5), [])
        XCTAssertEqual(server.hits("HEAD /no-head"), 1)
        XCTAssertEqual(server.hits("GET /no-head"), 1, "GET where HEAD is refused")
        XCTAssertEqual(at(report, box, link: 6), ["\(links[6]) does not answer: no answer within 1 s; check the address, or try again later"])
        XCTAssertEqual(server.hits("HEAD /slow"), 2, "no answer is asked once more")
        XCTAssertEqual(at(report, box, link: 7), ["\(links[7]) does not answer: the server refuses the connection; check the address, or try again later"])
        XCTAssertEqual(at(report, box, link: 8), ["\(links[8]) leads to \(server.url("/missing")), which answers 404 (not found); correct the address or remove the link"])
        XCTAssertEqual(at(report, box, link: 9), ["\(links[9]) has moved permanently to \(server.url("/found")); update the link to the new address"])
        XCTAssertEqual(at(report, box, link: 10), ["\(links[10]) does not answer: it redirects too many times; check the address, or try again later"])
        XCTAssertEqual(at(report, box, link: 11), [])
        XCTAssertEqual(server.hits("HEAD /ok"), 4, "asked once for /ok, /ok#part, and after /moved and /found: \(report.diagnostics)")

        // The party's website, at its value in front matter.
        let website = report.diagnostics.filter { $0.location.path.hasSuffix("parties/forbundet.sv.md") }
        XCTAssertEqual(website.map(\.location.line), [5])
        XCTAssertEqual(website.map(\.location.column), [10])
        XCTAssertEqual(website.first?.description, "\(box.content)/parties/forbundet.sv.md:5:10: warning: \(server.url("/missing")) answers 404 (not found); correct the address or remove the link")
        XCTAssertEqual(server.hits("HEAD /missing"), 2, "/missing is asked once for the page and the party, and once at the end of /moved-to-nothing")
        XCTAssertTrue(report.diagnostics.allSatisfy { $0.severity == .warning })
        XCTAssertEqual(report.diagnostics.count, 9, report.diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(report.addresses, 11)
        // The slow link takes two time limits, the rest is done meanwhile.
        XCTAssertLessThan(seconds, 4, "the checker waited for something it should not have")
    }

    /// A GET (where HEAD is refused) stops at the headers: the body is never waited for.
    func testTheBodyIsNotRead() async throws {
        let server = try await Server.start()
        let box = sandbox(server, links: [server.url("/slow-body")])
        let started = Date()
        let report = await Site.checkExternalLinks(box.options, settings: settings(box, timeout: 8))
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(report.diagnostics, [])
        XCTAssertEqual(server.hits("GET /slow-body"), 1)
        XCTAssertLessThan(seconds, 2, "the checker read the 5-second body")
        await server.stop()
    }

    func testSecondRunRemembersAnswersForADay() async throws {
        let server = try await Server.start()
        let box = sandbox(server, links: [server.url("/ok"), server.url("/moved"), server.url("/missing"), server.url("/error")])
        let first = await Site.checkExternalLinks(box.options, settings: settings(box))
        let asked = server.total
        XCTAssertEqual(first.remembered, 0)

        let started = Date()
        let second = await Site.checkExternalLinks(box.options, settings: settings(box))
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(second.diagnostics, first.diagnostics, "the same report from memory")
        XCTAssertEqual(second.remembered, 3, "200, 301 and 404 are remembered; a 500 is asked again")
        XCTAssertEqual(server.total - asked, 2, "only /error was asked again (twice): \(server.total - asked)")
        XCTAssertLessThan(seconds, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: box.root + "/cache/external-links.json"))

        // A day later, everything is asked again.
        var old = settings(box)
        old.maxAge = 0
        let third = await Site.checkExternalLinks(box.options, settings: old)
        XCTAssertEqual(third.remembered, 0)
        XCTAssertEqual(third.diagnostics, first.diagnostics)
        await server.stop()
    }

    func testAtMostTwoRequestsAtOnceToOneHost() async throws {
        let server = try await Server.start()
        let links = (0..<8).map { server.url("/wait/\($0)") }
        let box = sandbox(server, links: links)
        let started = Date()
        let report = await Site.checkExternalLinks(box.options, settings: settings(box, timeout: 5))
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(report.diagnostics, [])
        XCTAssertEqual(server.total, 8)
        XCTAssertEqual(server.mostAtOnce, 2, "two at a time to one host")
        XCTAssertGreaterThanOrEqual(seconds, 1.1, "8 requests of 0.3 s, two at a time")

        // Another host name for the same server is another host: both are asked at once.
        let other = links.map { $0.replacingOccurrences(of: "127.0.0.1", with: "localhost") }
        let second = sandbox(server, links: links.map { $0 + "?again" } + other)
        _ = await Site.checkExternalLinks(second.options, settings: settings(second, timeout: 5))
        XCTAssertEqual(server.mostAtOnce, 4, "two at a time to each of two hosts")
        await server.stop()
    }

    func testNothingButCheckExternalTouchesTheNetwork() async throws {
        let server = try await Server.start()
        let box = sandbox(server, links: [server.url("/ok"), server.url("/missing")])
        box.write("parties/forbundet.sv.md", "---\ntitle: Förbundet\nsector: nonprofit\njoined: 2012\nwebsite: \(server.url("/missing"))\n---\nFörbundet.\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        XCTAssertEqual(Site.generate(box.options).errors, [])
        let check = CLIRun.run(["check", "--content", box.content, "--theme", box.theme, "--strict"])
        XCTAssertEqual(check.status, 0, check.stderr)
        let build = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.root + "/cli-site"])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(server.total, 0, "a build or check without --external asked the server")
        let external = CLIRun.run(["check", "--content", box.content, "--theme", box.theme, "--external", "--cache", box.root + "/cache"])
        XCTAssertEqual(external.status, 0, "warnings only: \(external.stderr)")
        XCTAssertGreaterThan(server.total, 0)
        await server.stop()
    }

    /// The command line: text, --strict, GitHub annotations and GitLab's report.
    func testCommandLineFormats() async throws {
        let server = try await Server.start()
        let box = sandbox(server, links: [server.url("/ok"), server.url("/missing"), server.url("/moved")])
        let page = box.content + "/pages/lankar.sv.md"
        let missing = server.url("/missing")
        let arguments = ["check", "--content", box.content, "--theme", box.theme, "--external", "--cache", box.root + "/cache", "--timeout", "2"]

        let text = CLIRun.run(arguments)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.contains("\(page):6:15: warning: \(missing) answers 404 (not found)"), text.stderr)
        XCTAssertTrue(text.stderr.contains("\(page):8:15: warning: \(server.url("/moved")) has moved permanently to \(server.url("/ok"))"), text.stderr)
        XCTAssertTrue(text.stderr.contains("Checked 3 external addresses at 1 server in "), text.stderr)
        let swedish = CLIRun.run(arguments + ["--lang", "sv"])
        XCTAssertTrue(swedish.stderr.contains("\(page):6:15: warning: \(missing) svarar 404 (sidan finns inte); rätta adressen eller ta bort länken"), swedish.stderr)
        XCTAssertTrue(swedish.stderr.contains("Kontrollerade 3 externa adresser på 1 server på "), swedish.stderr)
        XCTAssertTrue(swedish.stderr.contains("3 ihågkomna"), "the second run remembers: \(swedish.stderr)")

        let strict = CLIRun.run(arguments + ["--strict"])
        XCTAssertEqual(strict.status, 1, "warnings are errors with --strict")
        XCTAssertTrue(strict.stderr.contains("\(page):6:15: error: \(missing) answers 404"), strict.stderr)

        let github = CLIRun.run(arguments + ["--strict", "--format", "github"])
        XCTAssertEqual(github.status, 1)
        let escapedPage = page.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        XCTAssertEqual(github.stdout.split(separator: "\n").map(String.init), [
            "::error file=\(escapedPage),line=6,col=15::\(missing) answers 404 (not found); correct the address or remove the link",
            "::error file=\(escapedPage),line=8,col=15::\(server.url("/moved")) has moved permanently to \(server.url("/ok")); update the link to the new address",
        ])
        let warnings = CLIRun.run(arguments + ["--format", "github"])
        XCTAssertEqual(warnings.status, 0)
        XCTAssertTrue(warnings.stdout.hasPrefix("::warning file=\(escapedPage),line=6,col=15::"), warnings.stdout)

        let gitlab = CLIRun.run(arguments + ["--format", "gitlab"])
        XCTAssertEqual(gitlab.status, 0, gitlab.stderr)
        let issues = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(gitlab.stdout.utf8)) as? [[String: Any]], gitlab.stdout)
        XCTAssertEqual(issues.count, 2)
        let first = try XCTUnwrap(issues.first)
        XCTAssertEqual(Set(first.keys), ["description", "check_name", "fingerprint", "severity", "location"])
        XCTAssertEqual(first["description"] as? String, "\(missing) answers 404 (not found); correct the address or remove the link")
        XCTAssertEqual(first["severity"] as? String, "minor")
        XCTAssertEqual(first["check_name"] as? String, "overens-warning")
        let location = try XCTUnwrap(first["location"] as? [String: Any])
        XCTAssertEqual(location["path"] as? String, page)
        XCTAssertEqual((location["lines"] as? [String: Any])?["begin"] as? Int, 6)
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(fingerprints).count, 2, "one fingerprint per issue")
        let strictLab = CLIRun.run(arguments + ["--format", "gitlab", "--strict"])
        XCTAssertEqual(strictLab.status, 1)
        let strictIssues = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(strictLab.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(strictIssues.compactMap { $0["severity"] as? String }, ["major", "major"])
        XCTAssertEqual(strictIssues.compactMap { $0["fingerprint"] as? String }, fingerprints, "the same problem keeps its fingerprint")
        await server.stop()
    }

    /// GitHub's escaping: a path with `:` and `,` and a message with `%` stay one annotation.
    func testGitHubAnnotationsEscapeWhatGitHubReads() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2%\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSkog.\n")
        let folder = box.root + "/in,a:folder"
        try FileManager.default.moveItem(atPath: box.content, toPath: folder)
        let run = CLIRun.run(["check", "--content", "in,a:folder", "--theme", box.theme, "--format", "github"], in: box.root)
        XCTAssertEqual(run.status, 1, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1, run.stdout)
        XCTAssertEqual(lines.first, "::error file=in%2Ca%3Afolder/actions/skog.sv.md,line=3,col=9::field 'number' is '2%25'; expected a whole number such as 3")
    }

    func testMessagesHaveSwedishAndEnglish() {
        let messages: [Message] = [
            .externalStatus("https://x", status: 404, final: nil), .externalStatus("https://x", status: 503, final: "https://y"),
            .externalStatus("https://x", status: 418, final: nil),
            .externalNoAnswer("https://x", .timedOut(seconds: 10)), .externalNoAnswer("https://x", .refused),
            .externalNoAnswer("https://x", .hostNotFound), .externalNoAnswer("https://x", .secureConnection),
            .externalNoAnswer("https://x", .tooManyRedirects), .externalMoved("http://x", to: "https://x"),
            .externalInvalid("https://"), .externalChecked(addresses: 1, hosts: 1, remembered: 0, seconds: 1.25),
            .externalChecked(addresses: 5, hosts: 2, remembered: 3, seconds: 0.5),
        ]
        for m in messages {
            XCTAssertFalse(m.en.isEmpty)
            XCTAssertFalse(m.sv.isEmpty)
            XCTAssertNotEqual(m.en, m.sv, "not translated: \(m.en)")
        }
        XCTAssertEqual(Message.externalChecked(addresses: 5, hosts: 2, remembered: 0, seconds: 1.25).sv, "Kontrollerade 5 externa adresser på 2 servrar på 1,2 s")
    }

    func testAddressesAreAskedAsABrowserWould() {
        XCTAssertEqual(ExternalLinks.requestURL("https://sv.wikipedia.org/wiki/Skåne#Historia")?.absoluteString, "https://sv.wikipedia.org/wiki/Sk%C3%A5ne")
        XCTAssertEqual(ExternalLinks.requestURL("https://www.räksmörgås.se/x")?.host, "www.xn--rksmrgs-5wao1o.se", "IDNA, as a browser")
        XCTAssertEqual(ExternalLinks.requestURL(" https://example.org/a b ")?.absoluteString, "https://example.org/a%20b")
        XCTAssertNil(ExternalLinks.requestURL("https://"))
        XCTAssertNil(ExternalLinks.requestURL("mailto:a@b.se"))
        XCTAssertTrue(ExternalLinks.isWeb("HTTPS://x.se"))
        XCTAssertFalse(ExternalLinks.isWeb("tel:+4640"))
    }
}
