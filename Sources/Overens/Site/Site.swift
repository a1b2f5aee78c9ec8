import Foundation

/// Where a build reads and writes.
public struct BuildOptions: Sendable {
    public var content: String
    public var theme: String
    public var output: String

    public init(content: String = "content", theme: String = "theme", output: String = "site") {
        self.content = content
        self.theme = theme
        self.output = output
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
    public static func generate(_ options: BuildOptions) -> BuildResult {
        let timer = StageTimer()
        defer { timer.finish() }
        let diagnostics = DiagnosticBag()
        func failed() -> BuildResult { BuildResult(files: [], diagnostics: diagnostics.all, pages: [:]) }

        // Load
        guard let loaded = ContentLoader.load(contentDirectory: options.content, diagnostics: diagnostics),
              let config = SiteConfig.parse(loaded.configText, path: loaded.configPath, diagnostics: diagnostics) else { return failed() }
        let theme = Theme.load(directory: options.theme, languages: config.languages, diagnostics: diagnostics)
        timer.lap("load")

        // Parse (cmark parses under its own lock; front matter in parallel)
        var parsed = [ParsedFile?](repeating: nil, count: loaded.files.count)
        parsed.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: loaded.files.count) { i in
                (base + i).initialize(to: ContentParser.parse(loaded.files[i], diagnostics: diagnostics))
            }
        }

        timer.lap("parse")

        // Link
        let unparsed = Set(zip(loaded.files, parsed).filter { $0.1 == nil }.map { EntryKey(kind: $0.0.kind, id: $0.0.id) })
        let graph = SiteGraph.link(config: config, files: parsed.compactMap { $0 }, unparsed: unparsed, diagnostics: diagnostics)
        guard let theme, !diagnostics.hasErrors else { return failed() }
        timer.lap("link")

        // Render
        guard let renderer = Renderer(graph: graph, theme: theme, diagnostics: diagnostics),
              !diagnostics.hasErrors,
              let files = renderer.render(diagnostics: diagnostics) else { return failed() }
        timer.lap("render")
        var pages: [String: Int] = [:]
        for file in files where file.path.hasSuffix(".html") {
            let first = file.path.split(separator: "/").first.map(String.init) ?? ""
            let language = config.languages.dropFirst().contains(first) ? first : config.defaultLanguage
            pages[language, default: 0] += 1
        }
        return BuildResult(files: files, diagnostics: diagnostics.all, pages: pages)
    }

    /// The whole build: generate, then write only if there were no errors.
    public static func build(_ options: BuildOptions) -> BuildResult {
        let guardBag = DiagnosticBag()
        OutputWriter.validate(output: options.output, sources: [options.content, options.theme], workingDirectory: FileManager.default.currentDirectoryPath, diagnostics: guardBag)
        if guardBag.hasErrors {
            return BuildResult(files: [], diagnostics: guardBag.all, pages: [:])
        }
        if let cached = BuildCache.unchanged(options) {
            var summary = OutputWriter.Summary()
            summary.unchanged = cached.fileCount
            return BuildResult(files: [], diagnostics: cached.warnings, pages: cached.pages, written: summary)
        }
        let inputs = BuildCache.inputListing(options)
        var result = generate(options)
        guard result.errors.isEmpty else { return result }
        do {
            result.written = try OutputWriter.write(result.files, to: options.output)
            BuildCache.save(options, inputs: inputs, result: result)
        } catch {
            result.diagnostics.append(.error(SourceLocation(path: options.output), "cannot write the site: \(error.localizedDescription)"))
        }
        return result
    }
}

/// Stage times on stderr when OVERENS_TIMINGS is set: where a slow build spends its time.
final class StageTimer {
    private let enabled = ProcessInfo.processInfo.environment["OVERENS_TIMINGS"] != nil
    private var last = DispatchTime.now()
    private var laps: [String] = []

    func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        laps.append("\(name) \(Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6) ms")
        last = now
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data(("timings: " + laps.joined(separator: ", ") + "\n").utf8)) }
    }
}
