import Foundation

/// Small file-system helpers of the write stage; none follows a symlink unless it says so.
enum Disk {
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

    /// Makes a folder and its missing parents.
    static func makeFolders(_ path: String) throws {
        var dir = ""
        for part in path.split(separator: "/") {
            dir += "/" + part
            if mkdir(dir, 0o755) == 0 { continue }
            let code = errno
            guard code == EEXIST, kind(Files.canonical(dir)) == .folder else {
                throw WriteError.system("create", dir, code == EEXIST ? ENOTDIR : code)
            }
        }
    }

    /// A new file with `data`; fails if something is already there.
    static func create(_ path: String, data: Data, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError.system("create", path, errno) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Platform.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
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
