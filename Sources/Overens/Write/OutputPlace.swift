import Foundation

/// The output folder, resolved, and the places beside it a build uses. They share the
/// output's parent, so they are on its file system and a rename between them is one step;
/// none of them is inside the output, which holds nothing of the tool's own.
public struct OutputPlace: Sendable, Equatable {
    /// The output's real path: symlinks resolved, also in a part that does not exist yet.
    public let output: String
    let parent: String
    let name: String

    public init(_ output: String) {
        self.output = FilePath.canonical(output)
        parent = (self.output as NSString).deletingLastPathComponent
        name = (self.output as NSString).lastPathComponent
    }

    /// Where this process builds the new tree; after the swap it holds the old one.
    var staging: String { leftover("new", getpid()) }
    /// Only used where the file system cannot swap in one step (see `Swap`).
    var setAside: String { leftover("old", getpid()) }
    /// One build of this output at a time (see `OutputLock`); the file stays, unlocked.
    var lockFile: String { parent + "/." + name + ".overens-lock" }

    func leftover(_ kind: String, _ pid: Int32) -> String { parent + "/." + name + ".overens-\(kind)-\(pid)" }

    /// `(kind, pid)` when `entry` (a name in the parent folder) is a tree an earlier build left.
    func leftoverKind(_ entry: String) -> String? {
        let prefix = "." + name + ".overens-"
        guard entry.hasPrefix(prefix) else { return nil }
        let rest = entry.dropFirst(prefix.count).split(separator: "-", maxSplits: 1)
        guard rest.count == 2, rest[0] == "new" || rest[0] == "old", !rest[1].isEmpty, rest[1].allSatisfy(\.isNumber) else { return nil }
        return String(rest[0])
    }
}

/// Small file-system helpers of the write stage; none follows a symlink unless it says so.
enum FilePath {
    /// An absolute path with every symlink resolved. For a path that does not exist yet the
    /// nearest existing ancestor is resolved, so `link/new` with `link → content` is
    /// `content/new`, and the output guard sees where a build would really write.
    static func canonical(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        var head = path.hasPrefix("/") ? path : cwd + "/" + path
        var tail: [String] = []
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return normalised(String(cString: real) + "/" + tail.reversed().joined(separator: "/"))
            }
            let last = (head as NSString).lastPathComponent
            if head == "/" || last.isEmpty { return normalised(head + "/" + tail.reversed().joined(separator: "/")) }
            tail.append(last)
            head = (head as NSString).deletingLastPathComponent
        }
    }

    /// Drops `.`, empty parts and trailing slashes; `..` is taken lexically (what it follows does
    /// not exist, so it cannot be a symlink).
    static func normalised(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    enum Kind { case file, folder, other }

    /// What is at `path`, symlinks not followed (a symlink is `.other`); nil when nothing.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        default: return .other
        }
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o755
    }

    /// The names in a folder, sorted; empty when it cannot be read.
    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// Removes a whole tree; symlinks in it are removed, never followed.
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A new file with `data`; fails if something is already there.
    static func create(_ path: String, data: Data, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError.system("create", path, errno) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        guard written == data.count else { throw WriteError.system("write", path, errno) }
    }

    /// Writes beside `target` and renames over it, so a reader sees the old file or the new one.
    static func replace(_ target: String, with data: Data) throws {
        let temp = target + ".\(getpid()).tmp"
        unlink(temp)
        try create(temp, data: data)
        guard rename(temp, target) == 0 else {
            let code = errno
            unlink(temp)
            throw WriteError.system("rename", target, code)
        }
    }
}
