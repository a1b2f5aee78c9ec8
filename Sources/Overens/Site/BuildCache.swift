import Foundation

/// What overens remembers about an output folder between builds, kept outside it (the output
/// holds nothing of the tool's own): in `--cache DIR`, else `$XDG_CACHE_HOME/overens`, else
/// `~/.cache/overens`, one folder per output, named by its real path.
///
/// It records which files the last build wrote (the manifest: the only files a build may
/// remove) and lets a build with nothing changed finish after a look at the files, like
/// `make`: every input (content, theme and the overens binary itself) by path, size,
/// modification time and inode, and every entry of the output, the same way. If both still
/// match, the output is exactly what a build would leave. Any difference (an edit, a
/// missing, extra or changed output file), or no cache, means a full build.
struct BuildCache {
    let folder: String
    let options: BuildOptions
    let place: OutputPlace
    let file: String
    /// What the last build recorded, read once (at 10,000 files it is megabytes of JSON).
    private let stored: Stored?

    init(_ options: BuildOptions, place: OutputPlace) {
        self.options = options
        self.place = place
        folder = Self.root(options) + "/" + Self.key(place.output)
        file = folder + "/build.json"
        stored = FileManager.default.contents(atPath: file).flatMap { try? JSONDecoder().decode(Stored.self, from: $0) }
    }

    /// The folder all caches live in.
    static func root(_ options: BuildOptions) -> String {
        if let cache = options.cache { return Files.canonical(cache) }
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/overens" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/overens"
    }

    /// The output folder's name and a hash of its real path: readable, and one per output.
    static func key(_ output: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
        for byte in output.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = (output as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return (name.isEmpty ? "root" : name) + "-" + String(hash, radix: 16)
    }

    /// The files the last build wrote; nil when no build recorded them. An output written by
    /// an earlier version of overens has them in its own `.overens-cache`.
    var manifest: Set<String>? {
        if let stored { return Set(stored.files) }
        let legacy = place.output + "/.overens-cache"
        guard let data = FileManager.default.contents(atPath: legacy),
              let old = try? JSONDecoder().decode(Legacy.self, from: data) else { return nil }
        return Set(old.files)
    }

    /// The cached result, if the inputs (`inputs`: `inputListing()` now) and the output are
    /// still exactly as the cache says.
    func unchanged(inputs: String) -> (pages: [String: Int], warnings: [Diagnostic], files: Int)? {
        guard let stored, !stored.inputs.isEmpty, stored.inputs == inputs else { return nil }
        guard stored.outputs == Self.outputListing(place.output) else { return nil }
        return (stored.pages, stored.warnings, stored.files.count)
    }

    /// Before the swap: every path that may be the build's from then on (the last build's and
    /// this one's), and no shortcut, so a build killed at any moment is followed by a full one
    /// that knows what it may remove.
    func savePending(previous: Set<String>?, paths: [String]) {
        try? save(Stored(inputs: "", files: (previous ?? []).union(paths).sorted(), outputs: "", pages: [:], warnings: []))
    }

    /// After the swap. `inputs` is the listing taken before the build read anything, so an edit
    /// made during the build makes the next build a full one.
    func save(inputs: String, paths: [String], pages: [String: Int], warnings: [Diagnostic]) throws {
        try save(Stored(inputs: inputs, files: paths, outputs: Self.outputListing(place.output), pages: pages, warnings: warnings))
    }

    private func save(_ stored: Stored) throws {
        let data = try JSONEncoder().encode(stored)
        try Disk.makeFolders(folder)
        try Disk.replace(file, with: data)
        // What a killed build left half-written; under the output's lock, none is in use.
        for name in Disk.names(folder) where name.hasPrefix("build.json.") && name.hasSuffix(".tmp") {
            unlink(folder + "/" + name)
        }
    }

    /// A listing of everything the build reads.
    func inputListing() -> String {
        var lines: [String] = ["binary " + Self.stamp(Platform.executablePath, follow: true), "content " + options.content, "theme " + options.theme]
        for root in [options.content, options.theme] {
            lines.append(root + " " + Self.stamp(root, follow: true))
            Self.walk(root, into: &lines)
        }
        return lines.joined(separator: "\n")
    }

    /// Every entry under the output as it is on disk now, symlinks not followed.
    static func outputListing(_ output: String) -> String {
        var lines: [String] = []
        walk(output, into: &lines)
        return lines.joined(separator: "\n")
    }

    /// Every entry under `root` (path from it, then its stamp), folders before what they
    /// hold, names sorted; symlinks are listed, not followed. One lstat per entry.
    private static func walk(_ root: String, into lines: inout [String]) {
        func visit(_ folder: String) {
            for name in Disk.names(root + folder) {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(root + path, &info) == 0 else { lines.append(path + " missing"); continue }
                lines.append(path + " " + stamp(info))
                if info.st_mode & S_IFMT == S_IFDIR { visit(path) }
            }
        }
        visit("")
    }

    static func stamp(_ path: String, follow: Bool) -> String {
        var info = stat()
        let found = follow ? stat(path, &info) : lstat(path, &info)
        return found == 0 ? stamp(info) : "missing"
    }

    private static func stamp(_ info: stat) -> String {
        let modified = Platform.modified(info)
        return "\(info.st_size) \(modified.seconds).\(modified.nanoseconds) \(info.st_ino) \(info.st_mode)"
    }

    private struct Stored: Codable {
        var inputs: String
        var files: [String]
        var outputs: String
        var pages: [String: Int]
        var warnings: [Diagnostic]
    }

    private struct Legacy: Decodable {
        var files: [String]
    }
}
