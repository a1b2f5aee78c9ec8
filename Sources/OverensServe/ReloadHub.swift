import Foundation
import FlyingFox
import FlyingSocks
import Overens

/// The open event streams (`/__overens/events`, server-sent events) and what they are told:
/// `hello` with the current build when a page connects, `reload` after every rebuild, and a
/// comment now and then so a closed tab's connection is noticed and dropped.
final class ReloadHub: Sendable {
    private struct Streams {
        var open: [UUID: AsyncStream<Data>.Continuation] = [:]
        var closed = false
    }
    private let streams = Locked(Streams())

    var count: Int { streams.withLock { $0.open.count } }

    /// A new stream that starts with `hello`.
    func subscribe(generation: String) -> AsyncStream<Data> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(Data("retry: 1000\nevent: hello\ndata: \(generation)\n\n".utf8))
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        let closed = streams.withLock { streams in
            if !streams.closed { streams.open[id] = continuation }
            return streams.closed
        }
        if closed { continuation.finish() }
        return stream
    }

    /// `pages` lists the site paths that changed (nil: any may have), so a page that did
    /// not change stays as it is; paths never hold spaces (ids and slugs are checked).
    func reload(generation: String, pages: [String]? = nil) {
        let data = ([generation] + (pages ?? ["*"])).joined(separator: " ")
        send(Data("event: reload\ndata: \(data)\n\n".utf8))
    }

    func ping() {
        send(Data(": ping\n\n".utf8))
    }

    /// Ends every stream (the server stops).
    func close() {
        let all = streams.withLock { streams in
            streams.closed = true
            defer { streams.open.removeAll() }
            return Array(streams.open.values)
        }
        for continuation in all { continuation.finish() }
    }

    private func send(_ data: Data) {
        let all = streams.withLock { Array($0.open.values) }
        for continuation in all { continuation.yield(data) }
    }

    private func remove(_ id: UUID) {
        streams.withLock { $0.open[id] = nil }
    }

    /// The HTTP answer for `/__overens/events`: a chunked body that lasts as long as the stream.
    func response(generation: String, head: Bool) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        guard !head else { return HTTPResponse(statusCode: .ok, headers: headers) }
        let stream = subscribe(generation: generation)
        return HTTPResponse(statusCode: .ok, headers: headers, body: HTTPBodySequence(from: EventBytes(stream: stream)))
    }
}

/// An `AsyncStream` of byte blocks as the byte sequence FlyingFox streams a body from;
/// each block becomes one chunk on the wire as soon as it is yielded.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<Data>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while pending.isEmpty {
                guard let block = await base.next() else { return nil }
                pending = Array(block)
            }
            let n = Swift.max(1, Swift.min(count, pending.count))
            let out = Array(pending.prefix(n))
            pending.removeFirst(n)
            return out
        }
    }
}
