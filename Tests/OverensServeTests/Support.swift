import Foundation
import XCTest
import Overens
@testable import OverensServe
#if canImport(Glibc)
import Glibc
#endif

/// Paths of the repository, found from this file, so tests run from any folder.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let theme = root + "/theme"
    static var binary: String? {
        for candidate in [".build/debug/overens", ".build/release/overens"] where FileManager.default.isExecutableFile(atPath: root + "/" + candidate) {
            return root + "/" + candidate
        }
        return nil
    }
}

/// A throwaway site: content written by the test, a copy of the fixture theme
/// (Tests/Fixtures/README.md).
struct ServeSandbox {
    let root: String
    var content: String { root + "/content" }
    var theme: String { root + "/theme" }

    init() {
        root = NSTemporaryDirectory() + "overens-serve-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: content, withIntermediateDirectories: true)
        try! FileManager.default.copyItem(atPath: Repo.root + "/Tests/Fixtures/theme", toPath: theme)
        writeSite()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Writes a file under content/ the way editors' tools do: beside it, then renamed over it.
    func write(_ relative: String, _ text: String) {
        let path = content + "/" + relative
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    var options: BuildOptions { BuildOptions(content: content, theme: theme, output: root + "/site") }

    static func action(version: Int) -> String {
        "---\ntitle: Idrott för alla v\(version)\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\nstatus: ongoing\n---\nVersion \(version) av texten. Se [målet](goal:halsa).\n"
    }

    /// A small valid two-language site: two goals, two actions, a party, a news item, a page.
    func writeSite() {
        write("site.yml", """
            languages: [sv, en]
            base_url: https://example.org/agreement/
            title: { sv: Testavtalet, en: The Test Agreement }
            strategy: { sv: Strategin, en: The Strategy }
            """)
        write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\n---\nHälsa för alla.\n")
        write("goals/halsa.en.md", "---\ntitle: Good health\nslug: health\n---\nHealth for all.\n")
        write("goals/miljo.sv.md", "---\ntitle: Frisk miljö\norder: 2\n---\nMiljö.\n")
        write("goals/miljo.en.md", "---\ntitle: Clean environment\nslug: environment\n---\nEnvironment.\n")
        write("actions/idrott.sv.md", Self.action(version: 0))
        write("actions/idrott.en.md", "---\ntitle: Sport for all\nslug: sport\n---\nSee [the goal](goal:halsa).\n")
        write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSkog.\n")
        write("actions/skog.en.md", "---\ntitle: The forest\nslug: forest\n---\nForest.\n")
        write("parties/forbundet.sv.md", "---\ntitle: Förbundet\nsector: nonprofit\njoined: 2012\n---\nFörbundet.\n")
        write("parties/forbundet.en.md", "---\ntitle: The Federation\nslug: federation\n---\nThe federation.\n")
        write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott]\n---\nNu börjar vi.\n")
        write("news/start.en.md", "---\ntitle: Start\n---\nWe begin.\n")
        write("principles/dialog.sv.md", "---\ntitle: Dialog\norder: 1\n---\nDialog.\n")
        write("principles/dialog.en.md", "---\ntitle: Dialogue\nslug: dialogue\n---\nDialogue.\n")
        write("pages/om.sv.md", "---\ntitle: Om avtalet\nmenu: 1\n---\nOm.\n")
        write("pages/om.en.md", "---\ntitle: About\nslug: about\n---\nAbout.\n")
    }
}

/// Log lines the server wrote, kept for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(Date, String)] = []
    var sink: @Sendable (String) -> Void { { [self] line in let now = Date(); lock.lock(); lines.append((now, line)); lock.unlock() } }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines.map(\.1) }
    var timed: [(Date, String)] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// Runs blocking work (sockets, sleeps) on a thread of its own, off Swift's small
/// cooperative pool, which the server needs to answer.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 10, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(UInt32(interval * 1e6))
    }
    return try condition()
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP response as read off the wire.
struct RawResponse {
    var status: Int
    var headers: [String: String]   // lower-cased names
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A bare HTTP/1.1 client over a loopback socket: sends exactly the bytes it is given
/// (no path clean-up, unlike URLSession or curl), reads Content-Length and chunked bodies.
final class RawConnection {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, timeout: Double = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket: \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestError("connect to port \(port): errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// Reads whatever arrives next; nil when the peer closed, throws on timeout.
    func receive() throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return nil }
        guard n > 0 else { throw TestError(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for the server" : "recv failed: errno \(errno)") }
        return Array(chunk[..<n])
    }

    private func fill() throws {
        guard let more = try receive() else { throw TestError("connection closed mid-response") }
        buffer += more
    }

    private func line() throws -> String {
        while true {
            if let i = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let text = String(decoding: buffer[..<i], as: UTF8.self)
                buffer.removeFirst(i + 2)
                return text
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Bytes already read past the last response head (the start of a stream).
    func takeBuffered() -> [UInt8] {
        defer { buffer.removeAll() }
        return buffer
    }

    func readHead() throws -> (status: Int, headers: [String: String]) {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestError("bad status line '\(statusLine)'") }
        var headers: [String: String] = [:]
        while true {
            let header = try line()
            if header.isEmpty { break }
            let pair = header.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
        }
        return (status, headers)
    }

    func readResponse(head: Bool = false) throws -> RawResponse {
        let (status, headers) = try readHead()
        var body: [UInt8] = []
        if head {
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let size = Int(try line().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { _ = try line(); break }
                body += try take(size)
                _ = try line()
            }
        } else if let length = headers["content-length"].flatMap(Int.init) {
            body = try take(length)
        }
        return RawResponse(status: status, headers: headers, body: Data(body))
    }

    func request(_ method: String = "GET", _ path: String, keepAlive: Bool = true) throws -> RawResponse {
        try send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n")
        return try readResponse(head: method == "HEAD")
    }
}

/// One request on a new connection.
func fetch(_ port: UInt16, _ path: String, method: String = "GET") throws -> RawResponse {
    try RawConnection(port: port).request(method, path, keepAlive: false)
}

/// An open `/__overens/events` stream, read on its own thread.
final class EventListener: @unchecked Sendable {
    private let lock = NSLock()
    private var received = ""
    private var running = true
    private let connection: RawConnection
    let headers: [String: String]

    init(port: UInt16) throws {
        connection = try RawConnection(port: port, timeout: 0.2)
        try connection.send("GET /__overens/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        var head: (status: Int, headers: [String: String])?
        for _ in 0..<50 where head == nil { head = try? connection.readHead() }
        guard let head, head.status == 200 else { throw TestError("event stream did not open") }
        headers = head.headers
        received = String(decoding: connection.takeBuffered(), as: UTF8.self)
        let thread = Thread { [self] in
            while isRunning {
                do {
                    guard let bytes = try connection.receive() else { break }
                    lock.lock(); received += String(decoding: bytes, as: UTF8.self); lock.unlock()
                } catch { continue }   // timeout: look at `running` again
            }
        }
        thread.start()
    }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    var text: String { lock.lock(); defer { lock.unlock() }; return received }

    func count(_ event: String) -> Int { text.components(separatedBy: "event: \(event)\n").count - 1 }

    /// Stops reading and closes the connection, as a closed browser tab does.
    func stop() {
        lock.lock(); running = false; lock.unlock()
        shutdown(connection.fd, Int32(SHUT_RDWR))
    }
}

/// Starts a preview of `box` on a free loopback port.
func startServer(_ box: ServeSandbox, log: LogLines) async throws -> PreviewServer {
    let server = PreviewServer(options: box.options, host: "127.0.0.1", port: 0, debounce: 0.03, log: log.sink)
    try await server.start()
    return server
}

/// `overens serve` run as a separate process, optionally through `/bin/sh` with a shell
/// prefix such as `ulimit -n 256;`, with its standard error kept in a file.
final class ServeProcess {
    let process = Process()
    let errorFile = NSTemporaryDirectory() + "overens-serve-stderr-" + UUID().uuidString
    private let out = Pipe()
    /// The port it said it serves on.
    private(set) var port: UInt16 = 0
    /// The line it printed on start.
    private(set) var firstLine = ""

    init(binary: String, _ box: ServeSandbox, host: String = "127.0.0.1", shellPrefix: String? = nil) throws {
        let arguments = ["serve", "--content", box.content, "--theme", box.theme, "--host", host, "--port", "0"]
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shellPrefix + " exec \"$0\" \"$@\"", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        // An English locale, whatever the machine's: the tests match the English texts.
        var environment = ProcessInfo.processInfo.environment
        for key in ["OVERENS_LANG", "LC_ALL", "LC_MESSAGES"] { environment[key] = nil }
        environment["LANG"] = "en_US.UTF-8"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()
    }

    /// Reads the first line it prints and the port in it.
    func waitForStart() async throws {
        let out = self.out
        firstLine = try await blocking { () -> String in
            var text = ""
            while !text.contains("\n") {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }
        let pattern = try NSRegularExpression(pattern: "^Serving http://[^ ]*:(\\d+)/ ")
        guard let match = pattern.firstMatch(in: firstLine, range: NSRange(firstLine.startIndex..., in: firstLine)),
              let port = UInt16(firstLine[Range(match.range(at: 1), in: firstLine)!]) else {
            throw TestError("serve did not start: '\(firstLine)' \(standardError)")
        }
        self.port = port
    }

    var standardError: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: errorFile)
    }
}

/// Where the server has a fingerprinted asset: `assets/style.css` → `/assets/style.<hash>.css`.
func servedAsset(_ server: PreviewServer, _ name: String) -> String {
    let dot = name.lastIndex(of: ".")!
    let (stem, ext) = (name[..<dot], name[dot...])
    let found = server.state.files.keys.first { path in
        guard path.hasPrefix(stem + "."), path.hasSuffix(ext) else { return false }
        let hash = path.dropFirst(stem.count + 1).dropLast(ext.count)
        return hash.count == 10 && hash.allSatisfy(\.isHexDigit)
    }
    return "/" + (found ?? name)
}
