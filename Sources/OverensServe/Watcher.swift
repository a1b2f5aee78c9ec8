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
public final class Watcher: @unchecked Sendable {
    public let roots: [String]
    let quiet: Double
    let settle: Double
    let maxDelay: Double
    let onChange: (Set<String>) -> Void
    let log: (String) -> Void

    private var inotify: Int32 = -1
    private var wake: Int32 = -1         // read end of a pipe that stop() writes to
    private var wakeWriter: Int32 = -1
    private var watches: [Int32: String] = [:]      // watch descriptor → folder
    private var missingRoots: Set<String> = []
    private var unsettled: Set<String> = []          // files written to and not closed yet
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    private let state = Locked(false)               // stopping

    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_ATTRIB) | UInt32(IN_CREATE)
        | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        | UInt32(IN_ONLYDIR)

    public init(roots: [String], quiet: Double = 0.05, settle: Double = 0.01, maxDelay: Double = 0.5,
                log: @escaping (String) -> Void = { _ in }, onChange: @escaping (Set<String>) -> Void) {
        self.roots = roots.map(Files.normalized)
        self.quiet = quiet
        self.settle = Swift.min(quiet, settle)
        self.maxDelay = maxDelay
        self.log = log
        self.onChange = onChange
    }

    deinit {
        if inotify >= 0 { close(inotify) }
        if wake >= 0 { close(wake) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    /// Sets up the watches and starts the thread.
    public func start() throws {
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        (wake, wakeWriter) = (pipeEnds[0], pipeEnds[1])
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        for root in roots where !addTree(root) {
            missingRoots.insert(root)
        }
        watchTotal.set(watches.count)
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "overens-watcher"
        self.thread = thread
        thread.start()
    }

    /// Stops the thread and waits for it (unless called from `onChange` itself).
    public func stop() {
        let already = state.update { stopping -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already, thread != nil else { return }
        var one: UInt8 = 1
        _ = write(wakeWriter, &one, 1)
        if Thread.current != thread { finished.wait() }
    }

    /// How many folders are watched (for tests and the log).
    public var watchCount: Int { watchTotal.get() }
    private let watchTotal = Locked(0)

    // MARK: - The thread

    private func loop() {
        var pending = Set<String>()
        var first: Double?
        var last = 0.0
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }

        while !state.get() {
            var timeout: Int32 = -1
            if let first {
                let due = min(last + pause, first + maxDelay)
                timeout = Int32(max(0, ((due - Self.now()) * 1000).rounded(.up)))
            }
            if !missingRoots.isEmpty { timeout = timeout < 0 ? 500 : min(timeout, 500) }

            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR {
                log("file watching stopped: poll failed (\(String(cString: strerror(errno))))")
                return
            }
            if fds[1].revents != 0 || state.get() { return }

            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let n = read(inotify, buffer, size)
                    if n <= 0 { break }
                    let before = pending.count
                    parse(buffer, count: n, into: &pending)
                    if pending.count > before || first != nil {
                        let now = Self.now()
                        if first == nil && !pending.isEmpty { first = now }
                        last = now
                    }
                }
            }
            for root in missingRoots where addTree(root) {
                missingRoots.remove(root)
                pending.insert(root)
                if first == nil { first = Self.now() }
                last = Self.now()
            }
            watchTotal.set(watches.count)
            if let start = first, Self.now() >= min(last + pause, start + maxDelay) {
                let batch = pending
                pending.removeAll()
                unsettled.removeAll()
                first = nil
                if !batch.isEmpty { onChange(batch) }
            }
        }
    }

    private var pause: Double { unsettled.isEmpty ? settle : quiet }

    private func parse(_ buffer: UnsafeMutableRawPointer, count: Int, into pending: inout Set<String>) {
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
                for root in roots where !addTree(root) { missingRoots.insert(root) }
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
                    addTree(path)
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
    private func addTree(_ folder: String) -> Bool {
        var seen = Set<String>()
        return addTree(folder, seen: &seen)
    }

    private func addTree(_ folder: String, seen: inout Set<String>) -> Bool {
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        guard seen.insert("\(info.st_dev):\(info.st_ino)").inserted else { return true }  // a link loop
        let wd = inotify_add_watch(inotify, folder, Self.mask)
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
    private func forget(under folder: String) {
        for (wd, path) in watches where path == folder || path.hasPrefix(folder + "/") {
            inotify_rm_watch(inotify, wd)
            watches[wd] = nil
        }
    }


    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
