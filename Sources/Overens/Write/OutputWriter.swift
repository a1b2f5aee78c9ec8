import Foundation

/// Write stage: puts the rendered site on disk. Each file is written beside its place and
/// renamed over it, so no reader ever sees half a page; files whose bytes are unchanged
/// are not touched (their modification time stays, so rsync sends only what changed);
/// files the site no longer has are removed.
public enum OutputWriter {
    /// Marks a folder as written by overens, so a build never empties a folder it did not make.
    public static let marker = ".overens-output"

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
        var summary = Summary()
        var keep = Set<String>([marker])
        var madeDirs = Set<String>()
        let all = files + [OutputFile(path: marker, data: Data("This folder is written by overens build; files here are replaced on each build.\n".utf8))]
        for file in all {
            keep.insert(file.path)
            let target = output + "/" + file.path
            let dir = (target as NSString).deletingLastPathComponent
            if !madeDirs.contains(dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                madeDirs.insert(dir)
            }
            if let existing = fm.contents(atPath: target), existing == file.data {
                summary.unchanged += 1
                continue
            }
            try replace(target, with: file.data)
            summary.written += 1
        }
        summary.removed = removeStale(in: output, keep: keep)
        return summary
    }

    /// Writes beside the target and renames over it: atomic on one file system.
    static func replace(_ target: String, with data: Data) throws {
        let dir = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temp = dir + "/.\(name).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp])
        }
        if rename(temp, target) != 0 {
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
