import Foundation
import FlyingFox
import FlyingSocks
import Overens

/// `overens serve`: builds the site in memory, serves it over HTTP (FlyingFox), watches
/// content and theme, rebuilds on every change and tells open pages to reload.
///
/// The site lives in memory as path → bytes (`SiteState`); nothing is written to disk, so
/// a preview never touches `site/`, `content/` or `theme/`. A rebuild renders a whole new
/// state and swaps it in under a lock: a request gets the old build or the new one, each
/// page whole. When a build fails, the last good files stay, and every page answers with
/// an error page naming file, line and column until the error is fixed.
public final class PreviewServer: Sendable {
    public let options: BuildOptions
    public let host: String
    public let requestedPort: UInt16
    /// Quiet time after a change before the rebuild starts while a file is still being
    /// written; a file saved and closed starts the rebuild after 10 ms.
    public let debounce: Double
    /// The longest a connection waits for its peer to send or take anything (FlyingFox has
    /// no such timeout of its own).
    public let waitLimit: Double
    let log: @Sendable (String) -> Void
    /// What was read and parsed, kept between rebuilds so a saved file costs that file only.
    private let session: SiteSession

    private let current: Locked<SiteState>
    private let hub = ReloadHub()
    /// Held while a rebuild swaps in what it made: one at a time, in order.
    private let serving = Locked(Serving())
    private let instance = String(UInt32.random(in: 0 ... .max), radix: 36)
    /// Bumped by every change; a full render in the background stops when it is not the latest.
    private let latestChange = Locked(0)
    private let fullRenders = DispatchQueue(label: "overens.serve.full-render")
    private let neighbourRenders = DispatchQueue(label: "overens.serve.neighbour-render")
    private let boundPort = Locked<UInt16>(0)
    private let parts = Locked<Parts>(Parts())
    /// Set once the server listens, cleared by `stop()`: a failure in between is not the end.
    private let running = Locked(false)
    /// Why the server stopped for good, when it did not stop because it was told to.
    private let stoppedBecause = Locked<Failure?>(nil)

    private struct Serving {
        var builds = 0
        var shownWarnings: Set<Diagnostic> = []
    }

    private struct Parts {
        var server: HTTPServer?
        var runTask: Task<Void, Never>?
        var pingTask: Task<Void, Never>?
        var watcher: Watcher?
    }

    public enum Failure: Error, CustomStringConvertible {
        case badHost(String)
        case cannotListen(String, UInt16, String)
        case cannotWatch(String)
        case stoppedListening(String, UInt16, String)

        public var description: String {
            switch self {
            case .badHost(let host): "--host \(host) is not an IP address; expected one such as 127.0.0.1 or ::1"
            case .cannotListen(let host, let port, let why): "cannot listen on \(host):\(port): \(why); choose another port with --port"
            case .cannotWatch(let why): "cannot watch the content and theme folders for changes: \(why)"
            case .stoppedListening(let host, let port, let why): "stopped serving: cannot listen on \(host):\(port) again: \(why)"
            }
        }
    }

    /// - Parameters:
    ///   - options: where content and theme are; `output` is not used (the preview writes nothing).
    ///   - host: the address to listen on; loopback unless told otherwise.
    ///   - port: 0 takes any free port; `port` tells which after `start()`.
    ///   - log: one line per event worth telling (rebuilds, errors, refused requests).
    public init(options: BuildOptions, host: String = "127.0.0.1", port: UInt16 = 8000, debounce: Double = 0.05, waitLimit: Double = 60,
                log: @escaping @Sendable (String) -> Void = PreviewServer.standardError) {
        self.options = options
        self.session = SiteSession(BuildOptions(content: options.content, theme: options.theme, output: "", includeDrafts: options.includeDrafts))
        self.host = host
        self.requestedPort = port
        self.debounce = debounce
        self.waitLimit = waitLimit
        self.log = log
        self.current = Locked(SiteState(files: [:], errors: [], warnings: [], generation: "none"))
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// What is served right now.
    public var state: SiteState { current.get() }

    /// The port the server listens on (the one the system chose when asked for 0).
    public var port: UInt16 { boundPort.get() }

    public var url: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }

    /// Open event streams (pages that will reload).
    public var listeners: Int { hub.count }

    // MARK: - Start and stop

    /// Starts listening, starts watching, then builds. Returns once the first build is
    /// served. A port that is taken fails before any building.
    public func start() async throws {
        guard parts.get().server == nil else { return }
        let server = try makeServer(port: requestedPort)
        let failure = Locked<String?>(nil)
        let runTask = Task { await serveUntilStopped(server, failure: failure) }
        parts.update { $0.server = server; $0.runTask = runTask }

        let deadline = Date().addingTimeInterval(10)
        while !(await server.isListening) {
            if let why = failure.get() {
                parts.set(Parts())
                throw Failure.cannotListen(host, requestedPort, Self.describe(why))
            }
            if Date() > deadline {
                await stop()
                throw Failure.cannotListen(host, requestedPort, "timed out")
            }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        switch await server.listeningAddress {
        case .ip4(_, let port), .ip6(_, let port): boundPort.set(port)
        default: boundPort.set(requestedPort)
        }
        running.set(true)
        if !Self.isLoopback(host) {
            log("warning: \(host) is not a loopback address: the preview is reachable from the network, by anyone who can reach this computer. It is a local preview, not a server to expose (see docs/SECURITY.md); use --host 127.0.0.1 to keep it on this computer")
        }

        // Watch first: an edit made while the first build runs is not missed.
        let watcher = Watcher(roots: [options.content, options.theme], quiet: debounce, log: log) { [weak self] changed in
            self?.rebuild(changed: changed, waitForAll: false)
        }
        do {
            try watcher.start()
        } catch {
            await stop()
            throw Failure.cannotWatch(String(describing: error))
        }
        let hub = self.hub
        let pingTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                hub.ping()
            }
        }
        parts.update { $0.watcher = watcher; $0.pingTask = pingTask }
        rebuild(changed: [])
    }

    /// Stops watching, ends the event streams, closes the socket.
    public func stop() async {
        running.set(false)
        let p = parts.get()
        p.watcher?.stop()
        p.pingTask?.cancel()
        hub.close()
        await p.server?.stop(timeout: 0.2)
        p.runTask?.cancel()
        await p.runTask?.value
        parts.set(Parts())
    }

    /// Waits until the server stops (the CLI runs until interrupted); throws when it
    /// stopped because it could not go on, not because it was told to.
    public func waitUntilStopped() async throws {
        await parts.get().runTask?.value
        if let why = stoppedBecause.get() { throw why }
    }

    /// Timeouts: 30 s for the site to answer a request, `waitLimit` for a peer to send or
    /// take anything. FlyingFox has no limit on a request's size (see docs/SECURITY.md).
    private func makeServer(port: UInt16) throws -> HTTPServer {
        let config = HTTPServer.Configuration(address: try Self.address(host: host, port: port), timeout: 30,
                                              pool: WaitLimitPool(base: NoDelayPool(), limit: waitLimit), logger: .disabled)
        return HTTPServer(config: config, handler: Handler(preview: self))
    }

    /// Runs the server, and a new one on the same port whenever it stops on an error while
    /// it is meant to run (`Relisten`). A failure before it first listened goes to `failure`
    /// for `start()` to report.
    private func serveUntilStopped(_ first: HTTPServer, failure: Locked<String?>) async {
        var server = first
        var relisten = Relisten()
        while true {
            let began = Date()
            var error: Error = CancellationError()
            do { try await server.run() } catch let thrown { error = thrown }
            guard running.get(), !Task.isCancelled else {
                failure.set(Relisten.describe(error))
                return
            }
            switch relisten.next(after: error, began: began) {
            case .giveUp:
                stoppedBecause.set(.stoppedListening(host, port, Relisten.describe(error)))
                return
            case .retry(let pause, let first):
                if first { log("server: stopped accepting connections (\(Relisten.describe(error))); listening again on port \(port) as soon as it can") }
                try? await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            }
            guard running.get(), !Task.isCancelled, let next = try? makeServer(port: port) else { return }
            server = next
            parts.update { $0.server = next }
        }
    }

    // MARK: - Rebuild

    /// Regenerates the site in memory and swaps it in, then tells open pages to reload.
    /// Called by the watcher with the paths that changed (empty: everything, the first build).
    ///
    /// The session decides from the `Change` what is read, parsed and linked again, and
    /// what can be served first: the theme's new assets, or a saved content file's own
    /// pages, then the pages that list it; then the whole site. Open pages reload when a page they show changed. With `waitForAll`
    /// false (the watcher), all but the first step run in the background and give way to a
    /// newer change.
    @discardableResult
    public func rebuild(changed: Set<String> = [], waitForAll: Bool = true) -> SiteState {
        let ticket = latestChange.update { $0 += 1; return $0 }
        return serving.withLock { serving in rebuild(changed: changed, waitForAll: waitForAll, ticket: ticket, serving: &serving) }
    }

    private func rebuild(changed: Set<String>, waitForAll: Bool, ticket: Int, serving: inout Serving) -> SiteState {
        let started = DispatchTime.now()
        let previous = current.get()
        let timer = StageTimer()
        defer { timer.finish() }
        let linked = session.link(changed: changed.isEmpty ? nil : changed, timer: timer)

        // What the change lets be served before the whole site renders.
        var quick: SiteState? = nil
        let entries = linked.change.entries(content: options.content)
        if let renderer = linked.renderer, !linked.diagnostics.hasErrors, !previous.failed, !previous.files.isEmpty {
            if linked.change.assetsOnly {
                quick = serveAssets(renderer.theme.assets, over: previous, serving: &serving)
            } else if let entries {
                quick = servePages(of: entries, linked, over: previous, serving: &serving)
                timer.lap("render \(entries.count) entries")
            }
            if quick != nil { log("\(Self.describe(changed)) changed; served in \(Self.seconds(since: started)) s") }
        }

        guard let shown = quick, !waitForAll else {
            finish(Site.render(linked), changed: changed, started: started, quick: quick, serving: &serving)
            return current.get()
        }
        // Then the pages that list the saved entries, at once (not behind a render of the
        // whole site that an earlier change started and that is still winding down), then the
        // rest of the site; both give way to a newer change. Off the watcher's thread, which
        // is then free to see the next save.
        let neighbours = entries.flatMap { linked.renderer?.graph.neighbours(of: $0) } ?? []
        let stale: @Sendable () -> Bool = { self.latestChange.get() != ticket }
        neighbourRenders.async { [self, shown] in
            var shown = shown
            if !neighbours.isEmpty, !stale() {
                self.serving.withLock { serving in
                    if !stale(), current.get() === shown,
                       let state = servePages(of: neighbours, linked, over: shown, cancelled: stale, serving: &serving) { shown = state }
                }
            }
            fullRenders.async { [self, shown] in
                let result = Site.render(linked, cancelled: stale)
                self.serving.withLock { serving in
                    if !stale(), current.get() === shown { finish(result, changed: changed, started: started, quick: shown, serving: &serving) }
                }
            }
        }
        return shown
    }

    /// Renders the pages of `entries` over `state` and serves the result; nil when they
    /// do not render.
    private func servePages(of entries: Set<EntryKey>, _ linked: SiteSession.Linked, over state: SiteState,
                            cancelled: @Sendable () -> Bool = { false }, serving: inout Serving) -> SiteState? {
        let partial = Site.render(linked, only: entries, cancelled: cancelled)
        guard partial.errors.isEmpty, !partial.files.isEmpty else { return nil }
        var files = state.files
        for file in partial.files { files[file.path] = file.data }
        let next = SiteState(files: files, errors: [], warnings: partial.warnings, generation: nextGeneration(&serving))
        serve(next, replacing: state, touched: partial.files.map(\.path))
        return next
    }

    /// Swaps in a full build's result (or its errors) and says what happened.
    private func finish(_ result: BuildResult, changed: Set<String>, started: DispatchTime, quick: SiteState?, serving: inout Serving) {
        let previous = current.get()
        let errors = result.errors
        let warnings = result.warnings
        var files = previous.files
        if errors.isEmpty {
            files = Dictionary(result.files.map { ($0.path, $0.data) }, uniquingKeysWith: { first, _ in first })
        }
        let seconds = Self.seconds(since: started)
        let pages = result.pages.values.reduce(0, +)

        if let quick, errors.isEmpty, files == quick.files {
            // What was served at once was right: keep its generation, so no page reloads twice.
            current.set(SiteState(files: files, errors: [], warnings: warnings, generation: quick.generation))
            log(Message.serveAgreed(changed: Self.describe(changed), pages: pages, seconds: "\(seconds)").text(in: ErrorPage.language))
        } else {
            serve(SiteState(files: files, errors: errors, warnings: warnings, generation: nextGeneration(&serving)), replacing: previous)
            let what = changed.isEmpty ? nil : Self.describe(changed)
            if errors.isEmpty {
                log(Message.serveBuilt(changed: what, pages: pages, seconds: "\(seconds)").text(in: ErrorPage.language))
            } else {
                for d in errors { log(d.description(in: ErrorPage.language)) }
                log(Message.serveFailed(changed: what, errors: errors.count).text(in: ErrorPage.language))
            }
        }
        let fresh = warnings.filter { !serving.shownWarnings.contains($0) }
        for d in fresh { log(d.description(in: ErrorPage.language)) }
        serving.shownWarnings = Set(warnings)
    }

    /// Swaps in `state` and tells open pages to reload: those whose page changed, or all
    /// when errors come or go or too many pages changed to list.
    /// `touched` names the only files that may differ, when that is known.
    private func serve(_ state: SiteState, replacing previous: SiteState, touched: [String]? = nil) {
        current.set(state)
        var pages: [String]? = nil
        if state.errors.isEmpty, !previous.failed, !previous.files.isEmpty {
            var changed: [String] = []
            for path in touched ?? Array(state.files.keys) where previous.files[path] != state.files[path] { changed.append(path) }
            if touched == nil {
                for path in previous.files.keys where state.files[path] == nil { changed.append(path) }
            }
            if changed.count <= 200 { pages = changed.sorted() }
        }
        hub.reload(generation: state.generation, pages: pages)
    }

    static func seconds(since start: DispatchTime) -> String {
        String(format: "%.2f", Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }

    /// A new build number.
    private func nextGeneration(_ serving: inout Serving) -> String {
        serving.builds += 1
        return "\(instance)-\(serving.builds)"
    }

    /// The theme's assets, as the session read them, swapped in over `state`. Generated
    /// files under `assets/` (the search index) stay; an asset removed from the theme goes
    /// with the full build that follows.
    private func serveAssets(_ assets: [(path: String, data: Data)], over state: SiteState, serving: inout Serving) -> SiteState {
        var files = state.files
        for asset in assets { files[asset.path] = asset.data }
        let next = SiteState(files: files, errors: [], warnings: state.warnings, generation: nextGeneration(&serving))
        serve(next, replacing: state, touched: assets.map(\.path))
        return next
    }

    static func describe(_ changed: Set<String>) -> String {
        let sorted = changed.sorted()
        guard let first = sorted.first else { return "nothing" }
        return sorted.count == 1 ? first : "\(first) and \(sorted.count - 1) more"
    }

    static func describe(_ error: String) -> String {
        if error.contains("Address already in use") || error.contains("EADDRINUSE") {
            return "the address is already in use (another server?)"
        }
        return error
    }

    /// 127.0.0.0/8, ::1 (also written as an IPv4-mapped address) and localhost.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let loopback6 = [UInt8](repeating: 0, count: 15) + [1]
        let mapped = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
        return bytes == loopback6 || (Array(bytes[..<12]) == mapped && bytes[12] == 127)
    }

    static func address(host: String, port: UInt16) throws -> any SocketAddress {
        let name = host == "localhost" ? "127.0.0.1" : host
        if name.contains(":") {
            guard let address = try? sockaddr_in6.inet6(ip6: name, port: port) else { throw Failure.badHost(host) }
            return address
        }
        guard let address = try? sockaddr_in.inet(ip4: name, port: port) else { throw Failure.badHost(host) }
        return address
    }

    // MARK: - Requests

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let raw = request.target.path(percentEncoded: true)
        let method = request.method.rawValue
        if raw == Responder.eventsPath, method == "GET" || method == "HEAD" {
            return hub.response(generation: current.get().generation, head: method == "HEAD")
        }
        let reply = Responder.respond(method: method, rawPath: raw, rawQuery: request.target.query(percentEncoded: true), state: current.get())
        if let refusal = reply.refusal {
            let from = request.remoteIPAddress ?? "?"
            log("refused \(method) \(Self.printable(raw)) from \(from): \(refusal); answered 404")
        }
        var headers = HTTPHeaders()
        for (name, value) in reply.headers { headers[HTTPHeader(name)] = value }
        return HTTPResponse(statusCode: Self.status(reply.status), headers: headers, body: reply.body)
    }

    /// A request path as it can go into a log line: control characters escaped.
    static func printable(_ raw: String) -> String {
        var out = ""
        for scalar in raw.unicodeScalars.prefix(300) {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func status(_ code: Int) -> HTTPStatusCode {
        switch code {
        case 200: .ok
        case 301: .movedPermanently
        case 404: .notFound
        case 405: .methodNotAllowed
        case 500: .internalServerError
        default: HTTPStatusCode(code, phrase: "Status \(code)")
        }
    }

    struct Handler: HTTPHandler {
        let preview: PreviewServer
        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            preview.respond(to: request)
        }
    }
}
