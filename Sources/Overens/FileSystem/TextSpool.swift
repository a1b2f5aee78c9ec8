import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Text set aside on disk from parse to render: every body's HTML and words. At 100,000
/// files they are most of a build's memory, and each is read back once or twice. The
/// file has no name (it is removed as soon as it is opened), so nothing is left behind,
/// and it is closed when the last text stored in it is let go.
public final class TextSpool: Sendable {
    private let descriptor: Int32
    private let end = Atomic<Int>(0)
    /// Where the file was made, for the message should reading it back fail.
    public let directory: String

    /// A spool in `directory`, or nil when no file can be made there (texts then stay in
    /// memory). `directory` should be on disk: a spool in a RAM-backed /tmp saves nothing.
    public init?(directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var template = Array((directory + "/spool-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
        self.directory = directory
    }

    deinit { close(descriptor) }

    /// Stores `text`; kept in memory instead when the disk refuses it (full, say).
    public func store(_ text: String) -> StoredText {
        let count = text.utf8.count
        guard count > 0 else { return StoredText(text) }
        let offset = end.add(count, ordering: .relaxed).oldValue
        var text = text
        let written = text.withUTF8 { Self.writeAll(descriptor, $0, at: offset) }
        return written ? StoredText(spool: self, offset: offset, count: count) : StoredText(text)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    fileprivate func read(offset: Int, count: Int) -> String? {
        var failed = false
        let text = String(unsafeUninitializedCapacity: count) { buffer in
            var done = 0
            while done < count {
                let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { failed = true; return 0 }
                done += n
            }
            return count
        }
        return failed ? nil : text
    }

    /// The spool folders that failed to give a text back since the process started: a
    /// render that saw one reports an error rather than publish pages with text missing.
    public static var failures: [String] { failed.withLock { $0 } }
    fileprivate static let failed = Locked<[String]>([])
}

/// A text kept in memory or in a spool.
public struct StoredText: Sendable {
    private enum Place: Sendable {
        case memory(String)
        case spool(TextSpool, offset: Int, count: Int)
    }
    private let place: Place

    public init(_ text: String) { place = .memory(text) }

    fileprivate init(spool: TextSpool, offset: Int, count: Int) {
        place = .spool(spool, offset: offset, count: count)
    }

    public var isEmpty: Bool {
        switch place {
        case .memory(let text): text.isEmpty
        case .spool: false
        }
    }

    /// The text, read back from disk if it was spooled.
    public var text: String {
        switch place {
        case .memory(let text):
            return text
        case .spool(let spool, let offset, let count):
            if let text = spool.read(offset: offset, count: count) { return text }
            TextSpool.failed.withLock { $0.append(spool.directory) }
            return ""
        }
    }
}
