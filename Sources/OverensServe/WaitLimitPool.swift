import Foundation
import FlyingFox
import FlyingSocks
#if canImport(Glibc)
import Glibc
#endif

/// A socket pool in which no connection waits longer than `limit` seconds for its peer.
///
/// FlyingFox 0.27.1 has no read, idle or write timeout: a client that opens a connection
/// and sends nothing, or stops reading, holds a file descriptor for as long as it likes.
/// Every wait of a connection goes through the pool, so bounding it here closes such
/// connections without touching HTTP. The listening socket waits for as long as it takes.
struct WaitLimitPool: AsyncSocketPool {
    let base: any AsyncSocketPool
    let limit: Double

    init(base: any AsyncSocketPool, limit: Double) {
        self.base = base
        self.limit = limit
    }

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        guard !Self.isListening(socket) else { return try await base.suspendSocket(socket, untilReadyFor: events) }
        let base = self.base, limit = self.limit
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await base.suspendSocket(socket, untilReadyFor: events) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(limit * 1e9))
                throw SocketError.timeout(message: "the peer sent or took nothing for \(limit) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static func isListening(_ socket: Socket) -> Bool {
        var on: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket.file.rawValue, SOL_SOCKET, SO_ACCEPTCONN, &on, &size) == 0 && on != 0
    }
}
