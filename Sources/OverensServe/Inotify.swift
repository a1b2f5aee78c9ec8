import Foundation
import Overens
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's events for folder trees, through inotify: the one Linux-only part of
/// watching. Owned by the watcher's thread.
struct FolderEvents {
    /// Readable when events wait; the watcher polls it.
    let descriptor: Int32
    private let roots: [String]
    private let log: @Sendable (String) -> Void
    private var watches: [Int32: String] = [:]      // watch descriptor → folder
    private var missingRoots: Set<String> = []
    private var unsettled: Set<String> = []          // files written to and not closed yet

    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_ATTRIB) | UInt32(IN_CREATE)
        | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        | UInt32(IN_ONLYDIR)

    /// Watches every root that is there; the others are looked for again later.
    init(roots: [String], log: @escaping @Sendable (String) -> Void) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.roots = roots
        self.log = log
        for root in roots where !add(root) { missingRoots.insert(root) }
    }

    var watchCount: Int { watches.count }
    var hasMissingRoots: Bool { !missingRoots.isEmpty }
    /// Some file is still being written (modified, not yet closed).
    var writing: Bool { !unsettled.isEmpty }
    mutating func forgetWriting() { unsettled.removeAll() }

    /// Reads what events wait into `pending` (the paths they name); false when none did.
    mutating func read(_ buffer: UnsafeMutableRawPointer, size: Int, into pending: inout Set<String>) -> Bool {
        let n = Glibc.read(descriptor, buffer, size)
        guard n > 0 else { return false }
        parse(buffer, count: n, into: &pending)
        return true
    }

    /// The roots that were missing and are back, now watched.
    mutating func watchMissingRoots() -> [String] {
        let back = missingRoots.filter { add($0) }
        missingRoots.subtract(back)
        return back.sorted()
    }

    private mutating func parse(_ buffer: UnsafeMutableRawPointer, count: Int, into pending: inout Set<String>) {
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
                    inotify_rm_watch(descriptor, wd)
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
    private mutating func add(_ folder: String) -> Bool {
        var seen = Set<String>()
        return addTree(folder, seen: &seen)
    }

    private mutating func addTree(_ folder: String, seen: inout Set<String>) -> Bool {
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        guard seen.insert("\(info.st_dev):\(info.st_ino)").inserted else { return true }  // a link loop
        let wd = inotify_add_watch(descriptor, folder, Self.mask)
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
            inotify_rm_watch(descriptor, wd)
            watches[wd] = nil
        }
    }
}
