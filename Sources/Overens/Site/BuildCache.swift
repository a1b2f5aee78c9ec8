import Foundation

/// Lets a build with nothing changed finish after a look at the files, like `make`.
///
/// The cache records every input file (content, theme and the overens binary itself) by
/// path, size, modification time and inode, and every output file by path, size and
/// modification time. If both still match, the site on disk is exactly what a build
/// would write. Any difference, or no cache, means a full build.
struct BuildCache {
    var inputs: String
    var outputs: String
    var pages: [String: Int]
    var warnings: [Diagnostic]
    var fileCount: Int

    static func path(_ options: BuildOptions) -> String { options.output + "/" + OutputWriter.cacheName }

    /// A listing of everything the build reads.
    static func inputListing(_ options: BuildOptions) -> String {
        var lines: [String] = ["binary " + stamp("/proc/self/exe", follow: true), "content " + options.content, "theme " + options.theme]
        for root in [options.content, options.theme] {
            lines.append(root + " " + stamp(root, follow: true))
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            var entries: [String] = []
            for case let path as String in walker {
                entries.append(path + " " + stamp(root + "/" + path, follow: false))
            }
            lines += entries.sorted()
        }
        return lines.joined(separator: "\n")
    }

    /// A listing of the output files as they are on disk now.
    static func outputListing(_ output: String, paths: [String]) -> String {
        paths.sorted().map { $0 + " " + stamp(output + "/" + $0, follow: false) }.joined(separator: "\n")
    }

    static func stamp(_ path: String, follow: Bool) -> String {
        var info = stat()
        let found = follow ? stat(path, &info) : lstat(path, &info)
        guard found == 0 else { return "missing" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino) \(info.st_mode)"
    }

    /// The cached result, if the inputs and outputs are still exactly as the cache says.
    static func unchanged(_ options: BuildOptions) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: path(options)),
              let stored = try? JSONDecoder().decode(Stored.self, from: data) else { return nil }
        guard stored.inputs == inputListing(options) else { return nil }
        guard stored.outputs == outputListing(options.output, paths: stored.files) else { return nil }
        return BuildCache(inputs: stored.inputs, outputs: stored.outputs, pages: stored.pages, warnings: stored.warnings, fileCount: stored.files.count)
    }

    /// Records a finished build. `inputs` is the listing taken before the build read anything,
    /// so an edit made during the build makes the next build a full one.
    static func save(_ options: BuildOptions, inputs: String, paths written: [String], result: BuildResult) {
        let paths = written + [OutputWriter.marker]
        let stored = Stored(inputs: inputs, files: paths, outputs: outputListing(options.output, paths: paths),
                            pages: result.pages, warnings: result.warnings)
        guard let data = try? JSONEncoder().encode(stored) else { return }
        try? OutputWriter.replace(path(options), with: data)
    }

    private struct Stored: Codable {
        var inputs: String
        var files: [String]
        var outputs: String
        var pages: [String: Int]
        var warnings: [Diagnostic]
    }
}
