import Foundation

/// The rules every stage follows on disk, in one place: which names are ignored, how a
/// path is printed, what a symbolic link may point at, and which paths the content, a
/// theme or `site.yml` may name in the output.
public enum Files {
    /// Editors' tools leave backups, swap and temporary files (and vim its `4913` probe),
    /// and hidden files are private: none of them is content, a template, an asset or a
    /// change for the preview to show.
    public static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("#") || name == "4913"
            || name.hasSuffix(".tmp") || name.hasSuffix(".swp") || name.hasSuffix(".swx")
    }

    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// A path as a person writes it: no doubled or trailing slashes, no `.` parts, and a
    /// `..` folded into the folder before it unless that folder is a symbolic link (where
    /// folding would name another place). `content/..//` prints as `.`.
    public static func normalized(_ path: String) -> String {
        guard !path.isEmpty else { return path }
        let absolute = path.hasPrefix("/")
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                let folder = (absolute ? "/" : "") + parts.joined(separator: "/")
                if !isSymbolicLink(folder) {
                    parts.removeLast()
                    continue
                }
            }
            if part == "..", absolute, parts.isEmpty { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// An absolute path with every symlink resolved. For a path that does not exist yet the
    /// nearest existing ancestor is resolved, so `link/new` with `link → content` is
    /// `content/new`, and the output guard sees where a build would really write.
    public static func canonical(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        var head = path.hasPrefix("/") ? path : cwd + "/" + path
        var tail: [String] = []
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return normalized(String(cString: real) + "/" + tail.reversed().joined(separator: "/"))
            }
            let last = (head as NSString).lastPathComponent
            if head == "/" || last.isEmpty { return normalized(head + "/" + tail.reversed().joined(separator: "/")) }
            tail.append(last)
            head = (head as NSString).deletingLastPathComponent
        }
    }

    /// The path with every symbolic link resolved.
    public static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// A folder the build reads from (content or theme). Nothing outside it is read, even
    /// through a symbolic link, so a link cannot publish `/etc/passwd`.
    public struct Root: Sendable {
        public let path: String
        public let real: String
        /// "content folder", "theme folder": named in messages.
        public let name: String

        public init(_ path: String, name: String) {
            self.path = normalized(path)
            self.real = realPath(self.path)
            self.name = name
        }

        /// True when `path`, links resolved, is inside this root.
        public func holds(_ path: String) -> Bool {
            let target = realPath(path)
            return target == real || target.hasPrefix(real == "/" ? "/" : real + "/")
        }
    }

    /// Larger files are refused: no editor writes 5 MiB of Markdown by hand, and reading
    /// a runaway file would stall the build.
    public static let maxTextSize = 5 * 1024 * 1024

    /// The size of the regular file at `path`, following a symbolic link only when it
    /// stays inside `root`; nil (reported) for anything else.
    public static func regularFileSize(_ path: String, in root: Root, diagnostics: DiagnosticBag, missing: Message) -> Int? {
        let location = SourceLocation(path: path)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            diagnostics.error(location, missing)
            return nil
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard root.holds(path) else {
                diagnostics.error(location, .symlinkOutside(root.name, target: realPath(path)))
                return nil
            }
            guard stat(path, &info) == 0 else {
                diagnostics.error(location, .symlinkBroken)
                return nil
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            diagnostics.error(location, .notRegularFile)
            return nil
        }
        return Int(info.st_size)
    }

    /// The bytes of a file inside `root` (see `regularFileSize`).
    public static func readData(_ path: String, in root: Root, diagnostics: DiagnosticBag, missing: Message) -> Data? {
        guard regularFileSize(path, in: root, diagnostics: diagnostics, missing: missing) != nil else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(SourceLocation(path: path), .unreadable)
            return nil
        }
        return data
    }

    /// A text file inside `root`: refuses links out, oversized, empty and non-UTF-8 files
    /// with a message that says which.
    public static func readText(_ path: String, in root: Root, diagnostics: DiagnosticBag, missing: Message) -> String? {
        guard let size = regularFileSize(path, in: root, diagnostics: diagnostics, missing: missing) else { return nil }
        guard size <= maxTextSize else {
            diagnostics.error(SourceLocation(path: path), .tooLarge(size, max: maxTextSize))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(SourceLocation(path: path), .unreadable)
            return nil
        }
        return decodeText(data, path: path, diagnostics: diagnostics)
    }

    /// A file's bytes as text: refuses empty, non-UTF-8 and NUL-containing files with a
    /// message that says which, and drops a leading byte-order mark.
    public static func decodeText(_ data: Data, path: String, diagnostics: DiagnosticBag) -> String? {
        let location = SourceLocation(path: path)
        if data.isEmpty {
            diagnostics.error(location, .emptyFile)
            return nil
        }
        guard let text = String(validatingUTF8Data: data) else {
            let (line, column) = firstInvalidUTF8(data)
            diagnostics.error(SourceLocation(path: path, line: line, column: column), .notUTF8)
            return nil
        }
        if data.withUnsafeBytes({ memchr($0.baseAddress!, 0, $0.count) != nil }) {
            diagnostics.error(location, .nulByte)
            return nil
        }
        // A byte-order mark is harmless; strip it so front matter starts at the first character.
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// Line and column of the first byte that is not UTF-8, to point the editor at it.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return (line, column)
            case .error: return (line, column)
            }
        }
    }

    /// Why `name` may not be one part of an output path that content, a theme or
    /// `site.yml` names (a folder, a slug, a language), or nil when it may. Only lowercase
    /// ASCII letters, digits and hyphens: never empty, hidden, `..`, a slash or absolute,
    /// so nothing is written outside the output or hidden in it, and every link works
    /// from disk without encoding.
    public static func outputNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if Identifier.isValid(name) { return nil }
        if name.contains("/") || name.contains("\\") { return "contains a slash; expected one folder or file name" }
        if name.hasPrefix(".") { return "starts with a dot, which would leave or hide it in the output" }
        return "has other characters"
    }
}

extension String {
    /// Strict UTF-8 decoding: nil instead of replacement characters.
    init?(validatingUTF8Data data: Data) {
        guard let s = String(validating: data, as: UTF8.self) else { return nil }
        self = s
    }
}
