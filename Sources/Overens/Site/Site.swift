import Foundation

/// Where a build reads and writes.
public struct BuildOptions: Sendable {
    public var content: String
    public var theme: String
    public var output: String
    /// Where overens keeps what it remembers between builds; nil: `$XDG_CACHE_HOME/overens`.
    public var cache: String?
    /// Drafts are built and shown with a banner (a preview, `build --drafts`), not held back.
    public var includeDrafts: Bool
    /// When another build of the same output is running: wait for it, or fail at once.
    public var waitForOtherBuild: Bool
    /// Above this many bytes of Markdown, parsed bodies wait on disk for the render
    /// (`TextSpool`): a large site's memory stays bounded, a small one's build writes
    /// nothing more than its pages.
    public var spoolAbove = 32 << 20

    public init(content: String = "content", theme: String = "theme", output: String = "site",
                cache: String? = nil, waitForOtherBuild: Bool = true, includeDrafts: Bool = false) {
        // One spelling of each folder, so every message and every comparison of paths agrees.
        self.content = Files.normalized(content)
        self.theme = Files.normalized(theme)
        self.output = Files.normalized(output)
        self.cache = cache.map(Files.normalized)
        self.waitForOtherBuild = waitForOtherBuild
        self.includeDrafts = includeDrafts
    }
}

/// The result of a build or check: what was made and everything noticed on the way.
public struct BuildResult: Sendable {
    public var files: [OutputFile]
    public var diagnostics: [Diagnostic]
    public var pages: [String: Int]          // HTML pages per language
    public var written: OutputWriter.Summary?

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// The pipeline, step by step: load → parse → link → render → write. Every step before
/// `write` only reads; errors from all of them are gathered, and nothing is written
/// unless there are none.
public enum Site {
    /// Load, parse, link and render in memory; nothing touches the output folder.
    /// `against`: a site published before, whose pages must all still be there (or be aliases).
    public static func generate(_ options: BuildOptions, against previous: String? = nil) -> BuildResult {
        let timer = StageTimer()
        defer { timer.finish() }
        let result = render(linked(options, against: previous, timer: timer))
        timer.lap("render")
        return result
    }

    /// What `generate` finds, without keeping the pages: `overens check` of a large site
    /// would otherwise hold every page it drew (gigabytes at 100,000 files).
    public static func check(_ options: BuildOptions, against previous: String? = nil) -> [Diagnostic] {
        let timer = StageTimer()
        defer { timer.finish() }
        let linked = linked(options, against: previous, timer: timer)
        _ = linked.renderer?.render(diagnostics: linked.diagnostics) { _ in }
        timer.lap("render")
        return linked.diagnostics.all
    }

    private static func linked(_ options: BuildOptions, against previous: String?, timer: StageTimer) -> SiteSession.Linked {
        let linked = SiteSession(options, keepsSources: false).link(changed: nil, timer: timer)
        if let previous, let renderer = linked.renderer {
            AddressGuard.check(previous: previous, renderer: renderer, diagnostics: linked.diagnostics)
        }
        return linked
    }

    /// Render: every page of the linked site (or only the pages of `entries`).
    /// `cancelled` is asked as pages are drawn; once it says yes, no result is made.
    public static func render(_ linked: SiteSession.Linked, only entries: Set<EntryKey>? = nil,
                              cancelled: @Sendable () -> Bool = { false }) -> BuildResult {
        let diagnostics = linked.diagnostics
        guard let renderer = linked.renderer,
              let files = renderer.render(only: entries, cancelled: cancelled, diagnostics: diagnostics) else {
            return BuildResult(files: [], diagnostics: diagnostics.all, pages: [:])
        }
        return BuildResult(files: files, diagnostics: diagnostics.all, pages: pages(files.map(\.path), renderer.graph.config))
    }

    /// HTML pages per language, by where they are written.
    static func pages(_ paths: [String], _ config: SiteConfig) -> [String: Int] {
        var pages: [String: Int] = [:]
        for path in paths where path.hasSuffix(".html") {
            let first = path.split(separator: "/").first.map(String.init) ?? ""
            let language = config.languages.dropFirst().contains(first) ? first : config.defaultLanguage
            pages[language, default: 0] += 1
        }
        return pages
    }

    /// The whole build: generate, then write only if there were no errors. The output is
    /// replaced in one step at the very end, so whatever stops the build before that (an
    /// error, a signal, a kill) leaves it exactly as it was. `waiting` is called once if
    /// another build of the same output must finish first.
    public static func build(_ options: BuildOptions, waiting: () -> Void = {}) -> BuildResult {
        let timer = StageTimer()
        defer { timer.finish() }
        let guardBag = DiagnosticBag()
        OutputWriter.validate(output: options.output, sources: [options.content, options.theme], workingDirectory: FileManager.default.currentDirectoryPath, diagnostics: guardBag)
        if guardBag.hasErrors {
            return BuildResult(files: [], diagnostics: guardBag.all, pages: [:])
        }
        let place = OutputPlace(options.output)
        let lock: OutputLock
        do {
            lock = try OutputWriter.lock(place, wait: options.waitForOtherBuild, waiting: waiting)
        } catch {
            guardBag.error(SourceLocation(path: options.output), (error as? WriteError).map(Message.write) ?? .systemError("\(error)"))
            return BuildResult(files: [], diagnostics: guardBag.all, pages: [:])
        }
        defer { withExtendedLifetime(lock) {} }
        let cache = BuildCache(options, place: place)
        let inputs = cache.inputListing()
        let cached = cache.unchanged(inputs: inputs)
        timer.lap("cache")
        if let cached {
            var summary = OutputWriter.Summary()
            summary.unchanged = cached.files
            return BuildResult(files: [], diagnostics: cached.warnings, pages: cached.pages, written: summary)
        }
        let linked = SiteSession(options, keepsSources: false).link(changed: nil, timer: timer)
        guard let renderer = linked.renderer else { return BuildResult(files: [], diagnostics: linked.diagnostics.all, pages: [:]) }
        return renderAndWrite(renderer, to: place, cache: cache, inputs: inputs, diagnostics: linked.diagnostics, timer: timer)
    }

    /// Pages go into the staging tree as they are drawn; once all are there without error,
    /// the staging tree becomes the output and the cache records what it holds.
    private static func renderAndWrite(_ renderer: Renderer, to place: OutputPlace, cache: BuildCache, inputs: String,
                                       diagnostics: DiagnosticBag, timer: StageTimer) -> BuildResult {
        func failed(_ error: Error? = nil) -> BuildResult {
            if let error { diagnostics.error(SourceLocation(path: cache.options.output), .cannotWrite("\(error)")) }
            return BuildResult(files: [], diagnostics: diagnostics.all, pages: [:])
        }
        let staging: Staging
        do { staging = try Staging(place) } catch { return failed(error) }
        let rendered = renderer.render(diagnostics: diagnostics, emit: staging.stage)
        timer.lap("render and write")
        guard rendered else {
            staging.discard()
            return failed()
        }
        let previous = cache.manifest
        let summary: OutputWriter.Summary, paths: [String]
        do {
            (summary, paths) = try OutputWriter.commit(staging, previous: previous) { paths in
                cache.savePending(previous: previous, paths: paths)
            }
        } catch {
            staging.discard()
            return failed(error)
        }
        timer.lap("carry over and swap")
        let pages = pages(paths, renderer.graph.config)
        do {
            try cache.save(inputs: inputs, paths: paths, pages: pages, warnings: diagnostics.all.filter { $0.severity == .warning })
        } catch {
            diagnostics.warning(SourceLocation(path: cache.folder), .cannotRecord("\(error)"))
        }
        if previous == nil, !summary.kept.isEmpty {
            diagnostics.warning(SourceLocation(path: cache.options.output), .keptFiles(summary.kept))
        }
        return BuildResult(files: [], diagnostics: diagnostics.all, pages: pages, written: summary)
    }
}

/// Stage times on stderr when OVERENS_TIMINGS is set: where a slow build spends its time,
/// and the memory the process holds after each stage (its peak so far, in brackets).
public final class StageTimer {
    public init() {}
    private let enabled = ProcessInfo.processInfo.environment["OVERENS_TIMINGS"] != nil
    private var last = DispatchTime.now()
    private var laps: [String] = []

    public func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        laps.append("\(name) \(Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6) ms \(Self.memory())")
        last = now
    }

    /// Resident memory now and at its peak, from /proc/self/status.
    static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func field(_ name: String) -> String {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .map { String($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)) } ?? "?"
        }
        return "\(field("VmRSS")) (\(field("VmHWM")))"
    }

    public func finish() {
        if enabled { FileHandle.standardError.write(Data(("timings: " + laps.joined(separator: ", ") + "\n").utf8)) }
    }
}
