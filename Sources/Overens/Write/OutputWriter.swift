import Foundation

/// Write stage: puts the rendered site on disk. Each file is written beside its place and
/// renamed over it, so no reader ever sees half a page; files whose bytes are unchanged
/// are not touched (their modification time stays, so rsync sends only what changed);
/// files the site no longer has are removed.
public enum OutputWriter {
    /// Marks a folder as written by overens, so a build never empties a folder it did not make.
    public static let marker = ".overens-output"
    /// What the last build read, to skip a build when nothing changed; not part of the site.
    public static let cacheName = ".overens-cache"

    public struct Summary: Sendable {
        public var written = 0
        public var unchanged = 0
        public var removed = 0
    }

    /// Refuses output folders whose cleaning would destroy an editor's work.
    /// `sources` (content, theme) may not hold or be held by the output; `workingDirectory`
    /// (the repository) may hold it, but may not be it or be inside it.
    public static func validate(output: String, sources: [String], workingDirectory: String, diagnostics: DiagnosticBag) {
        let out = canonical(output)
        for path in sources + [workingDirectory] {
            let p = canonical(path)
            if out == p || p.hasPrefix(out == "/" ? "/" : out + "/") {
                diagnostics.error(SourceLocation(path: output), "output folder \(output) is or contains \(path); expected a folder of its own, such as site/")
            } else if out.hasPrefix(p + "/") && path != workingDirectory {
                diagnostics.error(SourceLocation(path: output), "output folder \(output) is inside \(path); expected a folder outside content and theme, such as site/")
            }
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: out), !fm.fileExists(atPath: out + "/" + marker) {
            let entries = (try? fm.contentsOfDirectory(atPath: out)) ?? []
            if !entries.isEmpty {
                diagnostics.error(SourceLocation(path: output), "output folder \(output) holds files that overens did not write; expected an empty folder or an earlier build (it would remove them)")
            }
        }
    }

    static func canonical(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        url.resolveSymlinksInPath()
        let p = url.path
        return p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p
    }

    /// Writes a site while it renders: each changed file goes beside its place at once,
    /// and only when the whole site rendered without error are they renamed into place.
    /// A build that fails removes what it staged, so the folder is left as it was; no
    /// reader ever sees a page of the new site next to the old one's half.
    public final class Staging: @unchecked Sendable {
        let output: String
        private let lock = NSLock()
        private var paths: [String] = []
        private var staged: [(temp: String, target: String)] = []
        private var madeFolders: [String] = []
        private var knownFolders: Set<String> = []
        private var failure: Error?
        private var unchanged = 0

        public init(output: String) {
            self.output = output
        }

        /// Stages one file; called from many threads.
        public func stage(_ file: OutputFile) {
            let target = output + "/" + file.path
            lock.lock()
            paths.append(file.path)
            let ready = failure == nil
            lock.unlock()
            guard ready else { return }
            do {
                if let existing = readIfSameSize(target, size: file.data.count), existing == file.data {
                    lock.lock(); unchanged += 1; lock.unlock()
                    return
                }
                try makeFolder((target as NSString).deletingLastPathComponent)
                let temp = try writeBeside(target, data: file.data)
                lock.lock(); staged.append((temp, target)); lock.unlock()
            } catch {
                lock.lock(); failure = failure ?? error; lock.unlock()
            }
        }

        /// Renames every staged file into place, writes the marker and removes what the
        /// site no longer has.
        public func commit() throws -> (summary: Summary, paths: [String]) {
            if let failure { throw failure }
            stage(OutputFile(path: marker, data: Data(markerText.utf8)))
            if let failure { throw failure }
            for (temp, target) in staged.sorted(by: { $0.target < $1.target }) where rename(temp, target) != 0 {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            var summary = Summary()
            summary.written = staged.count
            summary.unchanged = unchanged
            summary.removed = removeStale(in: output, keep: Set(paths).union([cacheName]))
            return (summary, paths.filter { $0 != marker }.sorted())
        }

        /// Removes everything staged and every folder made for it.
        public func abort() {
            for (temp, _) in staged { unlink(temp) }
            for folder in madeFolders.sorted(by: { $0.count > $1.count }) { rmdir(folder) }
            staged = []
            madeFolders = []
        }

        private func makeFolder(_ folder: String) throws {
            lock.lock()
            defer { lock.unlock() }
            guard !knownFolders.contains(folder) else { return }
            var missing: [String] = []
            var dir = folder
            while !dir.isEmpty, dir != "/", !FileManager.default.fileExists(atPath: dir) {
                missing.append(dir)
                dir = (dir as NSString).deletingLastPathComponent
            }
            for dir in missing.reversed() {
                guard mkdir(dir, 0o755) == 0 || errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                madeFolders.append(dir)
            }
            knownFolders.insert(folder)
        }
    }

    static let markerText = "This folder is written by overens build; files here are replaced on each build.\n"

    /// The bytes of an existing file, only when its size matches (most changed files differ in size).
    static func readIfSameSize(_ path: String, size: Int) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) == size else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    /// Writes beside the target and renames over it: atomic on one file system, so a reader
    /// or server sees the old file or the new one, never half of one.
    static func replace(_ target: String, with data: Data) throws {
        let temp = try writeBeside(target, data: data)
        guard rename(temp, target) == 0 else {
            let code = errno
            unlink(temp)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    /// Writes `data` to a new file beside `target` and returns its path.
    static func writeBeside(_ target: String, data: Data) throws -> String {
        let dir = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temp = dir + "/.\(name).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        close(fd)
        guard written == data.count else {
            let code = errno
            unlink(temp)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        return temp
    }

    static func removeStale(in output: String, keep: Set<String>) -> Int {
        let fm = FileManager.default
        var removed = 0
        var dirs: [String] = []
        guard let walker = fm.enumerator(atPath: output) else { return 0 }
        for case let path as String in walker {
            let full = output + "/" + path
            if Files.isDirectory(full) { dirs.append(full); continue }
            if !keep.contains(path) {
                try? fm.removeItem(atPath: full)
                removed += 1
            }
        }
        for dir in dirs.sorted(by: { $0.count > $1.count }) where ((try? fm.contentsOfDirectory(atPath: dir)) ?? ["x"]).isEmpty {
            try? fm.removeItem(atPath: dir)
        }
        return removed
    }
}
