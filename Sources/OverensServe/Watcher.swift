import Foundation
import Overens
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders and all their sub-folders with inotify: one watch per folder, events
/// from the kernel, no polling of the tree. New sub-folders get a watch as they appear.
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
        var inotify: Int32
        var wake: Int32          // read end of a pipe that stop() writes to
        var wakeWriter: Int32
    }
    private let running = Locked<Running?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Locked(false)
    /// The watcher's thread, once it runs: `stop()` from `onChange` must not wait for itself.
    private let loopThread = Locked<pthread_t?>(nil)

    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_ATTRIB) | UInt32(IN_CREATE)
        | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        | UInt32(IN_ONLYDIR)

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
        for fd in [fds.inotify, fds.wake, fds.wakeWriter] where fd >= 0 { close(fd) }
    }

    /// Sets up the watches and starts the thread.
    public func start() throws {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            close(inotify)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var tree = Tree(inotify: inotify, roots: roots, log: log)
        for root in roots where !tree.add(root) {
            tree.missingRoots.insert(root)
        }
        watchTotal.set(tree.watches.count)
        let (wake, initial) = (pipeEnds[0], tree)
        let thread = Thread { [self] in
            loopThread.set(pthread_self())
            loop(initial, wake: wake)
            finished.signal()
        }
        thread.name = "overens-watcher"
        running.set(Running(inotify: inotify, wake: pipeEnds[0], wakeWriter: pipeEnds[1]))
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

    private func loop(_ start: Tree, wake: Int32) {
        var tree = start
        var pending = Set<String>()
        var first: Double?
        var last = 0.0
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }

        while !stopping.get() {
            let pause = tree.unsettled.isEmpty ? settle : quiet
            var timeout: Int32 = -1
            if let first {
                let due = min(last + pause, first + maxDelay)
                timeout = Int32(max(0, ((due - Self.now()) * 1000).rounded(.up)))
            }
            if !tree.missingRoots.isEmpty { timeout = timeout < 0 ? 500 : min(timeout, 500) }

            var fds = [pollfd(fd: tree.inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR {
                log("file watching stopped: poll failed (\(String(cString: strerror(errno))))")
                return
            }
            if fds[1].revents != 0 || stopping.get() { return }

            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let n = read(tree.inotify, buffer, size)
                    if n <= 0 { break }
                    let before = pending.count
                    tree.parse(buffer, count: n, into: &pending)
                    if pending.count > before || first != nil {
                        let now = Self.now()
                        if first == nil && !pending.isEmpty { first = now }
                        last = now
                    }
                }
            }
            for root in tree.missingRoots where tree.add(root) {
                tree.missingRoots.remove(root)
                pending.insert(root)
                if first == nil { first = Self.now() }
                last = Self.now()
            }
            watchTotal.set(tree.watches.count)
            let settled = tree.unsettled.isEmpty ? settle : quiet
            if let start = first, Self.now() >= min(last + settled, start + maxDelay) {
                let batch = pending
                pending.removeAll()
                tree.unsettled.removeAll()
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

/// The watched folders, owned by the watcher's thread.
private struct Tree {
    let inotify: Int32
    let roots: [String]
    let log: @Sendable (String) -> Void
    var watches: [Int32: String] = [:]      // watch descriptor → folder
    var missingRoots: Set<String> = []
    var unsettled: Set<String> = []          // files written to and not closed yet

    init(inotify: Int32, roots: [String], log: @escaping @Sendable (String) -> Void) {
        self.inotify = inotify
        self.roots = roots
        self.log = log
    }

    mutating func parse(_ buffer: UnsafeMutableRawPointer, count: Int, into pending: inout Set<String>) {
        var offset = 0
        let header = 16   // int wd; uint32 mask, cookie, len
        while offset + header <= count {
            let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            var name = ""
            if length > 0 {
                let start = buffer.advanced(by: offset + header).assumingMemoryBound(to: UInt8.self)
                let bytes = UnsafeBufferPointer(start: start, count: length)
                let end = bytes.firstIndex(of: 0) ?? length
                name = String(decoding: bytes[..<end], as: UTF8.self)
            }
            offset += header + length

            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                // Events were lost: look again at every folder and rebuild from scratch.
                log("file watching: the kernel's event queue overflowed; rebuilding everything")
                for root in roots where !add(root) { missingRoots.insert(root) }
                pending.insert(roots.first ?? ".")
                continue
            }
            guard let folder = watches[wd] else { continue }
            if mask & UInt32(IN_IGNORED) != 0 {
                watches[wd] = nil
                if roots.contains(folder) { missingRoots.insert(folder); pending.insert(folder) }
                continue
            }
            if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)) != 0 {
                if roots.contains(folder) {
                    // The root itself went away (or was renamed): watch for it to come back.
                    inotify_rm_watch(inotify, wd)
                    watches[wd] = nil
                    missingRoots.insert(folder)
                    pending.insert(folder)
                }
                continue
            }
            let path = name.isEmpty ? folder : folder + "/" + name
            let isFolder = mask & UInt32(IN_ISDIR) != 0
            if isFolder {
                if mask & UInt32(IN_MOVED_FROM) != 0 || mask & UInt32(IN_DELETE) != 0 {
                    forget(under: path)
                }
                if mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0, !Files.isIgnored(name) {
                    add(path)
                }
            }
            if Files.isIgnored(name) { continue }
            if !isFolder {
                if mask & (UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)) != 0 {
                    unsettled.remove(path)
                } else if mask & (UInt32(IN_MODIFY) | UInt32(IN_CREATE)) != 0 {
                    unsettled.insert(path)
                }
            }
            pending.insert(path)
        }
    }

    /// Adds a watch on `folder` and every folder below it; false if `folder` is not there.
    @discardableResult
    mutating func add(_ folder: String) -> Bool {
        var seen = Set<String>()
        return addTree(folder, seen: &seen)
    }

    private mutating func addTree(_ folder: String, seen: inout Set<String>) -> Bool {
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        guard seen.insert("\(info.st_dev):\(info.st_ino)").inserted else { return true }  // a link loop
        let wd = inotify_add_watch(inotify, folder, Watcher.mask)
        guard wd >= 0 else {
            log("cannot watch \(folder): \(String(cString: strerror(errno)))" + (errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : ""))
            return false
        }
        watches[wd] = folder
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !Files.isIgnored(entry) {
            let child = folder + "/" + entry
            var childInfo = stat()
            if stat(child, &childInfo) == 0, (childInfo.st_mode & S_IFMT) == S_IFDIR {
                _ = addTree(child, seen: &seen)
            }
        }
        return true
    }

    /// Drops the watches of a folder that was moved away or removed, and of those below it.
    private mutating func forget(under folder: String) {
        for (wd, path) in watches where path == folder || path.hasPrefix(folder + "/") {
            inotify_rm_watch(inotify, wd)
            watches[wd] = nil
        }
    }
}
