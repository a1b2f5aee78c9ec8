import Foundation

/// The two folders of `content/` that hold files published as they are (documents) or
/// processed (photos), not Markdown.
public enum AssetFolder: String, CaseIterable, Sendable {
    case files, images

    /// Where the published copies go in the output.
    public var outputFolder: String { rawValue }
}

/// One file under `content/files/` or `content/images/`, as listed: not read yet (a
/// document may be 100 MB), only what it is.
public struct AssetFile: Sendable, Hashable {
    public var folder: AssetFolder
    /// The path inside its folder, as content names it: `iop/avtal.pdf`.
    public var name: String
    /// The path on disk, as messages show it.
    public var path: String
    /// Its size, or why it cannot be published (a link out of the folder, not a file).
    public var state: State

    public enum State: Sendable, Hashable {
        case file(size: Int, modified: Int)
        case refused(Message)
    }
}

/// Lists the asset folders. Sub-folders are walked; hidden and editor files are skipped;
/// a symbolic link is followed only when it stays inside its folder.
enum AssetLister {
    /// Folders deeper than this are not walked: no editor nests so deep, and a loop of
    /// bind mounts must end.
    static let maxDepth = 16

    static func list(_ folder: AssetFolder, contentDirectory: String) -> [AssetFile] {
        let base = contentDirectory + "/" + folder.rawValue
        let root = Files.Root(base, name: folder.rawValue + " folder")
        var found: [AssetFile] = []
        func walk(_ relative: String, depth: Int) {
            let here = relative.isEmpty ? base : base + "/" + relative
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: here)) ?? []).sorted()
            for name in names where !Files.isIgnored(name) {
                let inner = relative.isEmpty ? name : relative + "/" + name
                let path = base + "/" + inner
                if folder == .images && inner == ImageCreditsFile.name { continue }
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    if depth < maxDepth { walk(inner, depth: depth + 1) }
                    continue
                }
                found.append(AssetFile(folder: folder, name: inner, path: path, state: state(of: path, info: info, root: root)))
            }
        }
        if Files.isDirectory(base) { walk("", depth: 0) }
        return found
    }

    private static func state(of path: String, info: stat, root: Files.Root) -> AssetFile.State {
        var info = info
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard root.holds(path) else { return .refused(.symlinkOutside(root.name, target: Files.realPath(path))) }
            guard stat(path, &info) == 0 else { return .refused(.symlinkBroken) }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .refused(.notRegularFile) }
        return .file(size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec))
    }
}

/// `content/images/credits.yml`: who took each photo.
enum ImageCreditsFile {
    static let name = "credits.yml"
}
