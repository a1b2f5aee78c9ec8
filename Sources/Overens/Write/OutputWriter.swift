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

    public static func write(_ files: [OutputFile], to output: String) throws -> Summary {
        let fm = FileManager.default
        try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
        let all = files + [OutputFile(path: marker, data: Data("This folder is written by overens build; files here are replaced on each build.\n".utf8))]
        let folders = Set(all.map { (output + "/" + $0.path as NSString).deletingLastPathComponent })
        for folder in folders.sorted() {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        // Files are independent: compare and replace them on all cores.
        var outcomes = [Result<Bool, Error>](repeating: .success(false), count: all.count)
        outcomes.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: all.count) { i in
                let target = output + "/" + all[i].path
                if let existing = readIfSameSize(target, size: all[i].data.count), existing == all[i].data {
                    base[i] = .success(false)
                    return
                }
                base[i] = Result { try replace(target, with: all[i].data); return true }
            }
        }
        var summary = Summary()
        for outcome in outcomes {
            if try outcome.get() { summary.written += 1 } else { summary.unchanged += 1 }
        }
        summary.removed = removeStale(in: output, keep: Set(all.map(\.path)).union([cacheName]))
        return summary
    }

    /// The bytes of an existing file, only when its size matches (most changed files differ in size).
    static func readIfSameSize(_ path: String, size: Int) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) == size else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    /// Writes beside the target and renames over it: atomic on one file system, so a reader
    /// or server sees the old file or the new one, never half of one.
    static func replace(_ target: String, with data: Data) throws {
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
        guard written == data.count, rename(temp, target) == 0 else {
            let code = errno
            unlink(temp)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    static func removeStale(in output: String, keep: Set<String>) -> Int {
        let fm = FileManager.default
        var removed = 0
        var dirs: [String] = []
        guard let walker = fm.enumerator(atPath: output) else { return 0 }
        for case let path as String in walker {
            let full = output + "/" + path
            if ContentLoader.isDirectory(full) { dirs.append(full); continue }
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
