import Foundation
import Overens
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders and all their sub-folders: events from the kernel (`FolderEvents`),
/// no polling of the tree. New sub-folders get a watch as they appear.
///
/// Events are batched: after the first one the watcher waits for a pause, then calls
/// `onChange` once with every path it saw. The pause is short (`settle`) when every file
/// touched has been closed, renamed into place or removed, so a save shows quickly; it is
/// `quiet` while some file is still being written (modified, not yet closed), so a build
/// never reads half a file; and never longer than `maxDelay` in all.
/// Editors' swap and backup files (`.name`, `name~`, `#name`) are not changes.
/// Everything, `onChange` included, runs on the watcher's own thread, so while a rebuild
/// runs, the next changes simply queue up in the kernel and make the next batch.
public final class Watcher: Sendable {
    public let roots: [String]
    let quiet: Double
    let settle: Double
    let maxDelay: Double
    let onChange: @Sendable (Set<String>) -> Void
    let log: @Sendable (String) -> Void

    /// The descriptors and the thread, once started.
    private struct Running: Sendable {
        var events: Int32        // FolderEvents.descriptor
        var wake: Int32          // read end of a pipe that stop() writes to
        var wakeWriter: Int32
    }
    private let running = Locked<Running?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Locked(false)
    /// The watcher's thread, once it runs: `stop()` from `onChange` must not wait for itself.
    private let loopThread = Locked<pthread_t?>(nil)

    public init(roots: [String], quiet: Double = 0.05, settle: Double = 0.01, maxDelay: Double = 0.5,
                log: @escaping @Sendable (String) -> Void = { _ in }, onChange: @escaping @Sendable (Set<String>) -> Void) {
        self.roots = roots.map(Files.normalized)
        self.quiet = quiet
        self.settle = Swift.min(quiet, settle)
        self.maxDelay = maxDelay
        self.log = log
        self.onChange = onChange
    }

    deinit {
        guard let fds = running.get() else { return }
        for fd in [fds.events, fds.wake, fds.wakeWriter] where fd >= 0 { close(fd) }
    }

    /// Sets up the watches and starts the thread.
    public func start() throws {
        let tree = try FolderEvents(roots: roots, log: log)
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            close(tree.descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        watchTotal.set(tree.watchCount)
        let (wake, initial) = (pipeEnds[0], tree)
        let thread = Thread { [self] in
            loopThread.set(pthread_self())
            loop(initial, wake: wake)
            finished.signal()
        }
        thread.name = "overens-watcher"
        running.set(Running(events: tree.descriptor, wake: pipeEnds[0], wakeWriter: pipeEnds[1]))
        thread.start()
    }

    /// Stops the thread and waits for it (unless called from `onChange` itself).
    public func stop() {
        let already = stopping.update { stopping -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already, let fds = running.get() else { return }
        var one: UInt8 = 1
        _ = write(fds.wakeWriter, &one, 1)
        if let loop = loopThread.get(), pthread_equal(loop, pthread_self()) != 0 { return }
        finished.wait()
    }

    /// How many folders are watched (for tests and the log).
    public var watchCount: Int { watchTotal.get() }
    private let watchTotal = Locked(0)

    // MARK: - The thread

    private func loop(_ start: FolderEvents, wake: Int32) {
        var tree = start
        var pending = Set<String>()
        var first: Double?
        var last = 0.0
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }

        while !stopping.get() {
            let pause = tree.writing ? quiet : settle
            var timeout: Int32 = -1
            if let first {
                let due = min(last + pause, first + maxDelay)
                timeout = Int32(max(0, ((due - Self.now()) * 1000).rounded(.up)))
            }
            if tree.hasMissingRoots { timeout = timeout < 0 ? 500 : min(timeout, 500) }

            var fds = [pollfd(fd: tree.descriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR {
                log("file watching stopped: poll failed (\(String(cString: strerror(errno))))")
                return
            }
            if fds[1].revents != 0 || stopping.get() { return }

            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let before = pending.count
                    guard tree.read(buffer, size: size, into: &pending) else { break }
                    if pending.count > before || first != nil {
                        let now = Self.now()
                        if first == nil && !pending.isEmpty { first = now }
                        last = now
                    }
                }
            }
            for root in tree.watchMissingRoots() {
                pending.insert(root)
                if first == nil { first = Self.now() }
                last = Self.now()
            }
            watchTotal.set(tree.watchCount)
            let settled = tree.writing ? quiet : settle
            if let start = first, Self.now() >= min(last + settled, start + maxDelay) {
                let batch = pending
                pending.removeAll()
                tree.forgetWriting()
                first = nil
                if !batch.isEmpty { onChange(batch) }
            }
        }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
