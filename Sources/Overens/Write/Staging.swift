import Foundation

/// The new site's tree, made beside the output while the site renders. A file whose bytes
/// are those of the output's file at its place is hard-linked to it, so it keeps its inode
/// and modification time (rsync sends only what changed); any other file is written new.
/// Nothing in the output is ever written to: its files may be shared with this tree.
///
/// Writer threads of their own make the files, one per core, each folder's files all by the
/// same writer in the order they come: the pages' threads, making files in the same folders
/// at once, spent a sixth of a 10,000-page build's CPU waiting on the kernel's lock of the
/// folder; now the pages render meanwhile.
final class Staging: Sendable {
    let place: OutputPlace
    /// False for a first build: with no output there is nothing to compare with, and no file
    /// is looked for.
    private let outputExists: Bool
    private let state = Locked(State())
    /// One queue and writer per core; a folder's files all go to the same one.
    private let queues: [FileQueue]
    private let writers = Locked<[WorkerThread]>([])

    private struct State {
        var paths: [String] = []
        var folders: Set<String> = [""]
        var failure: WriteError?
        var written = 0
        var unchanged = 0
    }

    /// `queued`: how many bytes each writer may have waiting.
    init(_ place: OutputPlace, queued: Int = 16 << 20) throws {
        self.place = place
        queues = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in FileQueue(limit: queued) }
        outputExists = Disk.kind(place.output) == .folder
        let mode = outputExists ? Disk.mode(place.output) : 0o755
        guard mkdir(place.staging, mode) == 0 else { throw WriteError.system("create", place.staging, errno) }
        let threads = queues.compactMap { queue in
            WorkerThread { [self] in
                while let batch = queue.take() {
                    for file in batch { write(file) }
                    queue.written(batch)
                }
            }
        }
        // Without a thread for every queue, the pages' own threads write.
        if threads.count == queues.count { writers.set(threads) } else { queues.forEach { $0.close() }; threads.forEach { $0.join() } }
    }

    /// Stages one file; called from many threads as pages render. It waits only while the
    /// writer is `queued` bytes (16 MB) behind.
    func stage(_ file: OutputFile) {
        let ready = state.withLock { state in
            state.paths.append(file.path)
            return state.failure == nil
        }
        guard ready else { return }
        if !queues[Self.queueIndex(file.path, count: queues.count)].put(file) { write(file) }
    }

    /// The queue of the file's folder.
    static func queueIndex(_ path: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a of the folder
        let folder = path.utf8.lastIndex(of: UInt8(ascii: "/")) ?? path.utf8.startIndex
        for byte in path.utf8[..<folder] {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    /// Waits until every staged file is written; the writers then end.
    private func drain() {
        queues.forEach { $0.close() }
        writers.withLock { threads in
            threads.forEach { $0.join() }
            threads = []
        }
    }

    private func write(_ file: OutputFile) {
        guard state.withLock({ $0.failure == nil }) else { return }
        do {
            let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw WriteError.outsideOutput(file.path)
            }
            try makeFolders(parts.dropLast().joined(separator: "/"))
            let old = place.output + "/" + file.path, new = place.staging + "/" + file.path
            if outputExists, let existing = Self.readIfSameSize(old, size: file.data.count), existing == file.data, link(old, new) == 0 {
                state.withLock { $0.unchanged += 1 }
            } else {
                try Disk.create(new, data: file.data)
                state.withLock { $0.written += 1 }
            }
        } catch {
            let failure = error as? WriteError ?? .system("write", file.path, EIO)
            state.withLock { $0.failure = $0.failure ?? failure }
        }
    }

    /// Every path staged, or the first error, once all are written.
    func finish() throws -> (paths: [String], written: Int, unchanged: Int) {
        drain()
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return (state.paths.sorted(), state.written, state.unchanged)
        }
    }

    /// Removes the tree: after a failure (the output was never touched) or after the swap
    /// (it then holds the old site).
    func discard() {
        drain()
        Disk.removeTree(place.staging)
    }

    /// Makes `folder` and its parents inside the staging tree, never the tree itself: once a
    /// signal handler removed it, writers fail instead of making it again.
    private func makeFolders(_ folder: String) throws {
        try state.withLock { state in
            guard !state.folders.contains(folder) else { return }
            var missing: [String] = []
            var dir = folder
            while !state.folders.contains(dir) {
                missing.append(dir)
                dir = (dir as NSString).deletingLastPathComponent
            }
            for dir in missing.reversed() {
                let path = place.staging + "/" + dir
                guard mkdir(path, 0o755) == 0 || (errno == EEXIST && Disk.kind(path) == .folder) else {
                    throw WriteError.system("create", path, errno)
                }
                state.folders.insert(dir)
            }
        }
    }

    /// The bytes of an existing file, only when its size matches (most changed files differ in size).
    static func readIfSameSize(_ path: String, size: Int) -> Data? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == size else { return nil }
        return FileManager.default.contents(atPath: path)
    }
}

/// Files on their way to a writer thread, at most `limit` bytes of them (or one file larger
/// than that): rendering runs ahead of the disk only so far. A thread that must wait says
/// so under the lock, then waits on a semaphore, which keeps a signal given before the wait.
private final class FileQueue: Sendable {
    private struct State {
        var waiting: [OutputFile] = []
        var bytes = 0
        var closed = false
        var writerWaits = false
        var sendersWaiting = 0
    }
    private let state = Locked(State())
    private let filesCame = DispatchSemaphore(value: 0)
    private let roomMade = DispatchSemaphore(value: 0)
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// False once closed: the caller writes the file itself.
    func put(_ file: OutputFile) -> Bool {
        while true {
            let (taken, wakeWriter) = state.withLock { state -> (Bool?, Bool) in
                if state.closed { return (false, false) }
                guard state.bytes == 0 || state.bytes + file.data.count <= limit else {
                    state.sendersWaiting += 1
                    return (nil, false)
                }
                state.waiting.append(file)
                state.bytes += file.data.count
                defer { state.writerWaits = false }
                return (true, state.writerWaits)
            }
            if wakeWriter { filesCame.signal() }
            if let taken { return taken }
            roomMade.wait()
        }
    }

    /// Every file waiting, or nil once closed and empty.
    func take() -> [OutputFile]? {
        while true {
            let batch = state.withLock { state -> [OutputFile]?? in
                if !state.waiting.isEmpty {
                    defer { state.waiting = [] }
                    return .some(state.waiting)
                }
                if state.closed { return .some(nil) }
                state.writerWaits = true
                return nil
            }
            if let batch { return batch }
            filesCame.wait()
        }
    }

    /// `batch` is on disk: its bytes no longer count against the limit.
    func written(_ batch: [OutputFile]) {
        let senders = state.withLock { state in
            state.bytes -= batch.reduce(0) { $0 + $1.data.count }
            defer { state.sendersWaiting = 0 }
            return state.sendersWaiting
        }
        for _ in 0..<senders { roomMade.signal() }
    }

    func close() {
        let (writer, senders) = state.withLock { state in
            state.closed = true
            defer { state.writerWaits = false; state.sendersWaiting = 0 }
            return (state.writerWaits, state.sendersWaiting)
        }
        if writer { filesCame.signal() }
        for _ in 0..<senders { roomMade.signal() }
    }
}
