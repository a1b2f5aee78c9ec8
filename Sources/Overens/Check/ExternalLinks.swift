import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An http(s) address written in the content, and where it is written.
public struct ExternalLink: Hashable, Sendable {
    public var url: String
    public var location: SourceLocation

    public init(url: String, location: SourceLocation) {
        self.url = url
        self.location = location
    }
}

/// `check --external`: every web address of the content asked for over the network, the
/// only part of overens that touches it (a build never does).
///
/// Each address is asked once, however often it is written: HEAD first, GET where a server
/// refuses HEAD (the body is not read), redirects followed one by one, a few requests at a
/// time and at most `perHost` at once to one server, each with a time limit, and once more
/// after a pause when the answer was no answer, 429 or 5xx. Answers (a status that is not
/// 429 or 5xx) are remembered in the cache folder for `maxAge`, so a second run the same day
/// asks only about what had no answer.
public enum ExternalLinks {
    public struct Settings: Sendable {
        /// Seconds an attempt may take from asking to the answer's headers.
        public var timeout: TimeInterval = 10
        /// Further attempts after no answer, 429 or 5xx, `retryDelay` seconds apart.
        public var retries = 1
        public var retryDelay: TimeInterval = 1
        /// Requests at once in all, and to one host.
        public var concurrency = 8
        public var perHost = 2
        public var maxRedirects = 10
        /// Where answers are remembered; nil: nowhere.
        public var cacheFile: String?
        /// How long a remembered answer is used.
        public var maxAge: TimeInterval = 86_400
        public var userAgent = "overens link checker"

        public init(cacheFile: String? = nil) {
            self.cacheFile = cacheFile
        }
    }

    /// Why an address gave no answer.
    public enum Failure: Codable, Hashable, Sendable {
        case timedOut(seconds: Int)
        case refused
        case hostNotFound
        case secureConnection
        case tooManyRedirects
        case other(String)
    }

    /// What an address answered in the end.
    public struct Answer: Codable, Hashable, Sendable {
        /// The last status, after every redirect; nil when there was no answer.
        public var status: Int?
        public var failure: Failure?
        /// Where the redirects ended, when there were any.
        public var final: String?
        /// Where the address has moved for good: the end of the first redirects, as far as
        /// they are permanent (301, 308). Nil when the first answer is not one.
        public var movedTo: String?

        public init(status: Int? = nil, failure: Failure? = nil, final: String? = nil, movedTo: String? = nil) {
            self.status = status
            self.failure = failure
            self.final = final
            self.movedTo = movedTo
        }

        /// Worth asking again after a pause: no answer, too many requests, a server error.
        var transient: Bool {
            if let failure { return failure != .tooManyRedirects }
            return status == 429 || (status ?? 0) >= 500
        }
    }

    /// What a run found: the diagnostics, and how many addresses it asked about.
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        public var addresses: Int
        public var hosts: Int
        public var remembered: Int
    }

    // MARK: Finding the links

    /// Every http(s) address of the site's content: links in the text of every language, and
    /// the web-address fields of front matter, each with its place.
    public static func collect(_ graph: SiteGraph) -> [ExternalLink] {
        var links: [ExternalLink] = []
        for kind in Kind.allCases {
            for entry in graph.all(kind) {
                for (field, location) in entry.fields.addressLocations.sorted(by: { $0.key < $1.key }) {
                    let value = entry.fields.value(of: field)
                    if !value.isEmpty { links.append(ExternalLink(url: value, location: location)) }
                }
                for language in entry.translations.keys.sorted() {
                    let text = entry.translations[language]!
                    for link in text.body.links where isWeb(link.url) {
                        links.append(ExternalLink(url: link.url, location: SourceLocation(path: text.path, line: link.line, column: link.column)))
                    }
                }
            }
        }
        return links.sorted { ($0.location, $0.url) < ($1.location, $1.url) }
    }

    static func isWeb(_ url: String) -> Bool {
        guard let scheme = LinkTarget.scheme(of: url)?.lowercased() else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// The address to ask for, as a browser would: without its #fragment (a server never
    /// sees it), a server name in Swedish letters in its ASCII form (IDNA), other letters
    /// outside ASCII percent-encoded. Nil if it is no web address.
    static func requestURL(_ text: String) -> URL? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        // Foundation does both (IDNA and percent-encoding); by hand only where it refuses.
        var url = URL(string: text)
        if url == nil {
            var encoded = ""
            for scalar in text.unicodeScalars {
                if scalar.isASCII && scalar != " " {
                    encoded.unicodeScalars.append(scalar)
                } else {
                    encoded += String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
                }
            }
            url = URL(string: encoded)
        }
        guard let url, let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return nil }
        return url
    }

    // MARK: Checking them

    /// Asks for every address of `links` (or remembers it) and reports what is wrong, at
    /// every place the address is written.
    public static func check(_ links: [ExternalLink], settings: Settings) async -> Report {
        var diagnostics: [Diagnostic] = []
        var byAddress: [String: URL] = [:]
        for link in links {
            if let url = requestURL(link.url) {
                byAddress[link.url] = url
            } else {
                diagnostics.append(.warning(link.location, .externalInvalid(link.url)))
            }
        }
        let keys = Set(byAddress.values.map(\.absoluteString))
        var memory = Memory(file: settings.cacheFile, maxAge: settings.maxAge)
        var answers: [String: Answer] = [:]
        var ask: [URL] = []
        for key in keys.sorted() {
            if let known = memory.answer(key) { answers[key] = known } else { ask.append(URL(string: key)!) }
        }
        let remembered = answers.count
        let fresh = await askAll(ask, settings: settings)
        for (key, answer) in fresh {
            answers[key] = answer
            // No answer, 429 or 5xx may be gone in a minute: asked again next time.
            if !answer.transient { memory.remember(key, answer) }
        }
        memory.save()

        for link in links {
            guard let url = byAddress[link.url], let answer = answers[url.absoluteString] else { continue }
            if let message = message(for: answer, url: link.url, settings: settings) {
                diagnostics.append(.warning(link.location, message))
            }
        }
        let hosts = Set(byAddress.values.compactMap { $0.host?.lowercased() }).count
        return Report(diagnostics: diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) },
                      addresses: keys.count, hosts: hosts, remembered: remembered)
    }

    /// The warning an answer deserves; nil when the link is fine.
    static func message(for answer: Answer, url: String, settings: Settings) -> Message? {
        if let failure = answer.failure { return .externalNoAnswer(url, failure) }
        guard let status = answer.status else { return nil }
        if (200..<300).contains(status) {
            if let moved = answer.movedTo { return .externalMoved(url, to: moved) }
            return nil
        }
        return .externalStatus(url, status: status, final: answer.final)
    }

    /// Asks for every address: at most `perHost` at once to one host, `concurrency` in all.
    static func askAll(_ urls: [URL], settings: Settings) async -> [String: Answer] {
        guard !urls.isEmpty else { return [:] }
        let client = Client(settings: settings)
        defer { client.finish() }
        let gate = Gate(settings.concurrency)
        let byHost = Dictionary(grouping: urls) { $0.host?.lowercased() ?? "" }
        return await withTaskGroup(of: [(String, Answer)].self) { group in
            for (_, list) in byHost {
                let queue = Locked(list.reversed() as [URL])
                for _ in 0..<max(1, min(settings.perHost, list.count)) {
                    group.addTask {
                        var found: [(String, Answer)] = []
                        while let url = queue.withLock({ $0.popLast() }) {
                            await gate.enter()
                            let answer = await client.answer(url)
                            await gate.leave()
                            found.append((url.absoluteString, answer))
                        }
                        return found
                    }
                }
            }
            var all: [String: Answer] = [:]
            for await found in group { for (key, answer) in found { all[key] = answer } }
            return all
        }
    }

    /// A counting semaphore for tasks.
    actor Gate {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []
        init(_ limit: Int) { free = max(1, limit) }

        func enter() async {
            if free > 0 { free -= 1; return }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }
}

// MARK: - Asking one address

extension ExternalLinks {
    /// URLSession without its own redirect handling (each redirect is seen and followed
    /// here) and without reading bodies (the task stops at the answer's headers).
    final class Client: NSObject, URLSessionDataDelegate, Sendable {
        let settings: Settings
        private let session = Locked<URLSession?>(nil)
        private let pending = Locked<[Int: Pending]>([:])

        struct Pending {
            var continuation: CheckedContinuation<HTTPURLResponse, Error>
            var response: HTTPURLResponse?
            var timedOut = false
        }

        init(settings: Settings) {
            self.settings = settings
            super.init()
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = settings.timeout
            configuration.timeoutIntervalForResource = settings.timeout * 2
            configuration.httpMaximumConnectionsPerHost = settings.perHost
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.urlCache = nil
            configuration.httpCookieStorage = nil
            session.set(URLSession(configuration: configuration, delegate: self, delegateQueue: nil))
        }

        func finish() { session.get()?.invalidateAndCancel() }

        /// The answer in the end: attempts, HEAD then GET, redirects followed.
        func answer(_ url: URL) async -> Answer {
            var answer = await attempt(url)
            var retries = settings.retries
            while answer.transient && retries > 0 {
                retries -= 1
                try? await Task.sleep(nanoseconds: UInt64(settings.retryDelay * 1_000_000_000))
                answer = await attempt(url)
            }
            return answer
        }

        private func attempt(_ start: URL) async -> Answer {
            var url = start
            var movedTo: String?
            var stillPermanent = true
            for _ in 0...settings.maxRedirects {
                let response: HTTPURLResponse
                do {
                    response = try await headOrGet(url)
                } catch {
                    return Answer(failure: Self.failure(error, timeout: settings.timeout), final: url == start ? nil : url.absoluteString, movedTo: movedTo)
                }
                let status = response.statusCode
                guard [301, 302, 303, 307, 308].contains(status),
                      let location = response.value(forHTTPHeaderField: "Location"),
                      let next = URL(string: location, relativeTo: url)?.absoluteURL ?? ExternalLinks.requestURL(location) else {
                    return Answer(status: status, final: url == start ? nil : url.absoluteString, movedTo: movedTo)
                }
                if stillPermanent && (status == 301 || status == 308) {
                    movedTo = next.absoluteString
                } else {
                    stillPermanent = false
                }
                url = next
            }
            return Answer(failure: .tooManyRedirects, final: url.absoluteString, movedTo: movedTo)
        }

        /// HEAD; GET where the server refuses HEAD.
        private func headOrGet(_ url: URL) async throws -> HTTPURLResponse {
            let head = try await request(url, method: "HEAD")
            guard [400, 403, 405, 501].contains(head.statusCode) else { return head }
            return try await request(url, method: "GET")
        }

        private func request(_ url: URL, method: String) async throws -> HTTPURLResponse {
            guard let session = session.get() else { throw URLError(.cancelled) }
            var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: settings.timeout)
            request.httpMethod = method
            request.setValue(settings.userAgent, forHTTPHeaderField: "User-Agent")
            request.setValue("text/html,application/xhtml+xml,*/*;q=0.8", forHTTPHeaderField: "Accept")
            let task = session.dataTask(with: request)
            let id = task.taskIdentifier
            let timeout = settings.timeout
            return try await withCheckedThrowingContinuation { continuation in
                pending.withLock { $0[id] = Pending(continuation: continuation) }
                // The time limit, whatever the transport does: no headers in time, no answer.
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak task, pending] in
                    let late = pending.withLock { all -> Bool in
                        guard all[id] != nil, all[id]?.response == nil else { return false }
                        all[id]?.timedOut = true
                        return true
                    }
                    if late { task?.cancel() }
                }
                task.resume()
            }
        }

        // Redirects come back as answers, to be followed (or not) in `attempt`.
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }

        // The headers are all that is wanted: keep them and stop. (FoundationNetworking
        // ignores the disposition, so the task is cancelled here.)
        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
            if let http = response as? HTTPURLResponse {
                pending.withLock { $0[dataTask.taskIdentifier]?.response = http }
            }
            completionHandler(.cancel)
            dataTask.cancel()
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            guard let done = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
            if let response = done.response ?? (task.response as? HTTPURLResponse) {
                done.continuation.resume(returning: response)
            } else if done.timedOut {
                done.continuation.resume(throwing: URLError(.timedOut))
            } else {
                done.continuation.resume(throwing: error ?? URLError(.badServerResponse))
            }
        }

        static func failure(_ error: Error, timeout: TimeInterval) -> Failure {
            guard let error = error as? URLError else { return .other("\(error)") }
            switch error.code {
            case .timedOut: return .timedOut(seconds: Int(timeout.rounded(.up)))
            case .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet: return .refused
            case .cannotFindHost, .dnsLookupFailed: return .hostNotFound
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
                return .secureConnection
            case .httpTooManyRedirects, .redirectToNonExistentLocation: return .tooManyRedirects
            default: return .other(error.localizedDescription)
            }
        }
    }
}

// MARK: - Remembering answers

extension ExternalLinks {
    /// Answers by address, with when they were given, in one JSON file of the cache folder.
    struct Memory {
        struct Stored: Codable { var version = 1; var answers: [String: Entry] = [:] }
        struct Entry: Codable { var checked: Double; var answer: Answer }

        let file: String?
        let maxAge: TimeInterval
        let now = Date().timeIntervalSince1970
        private var stored = Stored()
        private var changed = false

        init(file: String?, maxAge: TimeInterval) {
            self.file = file
            self.maxAge = maxAge
            if let file, let data = FileManager.default.contents(atPath: file),
               let read = try? JSONDecoder().decode(Stored.self, from: data), read.version == 1 {
                stored = read
            }
        }

        func answer(_ url: String) -> Answer? {
            guard let entry = stored.answers[url], now - entry.checked < maxAge, entry.checked <= now + 60 else { return nil }
            return entry.answer
        }

        mutating func remember(_ url: String, _ answer: Answer) {
            stored.answers[url] = Entry(checked: now, answer: answer)
            changed = true
        }

        /// Writes what is still young enough; quietly does nothing when it cannot.
        mutating func save() {
            guard let file, changed else { return }
            stored.answers = stored.answers.filter { now - $0.value.checked < maxAge }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(stored) else { return }
            try? Disk.makeFolders((file as NSString).deletingLastPathComponent)
            try? Disk.replace(file, with: data)
        }
    }
}

extension Site {
    /// `check --external`: the content loaded and linked as `check` does, then every web
    /// address in it asked for. Answers are remembered in the cache folder (`--cache`, else
    /// `$XDG_CACHE_HOME/overens`) as `external-links.json`.
    public static func checkExternalLinks(_ options: BuildOptions, settings: ExternalLinks.Settings? = nil) async -> ExternalLinks.Report {
        let linked = SiteSession(options, keepsSources: false).link(changed: nil)
        guard let graph = linked.renderer?.graph else { return ExternalLinks.Report(diagnostics: [], addresses: 0, hosts: 0, remembered: 0) }
        var settings = settings ?? ExternalLinks.Settings()
        if settings.cacheFile == nil { settings.cacheFile = externalLinksCache(options) }
        return await ExternalLinks.check(ExternalLinks.collect(graph), settings: settings)
    }

    /// Where `check --external` remembers answers.
    public static func externalLinksCache(_ options: BuildOptions) -> String {
        BuildCache.root(options) + "/external-links.json"
    }
}
