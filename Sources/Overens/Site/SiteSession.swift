import Foundation

/// The pipeline up to render, remembering what it read and parsed: `serve` keeps one
/// session, so saving one file costs reading and parsing that file, then linking the
/// whole site (fast) before any page is drawn. A build is a session's first run.
public final class SiteSession: @unchecked Sendable {
    public let options: BuildOptions
    private var sources: [String: SourceFile] = [:]
    /// Per content file: what parsing gave, and what it reported (reported again on every run).
    private var parsed: [String: (file: ParsedFile?, diagnostics: [Diagnostic])] = [:]
    private var theme: (theme: Theme?, languages: [String], diagnostics: [Diagnostic])?

    public init(_ options: BuildOptions) {
        self.options = options
    }

    /// The site linked and ready to render, with everything noticed on the way.
    public struct Linked {
        public let renderer: Renderer?
        public let diagnostics: DiagnosticBag
    }

    /// Load → parse → link. `changed` names the files that changed since the last run;
    /// nil means everything (the first run, or a change not worth tracking).
    public func link(changed: Set<String>?, timer: StageTimer = StageTimer()) -> Linked {
        let diagnostics = DiagnosticBag()
        func failed() -> Linked { Linked(renderer: nil, diagnostics: diagnostics) }
        let changed = changed.map { Set($0.map(Self.normalized)) }

        // Load
        guard let loaded = ContentLoader.load(contentDirectory: options.content, diagnostics: diagnostics,
                                              reuse: changed == nil ? [:] : sources, changed: changed ?? []),
              let config = SiteConfig.parse(loaded.configText, path: loaded.configPath, diagnostics: diagnostics) else {
            sources = [:]
            return failed()
        }
        sources = Dictionary(loaded.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let themeRoot = Self.normalized(options.theme) + "/"
        if changed == nil || theme?.languages != config.languages || changed!.contains(where: { $0.hasPrefix(themeRoot) }) {
            let bag = DiagnosticBag()
            theme = (Theme.load(directory: options.theme, languages: config.languages, diagnostics: bag), config.languages, bag.all)
        }
        theme!.diagnostics.forEach(diagnostics.report)
        timer.lap("load")

        // Parse (cmark parses under its own lock; front matter and rendering in parallel)
        let files = loaded.files
        var results = [(file: ParsedFile?, diagnostics: [Diagnostic])](repeating: (nil, []), count: files.count)
        let previous = changed == nil ? [:] : parsed
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                if let kept = previous[files[i].path], !changed!.contains(files[i].path) {
                    base[i] = kept
                } else {
                    let bag = DiagnosticBag()
                    base[i] = (ContentParser.parse(files[i], diagnostics: bag), bag.all)
                }
            }
        }
        parsed = Dictionary(zip(files.map(\.path), results), uniquingKeysWith: { first, _ in first })
        for result in results { result.diagnostics.forEach(diagnostics.report) }
        timer.lap("parse")

        // Link
        let unparsed = Set(zip(files, results).filter { $0.1.file == nil }.map { EntryKey(kind: $0.0.kind, id: $0.0.id) })
        let graph = SiteGraph.link(config: config, files: results.compactMap(\.file), unparsed: unparsed, diagnostics: diagnostics)
        guard let theme = theme?.theme, !diagnostics.hasErrors,
              let renderer = Renderer(graph: graph, theme: theme, diagnostics: diagnostics), !diagnostics.hasErrors else { return failed() }
        timer.lap("link")
        return Linked(renderer: renderer, diagnostics: diagnostics)
    }

    /// The entries whose own files are among `changed`, or nil when a change reaches
    /// beyond single entries (site.yml, the theme, a folder): then every page may change.
    public func entries(changedBy changed: Set<String>) -> Set<EntryKey>? {
        let content = Self.normalized(options.content) + "/"
        var keys: Set<EntryKey> = []
        for path in changed.map(Self.normalized) {
            guard path.hasPrefix(content), path.hasSuffix(".md") else { return nil }
            let parts = path.dropFirst(content.count).split(separator: "/")
            guard parts.count == 2, let kind = Kind(folder: String(parts[0])),
                  let id = parts[1].split(separator: ".").first else { return nil }
            keys.insert(EntryKey(kind: kind, id: String(id)))
        }
        return keys
    }

    static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
