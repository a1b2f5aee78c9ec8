import Foundation
import Synchronization

/// The pipeline up to render, remembering what it read and parsed: `serve` keeps one
/// session, so saving one file costs reading and parsing that file, then linking the
/// whole site (fast) before any page is drawn. A build is a session's first run.
/// Runs are serial: the session's memory is behind one lock, taken for a whole run.
public final class SiteSession: Sendable {
    public let options: BuildOptions
    private let memory = Mutex(Memory())

    public init(_ options: BuildOptions) {
        self.options = options
    }

    /// The site linked and ready to render, with everything noticed on the way.
    public struct Linked: Sendable {
        public let renderer: Renderer?
        public let diagnostics: DiagnosticBag
    }

    /// Load → parse → link. `changed` names the files that changed since the last run;
    /// nil means everything (the first run, or a change not worth tracking).
    public func link(changed: Set<String>?, timer: StageTimer = StageTimer()) -> Linked {
        let options = options
        return memory.withLock { $0.link(changed: changed, options: options, timer: timer) }
    }

    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The entries whose own files are among `changed`, or nil when a change reaches
    /// beyond single entries (site.yml, the theme, a folder): then every page may change.
    public func entries(changedBy changed: Set<String>) -> Set<EntryKey>? {
        let content = Files.normalized(options.content) + "/"
        var keys: Set<EntryKey> = []
        for path in changed.map(Files.normalized) {
            guard path.hasPrefix(content), path.hasSuffix(".md") else { return nil }
            let parts = path.dropFirst(content.count).split(separator: "/")
            guard parts.count == 2, let kind = Kind(folder: String(parts[0])),
                  let id = parts[1].split(separator: ".").first else { return nil }
            keys.insert(EntryKey(kind: kind, id: String(id)))
        }
        return keys
    }
}

/// What a session keeps between runs.
private struct Memory {
    /// What the last run read: content files by path (in the loader's order), site.yml,
    /// and what loading reported.
    private var sources: [String: SourceFile] = [:]
    private var order: [String] = []
    private var config: SiteConfig?
    private var loadDiagnostics: [Diagnostic] = []
    /// Per content file: what parsing gave, and what it reported (reported again on every run).
    private var parsed: [String: (file: ParsedFile?, diagnostics: [Diagnostic])] = [:]
    private var theme: (theme: Theme?, languages: [String], diagnostics: [Diagnostic])?
    private var graph: SiteGraph?

    mutating func link(changed: Set<String>?, options: BuildOptions, timer: StageTimer) -> SiteSession.Linked {
        typealias Linked = SiteSession.Linked
        let diagnostics = DiagnosticBag()
        func failed() -> Linked { Linked(renderer: nil, diagnostics: diagnostics) }
        let changed = changed.map { Set($0.map(Files.normalized)) }

        // Load: files that were saved again are read again by themselves; anything else
        // (a new or removed file, site.yml, a first run) lists the folder anew.
        let edited: Set<String> = changed?.filter { sources[$0] != nil } ?? []
        let themeRoot = Files.normalized(options.theme) + "/"
        let outsideTheme: Set<String> = changed?.filter { !$0.hasPrefix(themeRoot) } ?? []
        let editsOnly = changed != nil && config != nil && edited == outsideTheme && edited.allSatisfy(SiteSession.isFile)
        if let changed, editsOnly {
            let bag = DiagnosticBag()
            for (path, text) in ContentLoader.reread(edited.sorted(), contentDirectory: options.content, diagnostics: bag) {
                if let text, let old = sources[path] {
                    sources[path] = SourceFile(path: path, kind: old.kind, id: old.id, language: old.language, text: text)
                } else {
                    sources[path] = nil
                    config = nil   // the next run lists the folder again
                }
            }
            loadDiagnostics = loadDiagnostics.filter { !changed.contains($0.location.path) } + bag.all
        } else {
            let bag = DiagnosticBag()
            let loaded = ContentLoader.load(contentDirectory: options.content, diagnostics: bag,
                                            reuse: changed == nil ? [:] : sources, changed: changed ?? [])
            config = loaded.flatMap { SiteConfig.parse($0.configText, path: $0.configPath, diagnostics: bag) }
            sources = Dictionary((loaded?.files ?? []).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            order = loaded?.files.map(\.path) ?? []
            loadDiagnostics = bag.all
            graph = nil   // files came or went: link them all
            if config == nil { parsed = [:] }
        }
        loadDiagnostics.forEach(diagnostics.report)
        guard let config else { return failed() }
        if changed == nil || theme?.languages != config.languages || changed!.contains(where: { $0.hasPrefix(themeRoot) }) {
            let bag = DiagnosticBag()
            theme = (Theme.load(directory: options.theme, languages: config.languages, diagnostics: bag), config.languages, bag.all)
        }
        theme!.diagnostics.forEach(diagnostics.report)
        timer.lap("load")

        // Parse (cmark parses under its own lock; front matter and rendering in parallel)
        let files = editsOnly ? [] : order.compactMap { sources[$0] }
        let stale = editsOnly ? edited.sorted().compactMap { sources[$0] }
            : files.filter { parsed[$0.path] == nil || changed?.contains($0.path) ?? true }
        let fresh = parallelMap(stale) { source -> (file: ParsedFile?, diagnostics: [Diagnostic]) in
            let bag = DiagnosticBag()
            return (ContentParser.parse(source, diagnostics: bag), bag.all)
        }
        if !editsOnly && stale.count == files.count { parsed = [:] }
        for (file, result) in zip(stale, fresh) { parsed[file.path] = result }
        if !editsOnly && parsed.count > files.count {
            let kept = Set(order)
            parsed = parsed.filter { kept.contains($0.key) }
        }
        for result in parsed.values { result.diagnostics.forEach(diagnostics.report) }
        timer.lap("parse")

        // Link: when saved files changed only in words, only their entries are checked
        // again; otherwise the whole site is linked anew.
        var linked: SiteGraph? = nil
        if let changed, let previous = graph, previous.config.languages == config.languages,
           let keys = SiteSession(options).entries(changedBy: changed), stale.allSatisfy({ parsed[$0.path]?.file != nil }) {
            var groups: [EntryKey: [ParsedFile]] = [:]
            for key in keys {
                let paths = previous.entry(key.kind, key.id)?.translations.values.map(\.path) ?? []
                groups[key] = paths.compactMap { parsed[$0]?.file }
            }
            linked = previous.relinking(groups, diagnostics: diagnostics)
        }
        if linked == nil {
            var unparsed: Set<EntryKey> = []
            var parsedFiles: [ParsedFile] = []
            parsedFiles.reserveCapacity(files.count)
            for file in editsOnly ? order.compactMap({ sources[$0] }) : files {
                if let parsedFile = parsed[file.path]?.file { parsedFiles.append(parsedFile) } else { unparsed.insert(EntryKey(kind: file.kind, id: file.id)) }
            }
            linked = SiteGraph.link(config: config, files: parsedFiles, unparsed: unparsed, diagnostics: diagnostics)
        }
        // Only a run without errors is a base for re-checking single entries next time.
        graph = diagnostics.hasErrors ? nil : linked
        guard let graph = linked, let theme = theme?.theme, !diagnostics.hasErrors,
              let renderer = Renderer(graph: graph, theme: theme, diagnostics: diagnostics), !diagnostics.hasErrors else { return failed() }
        timer.lap("link")
        return Linked(renderer: renderer, diagnostics: diagnostics)
    }
}
