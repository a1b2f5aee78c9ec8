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
    private let queues = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in FileQueue(limit: 16 << 20) }
    private let writers = Locked<[WorkerThread]>([])

    private struct State {
        var paths: [String] = []
        var folders: Set<String> = [""]
        var failure: WriteError?
        var written = 0
        var unchanged = 0
    }

    init(_ place: OutputPlace) throws {
        self.place = place
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
    /// writer is 32 MB behind.
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

/// Files on their way to the writer thread, at most `limit` bytes of them (or one file
/// larger than that): rendering runs ahead of the disk only so far.
private final class FileQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let limit: Int
    // Guarded by `condition`.
    private var waiting: [OutputFile] = []
    private var bytes = 0
    private var closed = false

    init(limit: Int) { self.limit = limit }

    /// False once closed: the caller writes the file itself.
    func put(_ file: OutputFile) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while bytes > 0, bytes + file.data.count > limit, !closed { condition.wait() }
        guard !closed else { return false }
        waiting.append(file)
        bytes += file.data.count
        condition.broadcast()
        return true
    }

    /// Every file waiting, or nil once closed and empty.
    func take() -> [OutputFile]? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty, !closed { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        defer { waiting = [] }
        return waiting
    }

    /// `batch` is on disk: its bytes no longer count against the limit.
    func written(_ batch: [OutputFile]) {
        condition.lock()
        defer { condition.unlock() }
        bytes -= batch.reduce(0) { $0 + $1.data.count }
        condition.broadcast()
    }

    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}
