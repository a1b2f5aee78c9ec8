import Foundation

/// Takes into the staged tree every file of the output that this build did not make. What
/// an earlier build wrote (`previous`) and the site no longer has is left behind, and goes
/// with the old tree; anything else (CNAME, .git/, .well-known/, a user's files) is carried
/// over as it is: files hard-linked, folders made again, symlinks as symlinks.
struct CarryOver {
    let place: OutputPlace
    /// The paths this build wrote.
    let made: Set<String>
    /// What the last build wrote; nil when unknown, and then nothing is left behind.
    let previous: Set<String>?
    /// Folders the last build's files are in: left behind when nothing is carried into them.
    private let previousFolders: Set<String>
    private(set) var kept: [String] = []
    private(set) var removed = 0

    init(_ place: OutputPlace, made: Set<String>, previous: Set<String>?) {
        self.place = place
        self.made = made
        self.previous = previous
        var folders: Set<String> = []
        for path in previous ?? [] {
            var dir = (path as NSString).deletingLastPathComponent
            while !dir.isEmpty, folders.insert(dir).inserted { dir = (dir as NSString).deletingLastPathComponent }
        }
        previousFolders = folders
    }

    mutating func run() throws {
        guard Disk.kind(place.output) == .folder else { return }
        try carry(folder: "")
    }

    private mutating func carry(folder: String) throws {
        for name in try Self.names(folder.isEmpty ? place.output : place.output + "/" + folder) {
            let path = folder.isEmpty ? name : folder + "/" + name
            let from = place.output + "/" + path, to = place.staging + "/" + path
            let here = Disk.kind(to)
            if Disk.kind(from) == .folder {
                switch here {
                case .folder?:
                    try carry(folder: path)
                case nil:
                    // Its own mode once filled: a read-only folder could not take its files.
                    guard mkdir(to, 0o700) == 0 else { throw WriteError.system("create", to, errno) }
                    try carry(folder: path)
                    if previousFolders.contains(path), Disk.names(to).isEmpty { rmdir(to) } else { chmod(to, Disk.mode(from)) }
                default:
                    // The site has a file where the output has a folder: fine if that folder
                    // holds only what overens wrote.
                    if let other = try firstToKeep(in: path) { throw WriteError.occupied(path: path, keeping: other) }
                    removed += count(in: path)
                }
            } else if made.contains(path) {
                continue   // the new site's file takes its place
            } else if previous?.contains(path) == true || Self.isToolFile(path) {
                removed += 1
            } else if here != nil {
                throw WriteError.occupied(path: path + "/", keeping: path)
            } else {
                try Self.linkOrCopy(from, to)
                kept.append(path)
            }
        }
    }

    /// The first file under `folder` that would be carried over, if any.
    private func firstToKeep(in folder: String) throws -> String? {
        for name in try Self.names(place.output + "/" + folder) {
            let path = folder + "/" + name
            if Disk.kind(place.output + "/" + path) == .folder {
                if let found = try firstToKeep(in: path) { return found }
            } else if previous?.contains(path) != true, !Self.isToolFile(path) {
                return path
            }
        }
        return nil
    }

    private func count(in folder: String) -> Int {
        Disk.names(place.output + "/" + folder).reduce(0) { total, name in
            let path = folder + "/" + name
            return total + (Disk.kind(place.output + "/" + path) == .folder ? count(in: path) : 1)
        }
    }

    /// A folder that cannot be read stops the build: what is in it cannot be carried over,
    /// and the swap would take it out of the output.
    static func names(_ folder: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw WriteError.system("read", folder, access(folder, R_OK) == 0 ? EIO : errno)
        }
        return names.sorted()
    }

    /// What earlier versions of overens left in the output: its marker, its cache and the
    /// `.name.PID.tmp` files of an interrupted build.
    static func isToolFile(_ path: String) -> Bool {
        if path == ".overens-output" || path == ".overens-cache" { return true }
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropLast(4).split(separator: ".")
        return parts.count >= 2 && parts.last!.allSatisfy(\.isNumber)
    }

    /// A hard link keeps the file's inode and time; where that is not allowed, a copy.
    static func linkOrCopy(_ from: String, _ to: String) throws {
        if link(from, to) == 0 { return }
        let code = errno
        switch Disk.kind(from) {
        case .file?:
            guard let data = FileManager.default.contents(atPath: from) else { throw WriteError.system("read", from, code) }
            try Disk.create(to, data: data, mode: Disk.mode(from))
        case .other?:
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: from), symlink(target, to) == 0 else {
                throw WriteError.system("copy", from, code)
            }
        default:
            throw WriteError.system("copy", from, code)
        }
    }
}
