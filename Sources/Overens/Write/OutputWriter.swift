import Foundation

/// Write stage: puts the rendered site on disk, all or nothing. The new site is made in a
/// folder beside the output (`Staging`), the files the build did not write are carried into
/// it (`CarryOver`), and the two folders trade places in one step (`Swap`). A reader, a
/// server or rsync sees the whole old site or the whole new one, whenever the build stops.
public enum OutputWriter {
    public struct Summary: Sendable {
        public var written = 0
        public var unchanged = 0
        public var removed = 0
        /// Files in the output that overens did not write and carried over.
        public var kept: [String] = []
    }

    /// Refuses output folders whose replacing would destroy an editor's work, judged on real
    /// paths. `sources` (content, theme) may not hold or be held by the output;
    /// `workingDirectory` (the repository) may hold it, but may not be it or be inside it.
    public static func validate(output: String, sources: [String], workingDirectory: String, diagnostics: DiagnosticBag) {
        let out = Files.canonical(output)
        for path in sources + [workingDirectory] {
            let p = Files.canonical(path)
            if out == p || p.hasPrefix(out == "/" ? "/" : out + "/") {
                diagnostics.error(SourceLocation(path: output), .outputContains(output, path))
            } else if out.hasPrefix(p + "/") && path != workingDirectory {
                diagnostics.error(SourceLocation(path: output), .outputInside(output, path))
            }
        }
        if let kind = Disk.kind(out), kind != .folder {
            diagnostics.error(SourceLocation(path: output), .write(.notAFolder(output)))
        }
    }

    /// Takes the output's lock and clears what interrupted builds left beside it. The build
    /// holds the returned lock until it has finished.
    static func lock(_ place: OutputPlace, wait: Bool, waiting: () -> Void) throws -> OutputLock {
        try Disk.makeFolders(place.parent)
        let lock = try OutputLock(place, wait: wait, waiting: waiting)
        Swap.removeLeftovers(place)
        return lock
    }

    /// Once the whole site is staged: carries over what the build did not write, lets
    /// `beforeSwap` record every path that may be the build's from now on, swaps, and removes
    /// the old tree. Anything that throws does so before the swap: the output is untouched.
    static func commit(_ staging: Staging, previous: Set<String>?, beforeSwap: ([String]) -> Void) throws -> (summary: Summary, paths: [String]) {
        let staged = try staging.finish()
        var carry = CarryOver(staging.place, made: Set(staged.paths), previous: previous)
        try carry.run()
        beforeSwap(staged.paths)
        try Swap.exchange(staging.place)
        staging.discard()
        let summary = Summary(written: staged.written, unchanged: staged.unchanged, removed: carry.removed, kept: carry.kept)
        return (summary, staged.paths)
    }

    /// For a signal handler: removes what this process staged beside `output`; the output
    /// itself holds the whole old site or, once swapped, the whole new one.
    public static func discardStaging(output: String) {
        Swap.discardStaging(of: OutputPlace(output))
    }
}
