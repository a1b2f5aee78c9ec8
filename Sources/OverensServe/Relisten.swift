import Foundation
import FlyingSocks
#if canImport(Glibc)
import Glibc
#endif

/// When and how the preview listens again after FlyingFox's server stopped on an error.
///
/// FlyingFox 0.27.1 ends `HTTPServer.run()` at the first failed `accept()` (at the
/// open-file limit: "Too many open files"), closing every connection with it. The preview
/// starts a new server on the same port after a pause that doubles from 10 ms to 1 s.
/// Shortages pass, so those are retried for as long as they last; any other failure
/// (the port taken by another program, the address gone) ends the preview after 10 s.
struct Relisten {
    static let firstPause = 0.01
    static let longestPause = 1.0
    static let patience = 10.0
    /// A server that ran this long before failing served: what follows is a new failure.
    static let served = 2.0

    private var pause = firstPause
    /// When the present run of failures began; nil while serving.
    private var failingSince: Date?

    enum Next: Equatable {
        /// Listen again after this pause; `first` marks the first failure of a run of them.
        case retry(after: Double, first: Bool)
        case giveUp
    }

    /// What to do after a server that started at `began` failed with `error`.
    mutating func next(after error: Error, began: Date, now: Date = Date()) -> Next {
        if now.timeIntervalSince(began) >= Self.served { failingSince = nil }
        let first = failingSince == nil
        if first {
            failingSince = now
            pause = Self.firstPause
        } else if !Self.isShortage(error), now.timeIntervalSince(failingSince!) >= Self.patience {
            return .giveUp
        }
        defer { pause = min(pause * 2, Self.longestPause) }
        return .retry(after: pause, first: first)
    }

    /// Errors that pass by themselves: the system short of descriptors, buffers or memory,
    /// or a network error that accept(2) passes on for one connection.
    static func isShortage(_ error: Error) -> Bool {
        guard case SocketError.failed(_, let code, _) = error else { return false }
        return [EMFILE, ENFILE, ENOBUFS, ENOMEM, EAGAIN, EINTR, ECONNABORTED, EPROTO, EPERM, ETIMEDOUT,
                ENETDOWN, ENETUNREACH, EHOSTDOWN, EHOSTUNREACH, ENONET, ENOPROTOOPT, EOPNOTSUPP].contains(code)
    }

    /// "accept: Too many open files" rather than FlyingFox's "SocketError. Accept(24): …".
    static func describe(_ error: Error) -> String {
        if case SocketError.failed(let call, _, let message) = error { return "\(call.lowercased()): \(message)" }
        return (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
